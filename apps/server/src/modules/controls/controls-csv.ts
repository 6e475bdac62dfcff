// Spreadsheets run a cell that starts with one of these as a formula (CSV injection); tab and
// carriage return are listed too because some spreadsheet programs strip them before deciding.
const formulaStart = /^[=+\-@\t\r]/;

/** One CSV cell: formula-like text is neutralised with a leading quote, then RFC 4180 quoting. */
export function formatCsvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : value;
  const safe = typeof value === 'string' && formulaStart.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A CSV document (RFC 4180: CRLF line ends, a header row first). */
export function formatCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  const lines = [header, ...rows].map((row) => row.map(formatCsvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
