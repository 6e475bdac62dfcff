import { describe, expect, it } from 'vitest';
import {
  toArrayLiteral,
  toArrayLiteralOf,
  toBooleanArrayLiteral,
  toNumberArrayLiteral,
  toPlainArrayLiteralOf,
} from './array-literal.ts';

describe('array literals', () => {
  it('quotes every text and escapes quotes and backslashes', () => {
    expect(toArrayLiteral(['a', 'NULL', 'x,y', '{}', 'say "hi"', 'C:\\dir', ''])).toBe(
      '{"a","NULL","x,y","{}","say \\"hi\\"","C:\\\\dir",""}',
    );
  });

  it('writes missing values as NULL elements', () => {
    expect(toArrayLiteral([null, undefined, 'a'])).toBe('{NULL,NULL,"a"}');
    expect(toNumberArrayLiteral([1, null, 9.8, undefined])).toBe('{1,NULL,9.8,NULL}');
    expect(toBooleanArrayLiteral([true, false, undefined, null])).toBe('{t,f,NULL,NULL}');
  });

  it('writes empty arrays and nests literals as texts', () => {
    expect(toArrayLiteral([])).toBe('{}');
    expect(toNumberArrayLiteral([])).toBe('{}');
    expect(toArrayLiteral([toArrayLiteral(['CVE-1', 'GHSA "x"']), toArrayLiteral([])])).toBe(
      '{"{\\"CVE-1\\",\\"GHSA \\\\\\"x\\\\\\"\\"}","{}"}',
    );
  });

  it('builds a literal from a field of each item, escaping only where texts may need it', () => {
    const rows = [
      { id: 'a1', text: 'x"y' },
      { id: 'b2', text: null },
    ];
    expect(toArrayLiteralOf(rows, (r) => r.text)).toBe('{"x\\"y",NULL}');
    expect(toPlainArrayLiteralOf(rows, (r) => r.id)).toBe('{"a1","b2"}');
    expect(toPlainArrayLiteralOf(rows, (r) => r.text ?? undefined)).toBe('{"x"y",NULL}');
  });
});
