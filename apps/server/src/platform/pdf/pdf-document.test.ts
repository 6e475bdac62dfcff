import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readPdf } from '../../../test/pdf-reader.ts';
import { renderPdf, wrapText } from './pdf-document.ts';
import { formatPdfDate, formatPdfLiteral, formatPdfTextString } from './pdf-file.ts';
import { measureBytes } from './pdf-font-metrics.ts';
import { decodeWinAnsi, encodeWinAnsi } from './pdf-win-ansi.ts';

const created = new Date('2026-11-27T08:15:30.000Z');

describe('WinAnsi text', () => {
  it('keeps Latin-1 and the typographic characters of the encoding', () => {
    const text = 'Zoë Müller — “quoted” € … ß ñ';
    expect(decodeWinAnsi(encodeWinAnsi(text))).toBe(text);
    expect([...encodeWinAnsi('€–')]).toEqual([0x80, 0x96]);
  });

  it('replaces characters outside it by their base letter, or "?"', () => {
    expect(decodeWinAnsi(encodeWinAnsi('Łukasz Őrs ﬁle'))).toBe('Lukasz Ors file');
    expect(decodeWinAnsi(encodeWinAnsi('東京 Ω 😀'))).toBe('?? ? ?');
    expect(decodeWinAnsi(encodeWinAnsi('a\tb\u00a0c\u2003d'))).toBe('a b\u00a0c d');
  });
});

describe('PDF syntax', () => {
  it('escapes parentheses and backslashes, and writes other bytes in octal', () => {
    expect(formatPdfLiteral(encodeWinAnsi('a (b) \\ c'))).toBe('(a \\(b\\) \\\\ c)');
    expect(formatPdfLiteral(encodeWinAnsi('é€'))).toBe('(\\351\\200)');
  });

  it('writes metadata text as ASCII or UTF-16BE, and dates in UTC', () => {
    expect(formatPdfTextString('Q3 review')).toBe('(Q3 review)');
    expect(formatPdfTextString('Ré')).toBe('<FEFF005200E9>');
    expect(formatPdfDate(created)).toBe('D:20261127081530Z');
  });
});

describe('wrapText', () => {
  it('wraps at words within the width, keeps line breaks and breaks over-long words', () => {
    const width = 100;
    const lines = wrapText(
      'The quick brown fox jumps over the lazy dog\nNext',
      'regular',
      10,
      width,
    );
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(measureBytes(line, 'regular', 10)).toBeLessThanOrEqual(width);
    expect(lines.map((l) => decodeWinAnsi(l)).join(' ')).toBe(
      'The quick brown fox jumps over the lazy dog Next',
    );
    expect(decodeWinAnsi(lines.at(-1) ?? new Uint8Array())).toBe('Next');
    const long = wrapText('x'.repeat(200), 'bold', 10, 50);
    expect(long.length).toBeGreaterThan(3);
    expect(long.map((l) => decodeWinAnsi(l)).join('')).toBe('x'.repeat(200));
    expect(wrapText('', 'regular', 10, 50)).toHaveLength(1);
  });
});

