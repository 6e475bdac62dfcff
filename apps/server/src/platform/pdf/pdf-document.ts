// A small document model laid out onto A4 pages: headings, wrapped paragraphs and tables with
// fixed column widths whose rows wrap (and split across pages, repeating the header row). Text
// uses the standard Helvetica fonts with WinAnsiEncoding, so nothing is embedded; content streams
// are Flate-compressed. Every page carries "Page n of m".
import { deflateSync } from 'node:zlib';
import {
  assemblePdf,
  formatPdfDate,
  formatPdfLiteral,
  formatPdfStream,
  formatPdfTextString,
  type PdfObjectBody,
} from './pdf-file.ts';
import { measureBytes, type PdfFont } from './pdf-font-metrics.ts';
import { encodeWinAnsi } from './pdf-win-ansi.ts';

/** A column of a table: its header and its width in points (scaled down to fit the page). */
export interface PdfTableColumn {
  header: string;
  width: number;
}

/** A piece of a document, laid out top to bottom. */
export type PdfBlock =
  | { type: 'heading'; text: string; level?: 1 | 2 | 3 }
  | { type: 'paragraph'; text: string; font?: PdfFont; size?: number }
  | {
      type: 'table';
      columns: readonly PdfTableColumn[];
      rows: readonly (readonly string[])[];
      size?: number;
      /** Whether the first column is set in bold (label/value tables). */
      boldFirstColumn?: boolean;
      /** Whether to draw the header row (and repeat it on each page). */
      showHeader?: boolean;
    }
  | { type: 'spacer'; height: number };

/** What the document says about itself, and its page shape. */
export interface PdfDocumentOptions {
  title: string;
  subject?: string;
  author?: string;
  creationDate: Date;
  orientation?: 'portrait' | 'landscape';
  /** Text at the bottom left of every page (the page number is at the bottom right). */
  footer?: string;
}

const a4 = { width: 595.28, height: 841.89 };
const margin = 40;
const footerGap = 24;
const cellPaddingX = 3;
const cellPaddingY = 2.5;
const headingSizes = { 1: 16, 2: 12.5, 3: 10.5 } as const;

type DrawOp =
  | { kind: 'text'; x: number; y: number; font: PdfFont; size: number; bytes: Uint8Array }
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; width: number; gray: number }
  | { kind: 'fill'; x: number; y: number; width: number; height: number; gray: number };

function leadingOf(size: number): number {
  return size * 1.3;
}

/** Split bytes at spaces, keeping runs of non-space bytes. */
function wordsOf(bytes: Uint8Array): Uint8Array[] {
  const words: Uint8Array[] = [];
  let start = -1;
  bytes.forEach((byte, i) => {
    if (byte === 0x20) {
      if (start >= 0) words.push(bytes.subarray(start, i));
      start = -1;
    } else if (start < 0) start = i;
  });
  if (start >= 0) words.push(bytes.subarray(start));
  return words;
}

/** Break a word longer than the width into pieces that fit (at least one byte each). */
function breakWord(word: Uint8Array, font: PdfFont, size: number, width: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  while (start < word.length) {
    let end = start + 1;
    while (end < word.length && measureBytes(word.subarray(start, end + 1), font, size) <= width) {
      end++;
    }
    pieces.push(word.subarray(start, end));
    start = end;
  }
  return pieces;
}

/**
 * Wrap text into lines no wider than `width` points: explicit line breaks are kept, words are
 * moved to the next line whole, and a word wider than a line is broken. Empty text is one line.
 */
export function wrapText(text: string, font: PdfFont, size: number, width: number): Uint8Array[] {
  const lines: Uint8Array[] = [];
  const space = measureBytes(Uint8Array.of(0x20), font, size);
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    let line: Uint8Array[] = [];
    let lineWidth = 0;
    const flush = () => {
      const joined: number[] = [];
      line.forEach((word, i) => {
        if (i > 0) joined.push(0x20);
        joined.push(...word);
      });
      lines.push(Uint8Array.from(joined));
      line = [];
      lineWidth = 0;
    };
    const words = wordsOf(encodeWinAnsi(paragraph));
    for (const whole of words) {
      const pieces =
        measureBytes(whole, font, size) > width ? breakWord(whole, font, size, width) : [whole];
      for (const word of pieces) {
        const wordWidth = measureBytes(word, font, size);
        const needed = line.length === 0 ? wordWidth : lineWidth + space + wordWidth;
        if (line.length > 0 && needed > width) flush();
        lineWidth = line.length === 0 ? wordWidth : lineWidth + space + wordWidth;
        line.push(word);
      }
    }
    flush();
  }
  return lines;
}

