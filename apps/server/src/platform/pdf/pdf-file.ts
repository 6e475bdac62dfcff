// The file syntax of PDF 1.4 (ISO 32000-1 §7.5): numbered indirect objects, a cross-reference
// table whose entries are the byte offsets of "n 0 obj", and a trailer naming the catalogue.
import { createHash } from 'node:crypto';

/** A PDF object's body, between "n 0 obj" and "endobj". */
export type PdfObjectBody = string | Buffer;

/** A literal string of bytes: ( ) and \ escaped, bytes outside printable ASCII in octal. */
export function formatPdfLiteral(bytes: Uint8Array): string {
  let out = '(';
  for (const byte of bytes) {
    if (byte === 0x28 || byte === 0x29 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x20 || byte > 0x7e) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out})`;
}

/**
 * A text string of the document's metadata (§7.9.2.2): printable ASCII as a literal, anything
 * else as UTF-16BE with its byte order mark, so titles keep every character.
 */
export function formatPdfTextString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return formatPdfLiteral(Buffer.from(text, 'latin1'));
  const utf16 = Buffer.from(text, 'utf16le').swap16();
  return `<FEFF${utf16.toString('hex').toUpperCase()}>`;
}

/** A date as PDF writes it (§7.9.4), in UTC: D:YYYYMMDDHHmmSSZ. */
export function formatPdfDate(date: Date): string {
  const iso = date.toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** A stream object's body: its dictionary entries (without Length) and its bytes. */
export function formatPdfStream(dictionary: string, bytes: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`<< ${dictionary} /Length ${String(bytes.length)} >>\nstream\n`, 'latin1'),
    bytes,
    Buffer.from('\nendstream', 'latin1'),
  ]);
}

/**
 * Assemble a PDF file from its objects (object n is `objects[n - 1]`), with the cross-reference
 * table, the trailer (catalogue `root`, document information `info`) and a file identifier.
 */
export function assemblePdf(objects: readonly PdfObjectBody[], root: number, info: number): Buffer {
  // The binary comment tells transfer tools the file is binary (§7.5.2).
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]?.length ?? 0;
  const offsets: number[] = [];
  const digest = createHash('sha256');
  objects.forEach((body, index) => {
    const chunk = Buffer.concat([
      Buffer.from(`${String(index + 1)} 0 obj\n`, 'latin1'),
      typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    offsets.push(offset);
    offset += chunk.length;
    digest.update(chunk);
    chunks.push(chunk);
  });
  const xrefOffset = offset;
  // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, space and LF.
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  const id = digest.digest('hex').slice(0, 32).toUpperCase();
  chunks.push(
    Buffer.from(
      `xref\n0 ${String(objects.length + 1)}\n0000000000 65535 f \n${entries}` +
        `trailer\n<< /Size ${String(objects.length + 1)} /Root ${String(root)} 0 R /Info ${String(info)} 0 R /ID [<${id}> <${id}>] >>\n` +
        `startxref\n${String(xrefOffset)}\n%%EOF\n`,
      'latin1',
    ),
  );
  return Buffer.concat(chunks);
}
