// The steps every CSV import shares: strict UTF-8, the delimiter, the records with their lines,
// and the header's columns. Whole-file problems are thrown with the importing module's error.
import { CsvError, parse } from 'csv-parse/sync';
import type { AppError } from '../errors/app-error.ts';

/** Builds a whole-file error with the importing module's code, naming the field at fault. */
export type CsvFileError = (message: string, path?: string) => AppError;

/** A problem with one cell of a row, kept on the row so a preview can list them all. */
export interface CsvCellError {
  column: string;
  message: string;
}

/** One CSV record as read with its position: its cells and the line of the file it ends on. */
export interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/** Decode UTF-8 strictly; `refuse` builds the error thrown for the first line that is not UTF-8. */
export function decodeUtf8Text(bytes: Buffer, refuse: (line: number) => Error): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Name the first line that does not decode.
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, i));
        } catch {
          break;
        }
        line++;
        start = i + 1;
      }
    }
    throw refuse(line);
  }
}

/** The delimiter of a CSV text: whichever of comma, semicolon and tab its first line has most. */
export function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => ({ d, n: firstLine.split(d).length - 1 }));
  const best = counts.sort((a, b) => b.n - a.n)[0];
  return best && best.n > 0 ? best.d : ',';
}

/**
 * The records of a CSV text (delimiter detected, empty lines skipped), each with its line;
 * malformed CSV fails the whole file, naming the line where the parser knows it.
 */
export function parseCsvRecords(text: string, fileError: CsvFileError): CsvRecord[] {
  try {
    return parse(text, {
      delimiter: detectDelimiter(text),
      info: true,
      skip_empty_lines: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw fileError(
        `The file is not valid CSV${line ? ` at line ${String(line)}` : ''}: ${error.message}`,
        line ? `rows.${String(line)}` : 'file',
      );
    }
    throw error;
  }
}

/**
 * The columns a header names (trimmed, lower case, spaces and dashes as `_`); a column that is
 * not one of `known`, or appears twice, fails the whole file.
 */
export function readCsvColumns<C extends string>(
  header: readonly string[],
  known: readonly C[],
  fileError: CsvFileError,
): C[] {
  const columns: C[] = [];
  for (const raw of header) {
    const name = raw
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (!(known as readonly string[]).includes(name)) {
      throw fileError(
        `Unknown column "${name}"; the columns are ${known.join(', ')}`,
        `columns.${name}`,
      );
    }
    if ((columns as readonly string[]).includes(name)) {
      throw fileError(`Column "${name}" appears twice`, `columns.${name}`);
    }
    columns.push(name as C);
  }
  return columns;
}

/** Fail the whole file when a required column is missing, naming every missing one. */
export function requireCsvColumns<C extends string>(
  columns: readonly C[],
  required: readonly C[],
  fileError: CsvFileError,
): void {
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw fileError(
      `Missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      `columns.${missing[0] ?? ''}`,
    );
  }
}
