// PostgreSQL array literals built directly: a large import sends each column of a batch as one
// array parameter (`unnest($1::text[], ...)`), which PostgreSQL reads several times faster than
// the same rows as JSON, and building the literal here costs less than the driver's generic
// conversion of a JavaScript array.

const escaped = /["\\]/g;

function quote(value: string): string {
  // Two substring searches cost less than a regular expression test on every value.
  return value.includes('"') || value.includes('\\')
    ? `"${value.replace(escaped, '\\$&')}"`
    : `"${value}"`;
}

/** The literal of a one-dimensional array of texts (`null` and `undefined` are NULL elements). */
export function toArrayLiteral(values: readonly (string | null | undefined)[]): string {
  return toArrayLiteralOf(values, (value) => value);
}

/** The literal of an array of the texts `pick` gives for each item (`null`/`undefined`: NULL). */
export function toArrayLiteralOf<T>(
  items: readonly T[],
  pick: (item: T) => string | null | undefined,
): string {
  let literal = '{';
  for (let i = 0; i < items.length; i += 1) {
    const value = pick(items[i] as T);
    if (i > 0) literal += ',';
    literal += value === null || value === undefined ? 'NULL' : quote(value);
  }
  return `${literal}}`;
}

/**
 * `toArrayLiteralOf` for texts that never hold a quote or a backslash (uuids, digests, enum
 * values), which skips looking for them.
 */
export function toPlainArrayLiteralOf<T>(
  items: readonly T[],
  pick: (item: T) => string | null | undefined,
): string {
  let literal = '{';
  for (let i = 0; i < items.length; i += 1) {
    const value = pick(items[i] as T);
    if (i > 0) literal += ',';
    literal += value === null || value === undefined ? 'NULL' : `"${value}"`;
  }
  return `${literal}}`;
}

/** The literal of an array of numbers (`null` and `undefined` are NULL elements). */
export function toNumberArrayLiteral(values: readonly (number | null | undefined)[]): string {
  return `{${values.map((value) => (value === null || value === undefined ? 'NULL' : String(value))).join(',')}}`;
}

/** The literal of an array of booleans (`null` and `undefined` are NULL elements). */
export function toBooleanArrayLiteral(values: readonly (boolean | null | undefined)[]): string {
  return `{${values.map((value) => (value === null || value === undefined ? 'NULL' : value ? 't' : 'f')).join(',')}}`;
}
