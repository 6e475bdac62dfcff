// Text for the standard fonts is WinAnsiEncoding (PDF 1.4, Appendix D): ASCII, Latin-1 from 0xA0,
// and 27 typographic characters at 0x80-0x9F. Anything else is replaced by its base letter when
// it has one, else by "?", so a report never shows a wrong glyph silently.

const highCodes = new Map<number, number>([
  [0x20ac, 0x80],
  [0x201a, 0x82],
  [0x0192, 0x83],
  [0x201e, 0x84],
  [0x2026, 0x85],
  [0x2020, 0x86],
  [0x2021, 0x87],
  [0x02c6, 0x88],
  [0x2030, 0x89],
  [0x0160, 0x8a],
  [0x2039, 0x8b],
  [0x0152, 0x8c],
  [0x017d, 0x8e],
  [0x2018, 0x91],
  [0x2019, 0x92],
  [0x201c, 0x93],
  [0x201d, 0x94],
  [0x2022, 0x95],
  [0x2013, 0x96],
  [0x2014, 0x97],
  [0x02dc, 0x98],
  [0x2122, 0x99],
  [0x0161, 0x9a],
  [0x203a, 0x9b],
  [0x0153, 0x9c],
  [0x017e, 0x9e],
  [0x0178, 0x9f],
]);

const byteToCodePoint = new Map<number, number>([...highCodes].map(([cp, byte]) => [byte, cp]));

// Letters Unicode does not decompose into a base letter, and punctuation with a close stand-in.
const lookalikes = new Map<string, string>([
  ['Ł', 'L'],
  ['ł', 'l'],
  ['Đ', 'D'],
  ['đ', 'd'],
  ['Ħ', 'H'],
  ['ħ', 'h'],
  ['ı', 'i'],
  ['‐', '-'],
  ['‑', '-'],
  ['‒', '-'],
  ['−', '-'],
  ['→', '->'],
  ['←', '<-'],
  ['≤', '<='],
  ['≥', '>='],
  ['\u2032', "'"],
  ['\u2033', '"'],
]);

/** The WinAnsi byte of a code point, or undefined when the encoding has none. */
function byteOf(codePoint: number): number | undefined {
  if (codePoint >= 0x20 && codePoint <= 0x7e) return codePoint;
  if (codePoint >= 0xa0 && codePoint <= 0xff) return codePoint;
  return highCodes.get(codePoint);
}

/**
 * Encode text as WinAnsi bytes. Controls and line breaks become spaces (lines are laid out before
 * encoding), other spaces a plain space, letters outside the encoding their base letter or "?".
 */
export function encodeWinAnsi(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0x3f;
    const direct = byteOf(codePoint);
    if (direct !== undefined) {
      bytes.push(direct);
      continue;
    }
    if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0) || /\s/u.test(char)) {
      bytes.push(0x20);
      continue;
    }
    const lookalike = lookalikes.get(char);
    if (lookalike !== undefined) {
      for (const c of lookalike) bytes.push(c.charCodeAt(0));
      continue;
    }
    // Combining marks dropped after decomposition leave the base letter: "ő" → "o", "ﬁ" → "fi".
    // Code points are what the encoding maps, so splitting by code point is the intent here.
    const parts = Array.from(char.normalize('NFKD')).filter((c) => !/\p{M}/u.test(c));
    const mapped = parts.map((c) => byteOf(c.codePointAt(0) ?? 0));
    if (parts.length > 0 && mapped.every((b): b is number => b !== undefined))
      bytes.push(...mapped);
    else bytes.push(0x3f);
  }
  return Uint8Array.from(bytes);
}

/** Decode WinAnsi bytes back to text (what a reader of the document sees). */
export function decodeWinAnsi(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCodePoint(byteToCodePoint.get(byte) ?? byte);
  return text;
}
