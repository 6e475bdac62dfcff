// A strict reader of the PDF files Steward writes, for tests: it checks the file structure (header,
// cross-reference offsets, trailer, end marker) and extracts the text shown on each page.
import { inflateSync } from 'node:zlib';
import { decodeWinAnsi } from '../src/platform/pdf/index.ts';

/** A PDF file as the tests see it. */
export interface ReadPdf {
  /** The bodies of the objects, by number (a stream's dictionary followed by its decoded bytes). */
  objects: Map<number, { dictionary: string; stream: Buffer | null }>;
  trailer: string;
  info: Record<string, string>;
  /** The text of each page, one shown string per line. */
  pages: string[];
}

/** Parse a literal string starting at `start` (an opening parenthesis); returns bytes and end. */
function readLiteral(source: Buffer, start: number): { bytes: Buffer; end: number } {
  const out: number[] = [];
  let depth = 0;
  let i = start;
  for (; i < source.length; i++) {
    const byte = source[i] ?? 0;
    if (byte === 0x5c) {
      const next = source[i + 1] ?? 0;
      const escapes: Record<number, number> = {
        0x6e: 0x0a,
        0x72: 0x0d,
        0x74: 0x09,
        0x62: 0x08,
        0x66: 0x0c,
        0x28: 0x28,
        0x29: 0x29,
        0x5c: 0x5c,
      };
      if (escapes[next] !== undefined) {
        out.push(escapes[next]);
        i++;
      } else if (next >= 0x30 && next <= 0x37) {
        let digits = '';
        while (digits.length < 3 && (source[i + 1] ?? 0) >= 0x30 && (source[i + 1] ?? 0) <= 0x37) {
          digits += String.fromCharCode(source[i + 1] ?? 0);
          i++;
        }
        out.push(parseInt(digits, 8));
      } else {
        i++;
      }
      continue;
    }
    if (byte === 0x28) {
      if (depth > 0) out.push(byte);
      depth++;
      continue;
    }
    if (byte === 0x29) {
      depth--;
      if (depth === 0) return { bytes: Buffer.from(out), end: i + 1 };
      out.push(byte);
      continue;
    }
    out.push(byte);
  }
  throw new Error(`Unterminated string at ${String(start)}`);
}

/** The strings a content stream shows with Tj, in order. */
export function extractShownText(content: Buffer): string[] {
  const shown: string[] = [];
  for (let i = 0; i < content.length; i++) {
    if (content[i] !== 0x28) continue;
    const { bytes, end } = readLiteral(content, i);
    const after = content.subarray(end, end + 4).toString('latin1');
    if (/^\s*Tj/.test(after)) shown.push(decodeWinAnsi(bytes));
    i = end - 1;
  }
  return shown;
}

function decodeTextString(value: string): string {
  const hex = /^<FEFF([0-9A-F]*)>$/i.exec(value);
  if (hex)
    return Buffer.from(hex[1] ?? '', 'hex')
      .swap16()
      .toString('utf16le');
  return readLiteral(Buffer.from(value, 'latin1'), 0).bytes.toString('latin1');
}

