// Reading a completions CSV from an external learning system: encoding, header and every cell are
// checked here, without the database. Problems of the whole file are thrown; problems of a row
// are kept on the row, so a preview can list them all.
import { trainingCompletionCsvColumns } from '@steward/contracts';
import { CsvError, parse } from 'csv-parse/sync';
import {
  decodeUtf8Text,
  detectDelimiter,
  readCsvColumns,
  requireCsvColumns,
  type CsvRecord,
  type CsvCellError,
} from '../../platform/csv/csv-read-helpers.ts';
import { AppError } from '../../platform/errors/app-error.ts';

/** A column of a completions CSV. */
export type CompletionCsvColumn = (typeof trainingCompletionCsvColumns)[number];

/** Most rows a file may hold. */
export const maxCompletionCsvRows = 50_000;

/** One completion as read from a file or an API record, with its problems. */
export interface CompletionInput {
  /** Line of the file (header is 1) or position of the API record from 1. */
  row: number;
  email: string;
  moduleKey: string;
  completedAt: Date | null;
  score: number | null;
  externalRef: string | null;
  errors: CsvCellError[];
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const dateTimePattern =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;

function fileError(message: string, path = 'file'): AppError {
  return new AppError('training.import_invalid', message, [{ path, message }]);
}

/** A completion time: a calendar day (taken as noon UTC) or a date-time with its offset. */
export function parseCompletedAt(text: string): Date | null {
  if (dayPattern.test(text)) {
    const date = new Date(`${text}T12:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text ? date : null;
  }
  if (!dateTimePattern.test(text)) return null;
  const date = new Date(text.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Check the cells of one completion; `now` bounds the completion time. */
export function readCompletion(
  row: number,
  cells: {
    email: string;
    moduleKey: string;
    completedAt: string;
    score: string;
    externalRef: string;
  },
  now: Date,
): CompletionInput {
  const errors: CsvCellError[] = [];
  const email = cells.email.trim().toLowerCase();
  if (email === '') errors.push({ column: 'email', message: 'is empty' });
  else if (!emailPattern.test(email) || email.length > 320) {
    errors.push({ column: 'email', message: `"${email}" is not an email address` });
  }
  const moduleKey = cells.moduleKey.trim();
  if (moduleKey === '') errors.push({ column: 'module_key', message: 'is empty' });
  const rawTime = cells.completedAt.trim();
  let completedAt: Date | null = null;
  if (rawTime === '') errors.push({ column: 'completed_at', message: 'is empty' });
  else {
    completedAt = parseCompletedAt(rawTime);
    if (completedAt === null) {
      errors.push({
        column: 'completed_at',
        message: `"${rawTime}" is not a date (YYYY-MM-DD) or a date-time with its offset`,
      });
    } else if (completedAt.getTime() > now.getTime() + 5 * 60_000) {
      errors.push({ column: 'completed_at', message: 'is in the future' });
    }
  }
  const rawScore = cells.score.trim();
  let score: number | null = null;
  if (rawScore !== '') {
    const value = Number(rawScore.replace(/%$/, ''));
    if (!Number.isInteger(value) || value < 0 || value > 100) {
      errors.push({
        column: 'score',
        message: `"${rawScore}" is not a whole percent from 0 to 100`,
      });
    } else {
      score = value;
    }
  }
  const externalRef = cells.externalRef.trim();
  if (externalRef.length > 200) {
    errors.push({ column: 'external_id', message: 'is longer than 200 characters' });
  }
  return {
    row,
    email,
    moduleKey,
    completedAt,
    score,
    externalRef: externalRef === '' ? null : externalRef.slice(0, 200),
    errors,
  };
}

/**
 * Read a completions CSV (UTF-8; comma, semicolon or tab separated; header first). Columns:
 * email, module_key, completed_at (required), score, external_id (optional). Unknown, repeated or
 * missing columns, text that is not UTF-8 and malformed CSV fail the whole file.
 */
export function parseCompletionsCsv(bytes: Buffer, now = new Date()): CompletionInput[] {
  const text = decodeUtf8Text(bytes, () =>
    fileError('The file is not UTF-8 text; save it as CSV UTF-8 and import it again'),
  ).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw fileError('The file is empty');
  let records: CsvRecord[];
  try {
    records = parse(text, {
      delimiter: detectDelimiter(text),
      info: true,
      skip_empty_lines: true,
      // Rows of the wrong length are reported below, naming their line.
      relax_column_count: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    if (error instanceof CsvError) {
      throw fileError(`The file is not valid CSV: ${error.message}`);
    }
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw fileError('The file is empty');
  const columns = readCsvColumns(header.record, trainingCompletionCsvColumns, fileError);
  requireCsvColumns(columns, ['email', 'module_key', 'completed_at'], fileError);
  if (data.length === 0) throw fileError('The file has a header but no rows');
  if (data.length > maxCompletionCsvRows) {
    throw fileError(`The file has more than ${String(maxCompletionCsvRows)} rows; split it`);
  }
  return data.map(({ record, info }) => {
    if (record.length !== columns.length) {
      throw fileError(
        `Line ${String(info.lines)} has ${String(record.length)} cells; the header has ${String(columns.length)}`,
        `rows.${String(info.lines)}`,
      );
    }
    const cell = (c: CompletionCsvColumn) => {
      const i = columns.indexOf(c);
      return i < 0 ? '' : (record[i] ?? '');
    };
    return readCompletion(
      info.lines,
      {
        email: cell('email'),
        moduleKey: cell('module_key'),
        completedAt: cell('completed_at'),
        score: cell('score'),
        externalRef: cell('external_id'),
      },
      now,
    );
  });
}
