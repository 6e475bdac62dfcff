import { AppError } from '../../platform/errors/app-error.ts';

/** A position in a list sorted by (timestamp, id), newest first. */
export interface KeysetCursor {
  /** Microsecond UTC timestamp text (a JS Date would lose the microseconds). */
  at: string;
  id: string;
}

/** SQL giving a timestamp column as the microsecond text cursors carry. */
export function cursorTimestampSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The opaque form of a list position. */
export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

/** Read a cursor a previous page gave; a damaged one is a client mistake naming `cursor`. */
export function decodeCursor(text: string): KeysetCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value[0]) &&
      typeof value[1] === 'string' &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value[1])
    ) {
      return { at: value[0], id: value[1] };
    }
  } catch {
    // Reported below like any other damaged cursor.
  }
  const message = 'This cursor is not one a previous page gave; start from the first page';
  throw new AppError('request.invalid', message, [{ path: 'cursor', message }]);
}