/** Lays blocks out onto pages of drawing operations. */
class PageLayout {
  readonly pages: DrawOp[][] = [];
  private ops: DrawOp[] = [];
  private y = 0;
  readonly left = margin;
  readonly right: number;
  private readonly top: number;
  private readonly bottom = margin + footerGap;

  constructor(readonly size: { width: number; height: number }) {
    this.right = size.width - margin;
    this.top = size.height - margin;
    this.newPage();
  }

  get width(): number {
    return this.right - this.left;
  }

  get remaining(): number {
    return this.y - this.bottom;
  }

  get isPageEmpty(): boolean {
    return this.y === this.top;
  }

  newPage(): void {
    this.ops = [];
    this.pages.push(this.ops);
    this.y = this.top;
  }

  /** Start a new page unless `height` fits on this one (or this one is empty). */
  ensure(height: number): void {
    if (height > this.remaining && !this.isPageEmpty) this.newPage();
  }

  advance(height: number): void {
    this.y -= height;
  }

  text(x: number, font: PdfFont, size: number, bytes: Uint8Array, lineIndex = 0): void {
    // Baselines sit a font size below the line's top, less the descender's share.
    const baseline = this.y - lineIndex * leadingOf(size) - size * 0.95;
    this.ops.push({ kind: 'text', x, y: baseline, font, size, bytes });
  }

  line(x1: number, x2: number, width: number, gray: number): void {
    this.ops.push({ kind: 'line', x1, y1: this.y, x2, y2: this.y, width, gray });
  }

  fill(x: number, width: number, height: number, gray: number): void {
    this.ops.push({ kind: 'fill', x, y: this.y - height, width, height, gray });
  }

  paragraph(text: string, font: PdfFont, size: number): void {
    for (const line of wrapText(text, font, size, this.width)) {
      this.ensure(leadingOf(size));
      this.text(this.left, font, size, line);
      this.advance(leadingOf(size));
    }
  }

  table(block: Extract<PdfBlock, { type: 'table' }>): void {
    const size = block.size ?? 8;
    const leading = leadingOf(size);
    const total = block.columns.reduce((sum, c) => sum + c.width, 0);
    const scale = total > this.width ? this.width / total : 1;
    const widths = block.columns.map((c) => c.width * scale);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const tableRight = this.left + widths.reduce((a, b) => a + b, 0);
    const cellLines = (cells: readonly string[], boldAll: boolean) =>
      widths.map((w, i) =>
        wrapText(
          cells[i] ?? '',
          boldAll || (block.boldFirstColumn === true && i === 0) ? 'bold' : 'regular',
          size,
          Math.max(w - 2 * cellPaddingX, 1),
        ),
      );
    const header = cellLines(
      block.columns.map((c) => c.header),
      true,
    );
    const headerHeight = Math.max(...header.map((l) => l.length)) * leading + 2 * cellPaddingY;
    const showHeader = block.showHeader !== false;
    const drawHeader = () => {
      if (!showHeader) return;
      this.fill(this.left, tableRight - this.left, headerHeight, 0.9);
      this.advance(cellPaddingY);
      header.forEach((lines, i) => {
        lines.forEach((bytes, n) => {
          this.text((xs[i] ?? 0) + cellPaddingX, 'bold', size, bytes, n);
        });
      });
      this.advance(headerHeight - cellPaddingY);
      this.line(this.left, tableRight, 0.6, 0.4);
    };
    this.ensure((showHeader ? headerHeight : 0) + leading + 2 * cellPaddingY);
    drawHeader();
    for (const row of block.rows) {
      const cells = cellLines(row, false);
      const fonts = widths.map((_, i): PdfFont =>
        block.boldFirstColumn === true && i === 0 ? 'bold' : 'regular',
      );
      let from = 0;
      let isFreshPage = false;
      const count = Math.max(1, ...cells.map((l) => l.length));
      while (from < count) {
        const fitting = Math.floor((this.remaining - 2 * cellPaddingY) / leading);
        const rest = count - from;
        // A row that fits on a fresh page is moved there whole; a longer one is split.
        const pageCapacity = Math.floor(
          (this.size.height - 2 * margin - footerGap - headerHeight - 2 * cellPaddingY) / leading,
        );
        if (!isFreshPage && fitting < rest && (fitting < 1 || rest <= pageCapacity)) {
          this.newPage();
          drawHeader();
          isFreshPage = true;
          continue;
        }
        isFreshPage = false;
        const take = Math.max(1, Math.min(rest, fitting));
        this.advance(cellPaddingY);
        cells.forEach((lines, i) => {
          lines.slice(from, from + take).forEach((bytes, n) => {
            this.text((xs[i] ?? 0) + cellPaddingX, fonts[i] ?? 'regular', size, bytes, n);
          });
        });
        this.advance(take * leading + cellPaddingY);
        this.line(this.left, tableRight, 0.3, 0.75);
        from += take;
      }
    }
  }
}