describe('renderPdf', () => {
  it('writes a well-formed file: header, xref offsets, trailer, info and %%EOF', () => {
    const pdf = renderPdf({ title: 'Access review (Q3) \\ 2026', creationDate: created }, [
      { type: 'heading', text: 'Report' },
      { type: 'paragraph', text: 'Hello (world) \\ back' },
    ]);
    expect(pdf.subarray(0, 9).toString('latin1')).toBe('%PDF-1.4\n');
    const read = readPdf(pdf);
    expect(read.trailer).toMatch(/\/Root 1 0 R/);
    expect(read.info).toMatchObject({
      Title: 'Access review (Q3) \\ 2026',
      Producer: 'Steward',
      CreationDate: 'D:20261127081530Z',
    });
    expect(read.pages).toHaveLength(1);
    expect(read.pages[0]).toContain('Report\nHello (world) \\ back');
    expect(read.pages[0]).toContain('Page 1 of 1');
    // Fonts are the standard ones with WinAnsiEncoding; nothing is embedded.
    const fonts = [...read.objects.values()].filter((o) => o.dictionary.includes('/Type /Font'));
    expect(fonts.map((f) => f.dictionary)).toEqual([
      expect.stringContaining('/BaseFont /Helvetica /Encoding /WinAnsiEncoding'),
      expect.stringContaining('/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding'),
    ]);
  });

  it('keeps a title in another script exactly, and replaces what the fonts cannot show', () => {
    const pdf = renderPdf({ title: 'Revue d’accès — 東京', creationDate: created }, [
      { type: 'paragraph', text: 'Zoë in 東京 paid 5 €' },
    ]);
    const read = readPdf(pdf);
    expect(read.info.Title).toBe('Revue d’accès — 東京');
    expect(read.pages[0]).toContain('Zoë in ?? paid 5 €');
  });

  it('breaks pages and numbers them "Page n of m"', () => {
    const paragraphs = Array.from({ length: 150 }, (_, i) => ({
      type: 'paragraph' as const,
      text: `Paragraph ${String(i + 1)} with enough words to be a line of its own.`,
    }));
    const read = readPdf(renderPdf({ title: 'Long', creationDate: created }, paragraphs));
    const count = read.pages.length;
    expect(count).toBeGreaterThan(2);
    read.pages.forEach((page, i) => {
      expect(page).toContain(`Page ${String(i + 1)} of ${String(count)}`);
    });
    const all = read.pages.join('\n');
    for (let i = 1; i <= 150; i++) expect(all).toContain(`Paragraph ${String(i)} with`);
  });

  it('lays out tables with wrapped cells, repeating the header on each page', () => {
    const rows = Array.from({ length: 120 }, (_, i) => [
      `account-${String(i)}`,
      `A comment long enough to wrap onto several lines of its narrow column, row ${String(i)}`,
    ]);
    const pdf = renderPdf({ title: 'Table', creationDate: created, orientation: 'landscape' }, [
      {
        type: 'table',
        columns: [
          { header: 'Account', width: 100 },
          { header: 'Comment', width: 120 },
        ],
        rows,
      },
    ]);
    const read = readPdf(pdf);
    expect(read.pages.length).toBeGreaterThan(1);
    for (const page of read.pages) expect(page.startsWith('Account\nComment')).toBe(true);
    const all = read.pages.join('\n');
    expect(all).toContain('account-119');
    expect(all).toContain('A comment long enough to\nwrap onto');
    // Landscape A4.
    const page = [...read.objects.values()].find((o) => o.dictionary.includes('/Type /Page '));
    expect(page?.dictionary).toContain('/MediaBox [0 0 841.89 595.28]');
  });

  it('splits a row taller than a page across pages', () => {
    const tall = Array.from({ length: 200 }, (_, i) => `line ${String(i)}`).join('\n');
    const read = readPdf(
      renderPdf({ title: 'Tall', creationDate: created }, [
        { type: 'table', columns: [{ header: 'Text', width: 300 }], rows: [[tall], ['after']] },
      ]),
    );
    expect(read.pages.length).toBeGreaterThan(1);
    const all = read.pages.join('\n');
    expect(all).toContain('line 0\n');
    expect(all).toContain('line 199\n');
    expect(all).toContain('after');
  });

  it('compresses content streams with Flate', () => {
    const pdf = renderPdf({ title: 'Z', creationDate: created }, [
      { type: 'paragraph', text: 'z' },
    ]);
    const text = pdf.toString('latin1');
    const at = text.indexOf('/FlateDecode');
    expect(at).toBeGreaterThan(0);
    const start = text.indexOf('stream\n', at) + 'stream\n'.length;
    const length = Number(/\/Length (\d+)/.exec(text.slice(at - 40, at + 40))?.[1]);
    expect(inflateSync(pdf.subarray(start, start + length)).toString('latin1')).toContain('(z) Tj');
  });
});