/** Read a PDF, throwing on any structural fault; see {@link ReadPdf}. */
export function readPdf(file: Buffer): ReadPdf {
  const text = file.toString('latin1');
  if (!text.startsWith('%PDF-1.4\n')) throw new Error('No %PDF-1.4 header');
  if (!text.endsWith('%%EOF\n')) throw new Error('No %%EOF at the end');
  const tail = /startxref\n(\d+)\n%%EOF\n$/.exec(text);
  if (!tail) throw new Error('No startxref');
  const xrefAt = Number(tail[1]);
  if (text.slice(xrefAt, xrefAt + 5) !== 'xref\n') throw new Error('startxref misses the xref');
  const header = /^xref\n0 (\d+)\n/.exec(text.slice(xrefAt));
  if (!header) throw new Error('Bad xref header');
  const size = Number(header[1]);
  const entriesAt = xrefAt + header[0].length;
  const objects = new Map<number, { dictionary: string; stream: Buffer | null }>();
  for (let n = 0; n < size; n++) {
    const entry = text.slice(entriesAt + n * 20, entriesAt + n * 20 + 20);
    const match = /^(\d{10}) (\d{5}) ([nf]) \n$/.exec(entry);
    if (!match) throw new Error(`Bad xref entry ${String(n)}: ${JSON.stringify(entry)}`);
    if (n === 0) {
      if (match[3] !== 'f') throw new Error('Object 0 must be free');
      continue;
    }
    const offset = Number(match[1]);
    const opening = `${String(n)} 0 obj\n`;
    if (text.slice(offset, offset + opening.length) !== opening) {
      throw new Error(`xref offset of object ${String(n)} does not point at "${opening.trim()}"`);
    }
    const bodyAt = offset + opening.length;
    const streamMark = text.indexOf('\nstream\n', bodyAt);
    const endObj = text.indexOf('\nendobj\n', bodyAt);
    if (endObj < 0) throw new Error(`Object ${String(n)} has no endobj`);
    if (streamMark >= 0 && streamMark < endObj) {
      const dictionary = text.slice(bodyAt, streamMark);
      const length = Number(/\/Length (\d+)/.exec(dictionary)?.[1] ?? NaN);
      const start = streamMark + '\nstream\n'.length;
      const raw = file.subarray(start, start + length);
      if (text.slice(start + length, start + length + 10) !== '\nendstream') {
        throw new Error(`Stream of object ${String(n)} does not end at its /Length`);
      }
      const stream = dictionary.includes('/FlateDecode') ? inflateSync(raw) : Buffer.from(raw);
      objects.set(n, { dictionary, stream });
    } else {
      objects.set(n, { dictionary: text.slice(bodyAt, endObj), stream: null });
    }
  }
  const trailerAt = entriesAt + size * 20;
  if (text.slice(trailerAt, trailerAt + 8) !== 'trailer\n') throw new Error('No trailer');
  const trailer = text.slice(trailerAt + 8, text.indexOf('startxref', trailerAt));
  const ref = (dictionary: string, key: string): number => {
    const found = new RegExp(`/${key} (\\d+) 0 R`).exec(dictionary);
    if (!found) throw new Error(`No /${key} reference`);
    return Number(found[1]);
  };
  const object = (n: number) => {
    const found = objects.get(n);
    if (!found) throw new Error(`Object ${String(n)} is missing`);
    return found;
  };
  if (Number(/\/Size (\d+)/.exec(trailer)?.[1]) !== size) throw new Error('Trailer /Size is wrong');
  const catalog = object(ref(trailer, 'Root'));
  if (!catalog.dictionary.includes('/Type /Catalog')) throw new Error('Root is not a catalog');
  const pageTree = object(ref(catalog.dictionary, 'Pages')).dictionary;
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(pageTree)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map(
    (m) => Number(m[1]),
  );
  if (Number(/\/Count (\d+)/.exec(pageTree)?.[1]) !== kids.length) {
    throw new Error('Page count differs from the kids');
  }
  const pages = kids.map((kid) => {
    const page = object(kid).dictionary;
    if (!page.includes('/Type /Page')) throw new Error(`Object ${String(kid)} is not a page`);
    const content = object(ref(page, 'Contents')).stream;
    if (!content) throw new Error(`Page ${String(kid)} has no content stream`);
    return extractShownText(content).join('\n');
  });
  const infoDictionary = object(ref(trailer, 'Info')).dictionary;
  const info: Record<string, string> = {};
  for (const m of infoDictionary.matchAll(/\/(\w+) (\((?:\\.|[^\\)])*\)|<[0-9A-F]*>)/gi)) {
    info[m[1] ?? ''] = decodeTextString(m[2] ?? '');
  }
  return { objects, trailer, info, pages };
}