function contentStream(ops: readonly DrawOp[]): Buffer {
  const parts: string[] = [];
  const n = (value: number) => String(Math.round(value * 100) / 100);
  for (const op of ops) {
    if (op.kind === 'text') {
      parts.push(
        `BT /${op.font === 'bold' ? 'F2' : 'F1'} ${n(op.size)} Tf ${n(op.x)} ${n(op.y)} Td ${formatPdfLiteral(op.bytes)} Tj ET`,
      );
    } else if (op.kind === 'line') {
      parts.push(
        `q ${n(op.width)} w ${n(op.gray)} G ${n(op.x1)} ${n(op.y1)} m ${n(op.x2)} ${n(op.y2)} l S Q`,
      );
    } else {
      parts.push(`q ${n(op.gray)} g ${n(op.x)} ${n(op.y)} ${n(op.width)} ${n(op.height)} re f Q`);
    }
  }
  return Buffer.from(parts.join('\n'), 'latin1');
}

/** Lay the blocks out and write them as a PDF 1.4 document. */
export function renderPdf(options: PdfDocumentOptions, blocks: readonly PdfBlock[]): Buffer {
  const size = options.orientation === 'landscape' ? { width: a4.height, height: a4.width } : a4;
  const layout = new PageLayout(size);
  for (const block of blocks) {
    if (block.type === 'heading') {
      const fontSize = headingSizes[block.level ?? 1];
      if (!layout.isPageEmpty) layout.advance(fontSize * 0.6);
      // Keep a heading with at least two lines of what follows it.
      layout.ensure(leadingOf(fontSize) + 2 * leadingOf(10));
      layout.paragraph(block.text, 'bold', fontSize);
      layout.advance(fontSize * 0.3);
    } else if (block.type === 'paragraph') {
      layout.paragraph(block.text, block.font ?? 'regular', block.size ?? 10);
      layout.advance(3);
    } else if (block.type === 'table') {
      layout.table(block);
      layout.advance(8);
    } else if (!layout.isPageEmpty) {
      layout.advance(Math.min(block.height, layout.remaining));
    }
  }
  const pageCount = layout.pages.length;
  const footerBytes = encodeWinAnsi(options.footer ?? options.title);
  layout.pages.forEach((ops, index) => {
    const label = encodeWinAnsi(`Page ${String(index + 1)} of ${String(pageCount)}`);
    const baseline = margin - 8;
    ops.push({
      kind: 'text',
      x: margin,
      y: baseline,
      font: 'regular',
      size: 8,
      bytes: footerBytes,
    });
    ops.push({
      kind: 'text',
      x: size.width - margin - measureBytes(label, 'regular', 8),
      y: baseline,
      font: 'regular',
      size: 8,
      bytes: label,
    });
  });

  // 1 catalogue, 2 page tree, 3-4 fonts, 5 information, then a page and its content per page.
  const pageObject = (index: number) => 6 + index * 2;
  const objects: PdfObjectBody[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${layout.pages.map((_, i) => `${String(pageObject(i))} 0 R`).join(' ')}] /Count ${String(pageCount)} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Title ${formatPdfTextString(options.title)}` +
      (options.subject ? ` /Subject ${formatPdfTextString(options.subject)}` : '') +
      (options.author ? ` /Author ${formatPdfTextString(options.author)}` : '') +
      ` /Producer (Steward) /Creator (Steward) /CreationDate (${formatPdfDate(options.creationDate)}) >>`,
  ];
  const mediaBox = `[0 0 ${String(size.width)} ${String(size.height)}]`;
  layout.pages.forEach((ops, index) => {
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox ${mediaBox} ` +
        `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${String(pageObject(index) + 1)} 0 R >>`,
    );
    objects.push(formatPdfStream('/Filter /FlateDecode', deflateSync(contentStream(ops))));
  });
  return assemblePdf(objects, 1, 5);
}
