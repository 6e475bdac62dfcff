// Reading a people CSV: encoding, header and every cell are checked here, without the database.
// Problems of the whole file are thrown; problems of a row are kept on the row, so a preview can
// list them all.
import {
  employmentTypes,
  peopleCsvColumns,
  personStatuses,
  type EmploymentType,
  type PersonStatus,
} from '@steward/contracts';
import {
  decodeUtf8Text,
  parseCsvRecords,
  readCsvColumns,
  requireCsvColumns,
  type CsvCellError,
} from '../../platform/csv/csv-read-helpers.ts';
import { AppError } from '../../platform/errors/app-error.ts';

/** A column of a people CSV. */
export type PeopleCsvColumn = (typeof peopleCsvColumns)[number];

/** Most rows a file may hold. */
export const maxPeopleCsvRows = 50_000;

/** The values of one row, for the columns the file has (an empty cell is null). */
export interface PeopleCsvValues {
  email: string;
  name: string;
  given_name?: string | null;
  family_name?: string | null;
  employee_number?: string | null;
  department?: string | null;
  title?: string | null;
  manager_email?: string | null;
  employment_type?: EmploymentType | null;
  start_date?: string | null;
  end_date?: string | null;
  status?: PersonStatus | null;
}

/** One data row: its line in the file, its values and its problems. */
export interface PeopleCsvRow {
  line: number;
  values: PeopleCsvValues;
  errors: CsvCellError[];
}

/** A read file: the columns it has, and its rows. */
export interface PeopleCsv {
  columns: PeopleCsvColumn[];
  rows: PeopleCsvRow[];
}

const requiredColumns: readonly PeopleCsvColumn[] = ['email', 'name'];
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function fileError(message: string, path = 'file'): AppError {
  return new AppError('people.import_invalid', message, [{ path, message }]);
}

/** Decode UTF-8 strictly; the error names the first line that is not UTF-8. */
export function decodeUtf8(bytes: Buffer): string {
  return decodeUtf8Text(bytes, (line) =>
    fileError(
      `Line ${String(line)} is not UTF-8 text; save the file as CSV UTF-8 and import it again`,
      `rows.${String(line)}`,
    ),
  );
}

/** Whether a text is a real calendar day `YYYY-MM-DD`. */
export function isCalendarDay(text: string): boolean {
  const match = dayPattern.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

function textCell(raw: string, column: string, max: number, errors: CsvCellError[]): string | null {
  if (raw === '') return null;
  if (raw.length > max) {
    errors.push({ column, message: `is longer than ${String(max)} characters` });
    return null;
  }
  return raw;
}

function readRow(
  record: Record<string, string>,
  columns: readonly PeopleCsvColumn[],
  line: number,
): PeopleCsvRow {
  const errors: CsvCellError[] = [];
  const cell = (column: PeopleCsvColumn) => (record[column] ?? '').trim();
  const email = cell('email').toLowerCase();
  if (email === '') errors.push({ column: 'email', message: 'is empty' });
  else if (!emailPattern.test(email) || email.length > 254) {
    errors.push({ column: 'email', message: `"${email}" is not an email address` });
  }
  const name = cell('name');
  if (name === '') errors.push({ column: 'name', message: 'is empty' });
  else if (name.length > 300)
    errors.push({ column: 'name', message: 'is longer than 300 characters' });
  const values: PeopleCsvValues = { email, name };
  for (const column of columns) {
    const raw = cell(column);
    switch (column) {
      case 'email':
      case 'name':
        break;
      case 'given_name':
      case 'family_name':
      case 'employee_number':
      case 'department':
      case 'title':
        values[column] = textCell(raw, column, 200, errors);
        break;
      case 'manager_email': {
        const value = raw.toLowerCase();
        if (value !== '' && !emailPattern.test(value)) {
          errors.push({ column, message: `"${raw}" is not an email address` });
        }
        values.manager_email = value === '' ? null : value;
        break;
      }
      case 'employment_type': {
        const value = raw.toLowerCase();
        if (value !== '' && !(employmentTypes as readonly string[]).includes(value)) {
          errors.push({ column, message: `"${raw}" is not one of ${employmentTypes.join(', ')}` });
        }
        values.employment_type = value === '' ? null : (value as EmploymentType);
        break;
      }
      case 'start_date':
      case 'end_date':
        if (raw !== '' && !isCalendarDay(raw)) {
          errors.push({ column, message: `"${raw}" is not a date (YYYY-MM-DD)` });
        }
        values[column] = raw === '' ? null : raw;
        break;
      case 'status': {
        const value = raw.toLowerCase().replace(/[\s-]+/g, '_');
        if (value !== '' && !(personStatuses as readonly string[]).includes(value)) {
          errors.push({ column, message: `"${raw}" is not one of ${personStatuses.join(', ')}` });
        }
        values.status = value === '' ? null : (value as PersonStatus);
        break;
      }
    }
  }
  if (values.start_date && values.end_date && values.end_date < values.start_date) {
    errors.push({ column: 'end_date', message: 'is before start_date' });
  }
  if (values.manager_email && values.manager_email === email) {
    errors.push({ column: 'manager_email', message: 'a person cannot be their own manager' });
  }
  return { line, values, errors };
}

/**
 * Read a people CSV (UTF-8, comma, semicolon or tab separated, header on the first line).
 * Unknown or repeated columns, a missing `email` or `name` column, text that is not UTF-8 and
 * malformed CSV fail the whole file; cell problems and repeated emails are kept per row.
 */
export function parsePeopleCsv(bytes: Buffer): PeopleCsv {
  const text = decodeUtf8(bytes).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw fileError('The file is empty');
  const [header, ...data] = parseCsvRecords(text, fileError);
  if (!header) throw fileError('The file is empty');
  const columns = readCsvColumns(header.record, peopleCsvColumns, fileError);
  requireCsvColumns(columns, requiredColumns, fileError);
  if (data.length > maxPeopleCsvRows) {
    throw fileError(`The file has more than ${String(maxPeopleCsvRows)} rows; split it`);
  }
  const firstLineOf = new Map<string, number>();
  const rows = data.map(({ record, info }) => {
    const line = info.lines;
    if (record.length !== columns.length) {
      throw fileError(
        `Line ${String(line)} has ${String(record.length)} cells; the header has ${String(columns.length)}`,
        `rows.${String(line)}`,
      );
    }
    const row = readRow(
      Object.fromEntries(columns.map((c, i) => [c, record[i] ?? ''])),
      columns,
      line,
    );
    const email = row.values.email;
    if (email !== '') {
      const first = firstLineOf.get(email);
      if (first !== undefined) {
        row.errors.push({ column: 'email', message: `${email} is also on line ${String(first)}` });
      } else {
        firstLineOf.set(email, line);
      }
    }
    return row;
  });
  return { columns, rows };
}
