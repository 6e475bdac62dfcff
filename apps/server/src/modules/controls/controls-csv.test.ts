import { describe, expect, it } from 'vitest';
import { formatCsv, formatCsvCell } from './controls-csv.ts';

describe('CSV cells', () => {
  it('leaves plain text and numbers alone', () => {
    expect(formatCsvCell('Backups are tested')).toBe('Backups are tested');
    expect(formatCsvCell(7)).toBe('7');
    expect(formatCsvCell(null)).toBe('');
    expect(formatCsvCell(undefined)).toBe('');
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(formatCsvCell('a,b')).toBe('"a,b"');
    expect(formatCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(formatCsvCell('two\nlines')).toBe('"two\nlines"');
    expect(formatCsvCell('cr\rlf')).toBe('"cr\rlf"');
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    expect(formatCsvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(formatCsvCell('+1')).toBe("'+1");
    expect(formatCsvCell('-2')).toBe("'-2");
    expect(formatCsvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(formatCsvCell('\tcmd')).toBe("'\tcmd");
    expect(formatCsvCell('a=b')).toBe('a=b');
    // Numbers are data, not text a person typed; they stay as they are.
    expect(formatCsvCell(-3)).toBe('-3');
  });
});

describe('CSV documents', () => {
  it('writes a header and rows with CRLF line ends', () => {
    expect(
      formatCsv(
        ['ref', 'title'],
        [
          ['C-1', 'One'],
          ['C-2', 'Two, too'],
        ],
      ),
    ).toBe('ref,title\r\nC-1,One\r\nC-2,"Two, too"\r\n');
  });
});
