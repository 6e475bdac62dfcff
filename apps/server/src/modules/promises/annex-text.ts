/** One promise of an annex: a bullet or a committing sentence, numbered within its section. */
export interface ParsedPromise {
  /** `2.3` is the 3rd promise of section 2; `0.n` are promises outside any section. */
  ref: string;
  sectionNumber: number;
  sectionTitle: string;
  text: string;
  /** 1-based line of the input where the promise starts. */
  line: number;
  /** The lead-in or sub-heading the promise completes ("Customer is responsible for"). */
  leadIn?: string;
}

/** An annex split into its title, preamble, sections and promises. */
export interface ParsedAnnex {
  title: string | null;
  /** Text before the first section (dates, scope); it yields promises only from its bullets. */
  preamble: string;
  sections: { number: number; title: string; line: number }[];
  promises: ParsedPromise[];
}

/** Why an annex could not be read, with the line at fault when there is one. */
export class AnnexTextError extends Error {
  constructor(
    message: string,
    readonly where?: { line?: number },
  ) {
    super(message);
    this.name = 'AnnexTextError';
  }
}

/** Largest annex accepted, in bytes of UTF-8. */
export const maxAnnexBytes = 1024 * 1024;

/** Longest promise accepted, in characters. */
export const maxPromiseLength = 2000;

const pasteAdvice = 'paste the text or upload Markdown or plain text';

/**
 * Splits a security annex (Markdown or plain text) into sections and promises. Sections come
 * from Markdown headings or, without them, from numbered headings (`1)`, `1.`, `Section 1 -`,
 * `A.`), capitalised or bold lines; promises are list items and, inside sections, sentences that
 * commit to something. Throws AnnexTextError on input that is not text or holds no promises.
 */
export function parseAnnexText(input: Buffer | string, fileName?: string): ParsedAnnex {
  const name = fileName?.split(/[\\/]/).pop()?.trim().slice(0, 120);
  const subject = name !== undefined && name !== '' ? name : 'The annex';
  const extension = /\.([a-z0-9]+)$/i.exec(name ?? '')?.[1]?.toLowerCase() ?? '';
  const text = normalizeText(decodeAnnex(input, subject, extension));
  if (text.trim() === '') {
    throw new AnnexTextError(
      `${subject} is empty; paste the annex text or upload a Markdown or plain-text file`,
    );
  }
  if (/^\s*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i.test(text)) {
    throw new AnnexTextError(`${subject} looks like an HTML page; ${pasteAdvice}`);
  }
  const lines = splitLines(text);
  const kinds = classifyLines(lines);
  const structure = findStructure(lines, kinds);
  const annex = collectAnnex(lines, kinds, structure);
  if (annex.promises.length === 0) {
    throw new AnnexTextError(
      `${subject} holds no promises: Steward reads list items (bullets or numbers) and ` +
        'sentences that commit to something ("will", "must", "maintains", "is encrypted"); ' +
        'check that the text is the security annex',
    );
  }
  return annex;
}

function decodeAnnex(input: Buffer | string, subject: string, extension: string): string {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > maxAnnexBytes) {
    throw new AnnexTextError(
      `${subject} is ${(size / maxAnnexBytes).toFixed(1)} MB; the limit is 1 MB: keep the ` +
        'security annex only, or split it into several annexes',
    );
  }
  const head =
    typeof input === 'string' ? input.slice(0, 16) : input.subarray(0, 16).toString('latin1');
  const format = recognizeFileFormat(head, extension);
  if (format !== null) throw new AnnexTextError(`${subject} looks like ${format}; ${pasteAdvice}`);
  const text = typeof input === 'string' ? input : decodeBytes(input, subject);
  const control = findControlCharacter(text);
  if (control !== -1) {
    const line = lineAt(text, control);
    throw new AnnexTextError(
      `${subject} holds binary data (a control character on line ${line}); ${pasteAdvice}`,
      { line },
    );
  }
  return text;
}

/** Formats people upload by mistake, recognised by their first bytes. */
function recognizeFileFormat(head: string, extension: string): string | null {
  if (head.startsWith('%PDF')) return 'a PDF file';
  if (['PK\x03\x04', 'PK\x05\x06', 'PK\x07\x08'].some((magic) => head.startsWith(magic))) {
    if (extension === 'docx') return 'a Word document (DOCX)';
    if (extension === 'odt') return 'an OpenDocument text (ODT)';
    if (extension === 'xlsx') return 'an Excel workbook (XLSX)';
    if (extension === 'pptx') return 'a PowerPoint presentation (PPTX)';
    if (extension === 'pages') return 'a Pages document';
    return 'a ZIP archive (such as a Word document)';
  }
  if (head.startsWith('\xD0\xCF\x11\xE0')) return 'a Microsoft Office document (DOC, XLS)';
  if (head.startsWith('{\\rtf')) return 'an RTF document';
  if (head.startsWith('\x89PNG') || head.startsWith('\xFF\xD8\xFF') || head.startsWith('GIF8')) {
    return 'an image';
  }
  if (head.startsWith('\x1F\x8B') || head.startsWith('Rar!') || head.startsWith('7z\xBC\xAF')) {
    return 'a compressed archive';
  }
  if (head.startsWith('\x7FELF') || head.startsWith('MZ\x90')) return 'a program';
  return null;
}

function decodeBytes(bytes: Buffer, subject: string): string {
  const isUtf16Le = bytes[0] === 0xff && bytes[1] === 0xfe;
  const isUtf16Be = bytes[0] === 0xfe && bytes[1] === 0xff;
  if (!isUtf16Le && !isUtf16Be && bytes.includes(0)) {
    throw new AnnexTextError(`${subject} looks like a binary file; ${pasteAdvice}`);
  }
  try {
    if (isUtf16Le || isUtf16Be) {
      // Windows editors save "Unicode" text as UTF-16 with a byte-order mark.
      const body = Buffer.from(bytes.subarray(2));
      if (isUtf16Be) body.swap16();
      return new TextDecoder('utf-16le', { fatal: true }).decode(body);
    }
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const line = lineAt(lossy, Math.max(0, lossy.indexOf('\uFFFD')));
    throw new AnnexTextError(
      `${subject} is not UTF-8 text (first bad byte on line ${line}); save it as UTF-8, or ` +
        'paste the text',
      { line },
    );
  }
}

function findControlCharacter(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Tab, line feed, vertical tab, form feed and carriage return are layout, not binary.
    if ((code < 32 && (code < 9 || code > 13)) || code === 127) return i;
  }
  return -1;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function normalizeText(text: string): string {
  return (
    text
      .replace(/^\uFEFF/, '')
      .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
      // Page breaks of text exported from PDF or Word, and the many widths of space.
      .replace(/[\f\v\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, ' ')
      .replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, '')
      .normalize('NFC')
  );
}

interface Line {
  no: number;
  indent: number;
  text: string;
}

type ItemStyle =
  'bullet' | 'digit.' | 'digit)' | '(digit)' | 'multi' | 'lower' | 'alpha.' | 'alpha)' | 'section';

type LineKind =
  | { kind: 'blank' }
  | { kind: 'skip' }
  | { kind: 'atx'; level: number; text: string }
  | { kind: 'item'; style: ItemStyle; label: string; text: string; contentIndent: number }
  | { kind: 'row'; text: string }
  | { kind: 'text'; text: string };

function splitLines(text: string): Line[] {
  return text.split('\n').map((raw, index) => {
    let indent = 0;
    let start = 0;
    for (; start < raw.length; start++) {
      const char = raw[start];
      if (char === ' ') indent++;
      else if (char === '\t') indent += 4 - (indent % 4);
      else break;
    }
    return { no: index + 1, indent, text: raw.slice(start).replace(/\s+$/, '') };
  });
}

const bulletPattern =
  /^(?:[-*+](?=\s)|[•●◦○▪▫■□‣⁃∙·►▸▹➢➤✓✔\uF0A7\uF0B7\uF076\uF0D8\uF0FC])\s*(?:\[[ xX]\]\s+)?(.*)$/u;
const orderedPatterns: readonly (readonly [RegExp, ItemStyle])[] = [
  [/^(\d{1,3}(?:\.\d{1,3})+)\.?\s+(.+)$/, 'multi'],
  [/^(\d{1,3})\.\s+(.+)$/, 'digit.'],
  [/^(\d{1,3})\)\s+(.+)$/, 'digit)'],
  [/^\((\d{1,3})\)\s+(.+)$/, '(digit)'],
  [/^\(?([a-z]|[ivx]{2,4})[.)]\s+(.+)$/, 'lower'],
  [/^([A-Z]|[IVXLC]{2,6})\.\s+(.+)$/, 'alpha.'],
  [/^\(?([A-Z]|[IVXLC]{2,6})\)\s+(.+)$/, 'alpha)'],
  [
    /^(?:section|article|part|clause)\s+(\d{1,3}|[A-Z]|[IVXLC]{1,6})\b\.?\s*(?:[-–—:.)]\s*)?(.+)$/i,
    'section',
  ],
];
const tableSeparator = /^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$/;

function classifyLines(lines: readonly Line[]): LineKind[] {
  const kinds: LineKind[] = [];
  let fence: string | null = null;
  let inComment = false;
  const frontMatterEnd = findFrontMatterEnd(lines);
  for (const [index, line] of lines.entries()) {
    const text = line.text.replace(/^(>\s?)+/, '');
    if (index <= frontMatterEnd) kinds.push({ kind: 'skip' });
    else if (fence !== null) {
      if (text.startsWith(fence)) fence = null;
      kinds.push({ kind: 'skip' });
    } else if (inComment) {
      inComment = !text.includes('-->');
      kinds.push({ kind: 'skip' });
    } else if (text === '') kinds.push({ kind: 'blank' });
    else if (/^(```|~~~)/.test(text)) {
      fence = text.slice(0, 3);
      kinds.push({ kind: 'skip' });
    } else if (text.startsWith('<!--')) {
      inComment = !text.includes('-->');
      kinds.push({ kind: 'skip' });
    } else kinds.push(classifyText(text, line.indent));
  }
  // Setext headings: a line of text underlined with === or ---; table headers above separators.
  for (let i = 1; i < kinds.length; i++) {
    const kind = kinds[i];
    const previous = kinds[i - 1];
    const text = lines[i]?.text ?? '';
    if (kind?.kind === 'skip' && /^(=+|-+)$/.test(text) && previous?.kind === 'text') {
      kinds[i - 1] = { kind: 'atx', level: text.startsWith('=') ? 1 : 2, text: previous.text };
    }
    if (kind?.kind === 'skip' && tableSeparator.test(text) && previous?.kind === 'row') {
      kinds[i - 1] = { kind: 'skip' };
    }
  }
  return kinds;
}

function findFrontMatterEnd(lines: readonly Line[]): number {
  if (lines[0]?.text !== '---') return -1;
  for (let i = 1; i < Math.min(lines.length, 60); i++) {
    const text = lines[i]?.text;
    if (text === '---' || text === '...') return i;
  }
  return -1;
}

function classifyText(text: string, indent: number): LineKind {
  if (/^([-*_=])(\s*\1){2,}$/.test(text) || /^(=+|-+)$/.test(text)) return { kind: 'skip' };
  if (tableSeparator.test(text) && text.includes('|')) return { kind: 'skip' };
  // Link reference definitions ([1]: https://...) are not content.
  if (/^\[[^\]]+\]:\s*\S+/.test(text)) return { kind: 'skip' };
  const atx = /^(#{1,6})(\s+.*)?$/.exec(text);
  if (atx) {
    const title = (atx[2] ?? '').replace(/\s+#+\s*$/, '').trim();
    if (title.length > longestHeading) return { kind: 'text', text };
    return title === ''
      ? { kind: 'skip' }
      : { kind: 'atx', level: atx[1]?.length ?? 1, text: title };
  }
  if (text.startsWith('|')) {
    const cells = text
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim())
      .filter((cell) => cell !== '');
    return cells.length === 0 ? { kind: 'skip' } : { kind: 'row', text: cells.join(' — ') };
  }
  const bullet = bulletPattern.exec(text);
  if (bullet) {
    const rest = bullet[1] ?? '';
    if (rest === '') return { kind: 'skip' };
    return {
      kind: 'item',
      style: 'bullet',
      label: '',
      text: rest,
      contentIndent: indent + text.length - rest.length,
    };
  }
  for (const [pattern, style] of orderedPatterns) {
    const match = pattern.exec(text);
    if (match) {
      const rest = match[2] ?? '';
      return {
        kind: 'item',
        style,
        label: match[1] ?? '',
        text: rest,
        contentIndent: indent + text.length - rest.length,
      };
    }
  }
  return { kind: 'text', text };
}

interface Heading {
  index: number;
  label: string | null;
  title: string;
}

interface Structure {
  titleIndex: number | null;
  title: string | null;
  headings: Heading[];
  numbers: number[];
  subheadings: Map<number, string>;
}

function findStructure(lines: readonly Line[], kinds: readonly LineKind[]): Structure {
  const markdown: { index: number; level: number; text: string }[] = [];
  kinds.forEach((kind, index) => {
    if (kind.kind === 'atx') markdown.push({ index, level: kind.level, text: kind.text });
  });
  let titleIndex: number | null = null;
  let title: string | null = null;
  const first = markdown[0];
  // A single level-1 heading opening the document is its title, the sections sit below it.
  if (first?.level === 1 && markdown.filter((heading) => heading.level === 1).length === 1) {
    titleIndex = first.index;
    title = cleanInline(first.text);
    markdown.shift();
  }
  const subheadings = new Map<number, string>();
  if (markdown.length > 0) {
    const level = markdown.reduce((min, heading) => Math.min(min, heading.level), 6);
    const headings: Heading[] = [];
    for (const heading of markdown) {
      if (heading.level === level)
        headings.push({ index: heading.index, ...splitLabel(heading.text) });
      else subheadings.set(heading.index, cleanHeading(heading.text));
    }
    return { titleIndex, title, headings, numbers: numberSections(headings), subheadings };
  }
  if (titleIndex === null) {
    titleIndex = findPlainTitle(lines, kinds);
    if (titleIndex !== null) title = cleanHeading(textOf(kinds[titleIndex]));
  }
  const headings = findPlainHeadings(lines, kinds, titleIndex, subheadings);
  return { titleIndex, title, headings, numbers: numberSections(headings), subheadings };
}

/** Longer lines are prose, never headings or titles. */
const longestHeading = 300;

const datedLine = /^(last\s+)?(updated|revised|modified|effective|version|dated?|rev\b|as of)\b/i;

function findPlainTitle(lines: readonly Line[], kinds: readonly LineKind[]): number | null {
  const first = kinds.findIndex((kind) => kind.kind !== 'blank' && kind.kind !== 'skip');
  const kind = kinds[first];
  if (kind?.kind !== 'text' || (lines[first]?.indent ?? 0) > 3) return null;
  if (kind.text.length > longestHeading) return null;
  const text = cleanInline(kind.text);
  if (!isTitleLike(text) || text.endsWith(':') || datedLine.test(text)) return null;
  if (kinds[first + 1]?.kind !== 'blank') return null;
  const next = kinds.slice(first + 1).find((k) => k.kind !== 'blank' && k.kind !== 'skip');
  // A line followed by bullets is the heading of that list, not the document's title.
  if (next === undefined || next.kind === 'row') return null;
  if (next.kind === 'item' && (next.style === 'bullet' || next.style === 'lower')) return null;
  return first;
}

type GroupName =
  | 'section'
  | 'digit.'
  | 'digit)'
  | '(digit)'
  | 'alpha.'
  | 'alpha)'
  | 'caps'
  | 'bold'
  | 'colon'
  | 'plain';

/**
 * Kinds of heading lines, most explicit first: a tier is used only when no earlier tier has a
 * style that reads as headings.
 */
const headingTiers: readonly (readonly GroupName[])[] = [
  ['section', 'digit.', 'digit)', '(digit)', 'alpha.', 'alpha)'],
  ['caps', 'bold'],
  ['colon', 'plain'],
];

interface Candidate {
  index: number;
  text: string;
  label: string | null;
  isTitle: boolean;
  contentIndent: number | null;
}

/**
 * Numbered lines are headings or list items; a style reads as headings when at least half of
 * its lines look like titles (short, no closing full stop) and have content of their own under
 * them, before the next line of the same style. When several styles qualify, the one with most
 * headings wins (an explicit "Section" first); title-like lines of the others become sub-headings.
 */
function findPlainHeadings(
  lines: readonly Line[],
  kinds: readonly LineKind[],
  titleIndex: number | null,
  subheadings: Map<number, string>,
): Heading[] {
  const groups = new Map<GroupName, Candidate[]>();
  kinds.forEach((kind, index) => {
    if (index === titleIndex || (lines[index]?.indent ?? 0) > 3) return;
    const found = headingCandidate(kinds, index);
    if (found === null) return;
    const list = groups.get(found.group) ?? [];
    list.push(found.candidate);
    groups.set(found.group, list);
  });
  for (const [group, candidates] of groups) {
    // Only the outermost lines of a numbered style can be headings.
    const indent = candidates.reduce(
      (min, c) => Math.min(min, lines[c.index]?.indent ?? 0),
      Infinity,
    );
    groups.set(
      group,
      candidates.filter((c) => (lines[c.index]?.indent ?? 0) === indent),
    );
  }
  for (const tier of headingTiers) {
    const qualified: { group: GroupName; headings: Candidate[] }[] = [];
    for (const group of tier) {
      const candidates = groups.get(group) ?? [];
      const members = new Set(candidates.map((c) => c.index));
      const headings = candidates.filter(
        (c) => c.isTitle && hasOwnContent(lines, kinds, c, members),
      );
      if (candidates.length > 0 && headings.length * 2 >= candidates.length) {
        qualified.push({ group, headings: candidates.filter((c) => c.isTitle) });
      }
    }
    const chosen =
      qualified.find((q) => q.group === 'section') ??
      [...qualified].sort(
        (x, y) =>
          y.headings.length - x.headings.length ||
          (x.headings[0]?.index ?? 0) - (y.headings[0]?.index ?? 0),
      )[0];
    if (chosen === undefined) continue;
    for (const other of qualified) {
      if (other === chosen) continue;
      for (const c of other.headings) subheadings.set(c.index, cleanHeading(c.text));
    }
    return chosen.headings.map((c) => {
      if (chosen.group === 'caps' || chosen.group === 'bold' || chosen.group === 'colon') {
        return { index: c.index, ...splitLabel(c.text) };
      }
      if (chosen.group === 'plain')
        return { index: c.index, label: null, title: cleanHeading(c.text) };
      return { index: c.index, label: c.label, title: cleanHeading(c.text) };
    });
  }
  return [];
}

function headingCandidate(
  kinds: readonly LineKind[],
  index: number,
): { group: GroupName; candidate: Candidate } | null {
  const kind = kinds[index];
  if (kind?.kind === 'item') {
    if (kind.style === 'bullet' || kind.style === 'lower' || kind.style === 'multi') return null;
    const text = kind.text.length > longestHeading ? '' : cleanInline(kind.text);
    return {
      group: kind.style,
      candidate: {
        index,
        text: kind.text,
        label: kind.label,
        isTitle: isTitleLike(text),
        contentIndent: kind.contentIndent,
      },
    };
  }
  if (kind?.kind !== 'text' || kind.text.length > longestHeading) return null;
  const text = cleanInline(kind.text);
  const candidate = { index, text: kind.text, label: null, isTitle: true, contentIndent: null };
  if (/^(\*\*|__)(?=\S)(.+?)\1:?$/.test(kind.text) && isTitleLike(text)) {
    return { group: 'bold', candidate };
  }
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 3 && letters === letters.toUpperCase() && isTitleLike(text)) {
    return { group: 'caps', candidate };
  }
  if (text.endsWith(':') && isTitleCase(text.slice(0, -1), 6)) return { group: 'colon', candidate };
  const previous = kinds[index - 1];
  const startsBlock =
    previous === undefined || previous.kind === 'blank' || previous.kind === 'skip';
  if (startsBlock && !text.includes(':') && isTitleLike(text) && isTitleCase(text, 8)) {
    return { group: 'plain', candidate };
  }
  return null;
}

function hasOwnContent(
  lines: readonly Line[],
  kinds: readonly LineKind[],
  candidate: Candidate,
  members: ReadonlySet<number>,
): boolean {
  let sawBlank = false;
  for (let i = candidate.index + 1; i < kinds.length && !members.has(i); i++) {
    const kind = kinds[i];
    if (kind === undefined || kind.kind === 'skip') continue;
    if (kind.kind === 'blank') {
      sawBlank = true;
      continue;
    }
    const isWrappedLine =
      kind.kind === 'text' &&
      !sawBlank &&
      candidate.contentIndent !== null &&
      (lines[i]?.indent ?? 0) >= candidate.contentIndent;
    if (!isWrappedLine) return true;
  }
  return false;
}

const trailingConnector =
  /\b(and|or|of|the|to|in|for|with|a|an|by|on|at|from|as|is|are|that|which|including)$/i;

function isTitleLike(text: string): boolean {
  const t = text.replace(/:$/, '').trim();
  if (t === '' || t.length > 90 || t.split(/\s+/).length > 10) return false;
  if (/[.;,!?]$/.test(t) || trailingConnector.test(t) || /\p{L}{2}[.!?]\s/u.test(t)) return false;
  const first = /\p{L}/u.exec(t)?.[0];
  return first !== undefined && first === first.toUpperCase();
}

function isTitleCase(text: string, maxWords: number): boolean {
  const words = text.trim().split(/\s+/);
  const significant = words.filter((word) => /^\p{L}{4,}/u.test(word));
  return (
    words.length <= maxWords &&
    significant.length > 0 &&
    significant.every((word) => word.charAt(0) === word.charAt(0).toUpperCase())
  );
}

/** A heading's own number ("2) Access", "Section 2 - Access", "B. Access") and its title. */
function splitLabel(raw: string): { label: string | null; title: string } {
  const text = cleanInline(raw);
  const match =
    /^(?:section|article|part|clause)\s+(\d{1,3}|[A-Z]|[IVXLC]{1,6})\b\.?\s*(?:[-–—:.)]\s*)?(.+)$/i.exec(
      text,
    ) ??
    /^(\d{1,3})(?:[.):]|\s+[-–—])?\s+(.+)$/.exec(text) ??
    /^([A-Z]|[IVXLC]{2,6})[.)]\s+(.+)$/.exec(text);
  if (match?.[1] === undefined || match[2] === undefined)
    return { label: null, title: cleanHeading(text) };
  return { label: match[1], title: cleanHeading(match[2]) };
}

/** Headings keep their own numbers when every one has a number and they increase. */
function numberSections(headings: readonly Heading[]): number[] {
  const labels = headings.map((heading) => heading.label);
  const isRoman = labels.some((label) => label !== null && /^[IVXLC]{2,}$/i.test(label));
  const numbers = labels.map((label) => (label === null ? null : labelNumber(label, isRoman)));
  const isIncreasing = numbers.every(
    (n, i) => n !== null && n >= 1 && (i === 0 || n > (numbers[i - 1] ?? Infinity)),
  );
  return headings.map((_, i) => (isIncreasing ? (numbers[i] ?? i + 1) : i + 1));
}

function labelNumber(label: string, isRoman: boolean): number | null {
  if (/^\d+$/.test(label)) return Number(label);
  const upper = label.toUpperCase();
  if (upper.length === 1 && !(isRoman && /[IVXLC]/.test(upper))) return upper.charCodeAt(0) - 64;
  const values: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };
  let total = 0;
  for (let i = 0; i < upper.length; i++) {
    const value = values[upper.charAt(i)];
    const next = values[upper.charAt(i + 1)] ?? 0;
    if (value === undefined) return null;
    total += value < next ? -value : value;
  }
  return total;
}

function textOf(kind: LineKind | undefined): string {
  return kind !== undefined && 'text' in kind ? kind.text : '';
}

interface Block {
  kind: 'item' | 'para' | 'sub';
  indent: number;
  text: string;
  line: number;
  /** Where each source line starts in a paragraph's joined text. */
  starts: { at: number; line: number }[];
}

function collectAnnex(
  lines: readonly Line[],
  kinds: readonly LineKind[],
  structure: Structure,
): ParsedAnnex {
  const { headings, numbers, titleIndex, subheadings } = structure;
  const promises: ParsedPromise[] = [];
  const sections = headings.map((heading, i) => ({
    number: numbers[i] ?? i + 1,
    title: heading.title,
    line: lines[heading.index]?.no ?? 0,
  }));
  const firstHeading = headings[0]?.index ?? lines.length;
  const preambleBlocks = buildBlocks(lines, kinds, 0, firstHeading, titleIndex, subheadings);
  // Without sections the whole text is the body; with them, the preamble's prose is scope and
  // conditions ("X maintains a program... measures may be updated"), not measures.
  const hasSections = headings.length > 0;
  collectPromises(preambleBlocks, { number: 0, title: '' }, !hasSections, promises);
  headings.forEach((heading, i) => {
    const end = headings[i + 1]?.index ?? lines.length;
    const blocks = buildBlocks(lines, kinds, heading.index + 1, end, titleIndex, subheadings);
    const section = sections[i] ?? { number: i + 1, title: heading.title };
    collectPromises(blocks, section, true, promises);
  });
  return {
    title: structure.title !== null && structure.title !== '' ? structure.title : null,
    preamble: hasSections ? preambleText(preambleBlocks) : '',
    sections,
    promises,
  };
}

interface OpenBlock {
  block: Block;
  parts: string[];
  length: number;
  last: string;
}

function buildBlocks(
  lines: readonly Line[],
  kinds: readonly LineKind[],
  from: number,
  to: number,
  titleIndex: number | null,
  subheadings: ReadonlyMap<number, string>,
): Block[] {
  const blocks: Block[] = [];
  // Wrapped lines are collected and joined once: appending to one long string line by line
  // made long paragraphs quadratic.
  const state: { open: OpenBlock | null } = { open: null };
  let contentIndent = 0;
  let sawBlank = false;
  const close = (): void => {
    if (state.open !== null) blocks.push({ ...state.open.block, text: state.open.parts.join('') });
    state.open = null;
  };
  const start = (kind: Block['kind'], indent: number, text: string, lineNo: number): void => {
    close();
    const starts = kind === 'para' ? [{ at: 0, line: lineNo }] : [];
    const block: Block = { kind, indent, text: '', line: lineNo, starts };
    state.open = { block, parts: [text], length: text.length, last: text };
  };
  for (let i = from; i < to; i++) {
    const kind = kinds[i];
    const line = lines[i];
    if (kind === undefined || line === undefined) continue;
    const subheading = subheadings.get(i);
    const current = state.open;
    if (i === titleIndex || kind.kind === 'skip') {
      close();
    } else if (subheading !== undefined || kind.kind === 'atx') {
      close();
      const text = subheading ?? cleanHeading(textOf(kind));
      blocks.push({ kind: 'sub', indent: 0, text, line: line.no, starts: [] });
    } else if (kind.kind === 'blank') {
      if (current?.block.kind === 'para') close();
      sawBlank = true;
    } else if (kind.kind === 'row' || (kind.kind === 'item' && kind.style !== 'section')) {
      start('item', kind.kind === 'row' ? 0 : line.indent, kind.text, line.no);
      contentIndent = kind.kind === 'item' ? kind.contentIndent : 0;
      sawBlank = false;
    } else {
      const text = line.text.replace(/^(>\s?)+/, '');
      // A wrapped line of an item: right below it, or indented to its text after a blank line.
      const continuesItem =
        current?.block.kind === 'item' &&
        (sawBlank ? line.indent >= contentIndent : line.indent >= current.block.indent);
      if (current !== null && (continuesItem || current.block.kind === 'para')) {
        // A word hyphenated at the end of a wrapped line ("role-" / "based") keeps its hyphen.
        const isHyphenated = /\p{L}-$/u.test(current.last.slice(-2)) && /^\p{Ll}/u.test(text);
        const separator = isHyphenated ? '' : ' ';
        current.parts.push(separator, text);
        current.length += separator.length;
        current.block.starts.push({ at: current.length, line: line.no });
        current.length += text.length;
        current.last = text;
      } else {
        start('para', line.indent, text, line.no);
      }
      sawBlank = false;
    }
  }
  close();
  return blocks;
}

interface SectionRef {
  number: number;
  title: string;
}

function collectPromises(
  blocks: readonly Block[],
  section: SectionRef,
  allowProse: boolean,
  promises: ParsedPromise[],
): void {
  let count = 0;
  let subheading: string | null = null;
  let listLeadIn: string | null = null;
  const parents: { indent: number; text: string }[] = [];
  const add = (text: string, line: number, leadIn: string | null): void => {
    if (text.length > maxPromiseLength) {
      throw new AnnexTextError(
        `The promise on line ${line} is ${text.length.toLocaleString('en')} characters long; ` +
          `the limit is ${maxPromiseLength.toLocaleString('en')}: split it into shorter bullet points`,
        { line },
      );
    }
    count++;
    const promise: ParsedPromise = {
      ref: `${section.number}.${count}`,
      sectionNumber: section.number,
      sectionTitle: section.title,
      text,
      line,
    };
    if (leadIn !== null && leadIn !== '') promise.leadIn = leadIn;
    promises.push(promise);
  };

  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    if (block.kind === 'sub') {
      subheading = block.text;
      listLeadIn = null;
      parents.length = 0;
      return;
    }
    if (block.kind === 'para') {
      parents.length = 0;
      listLeadIn = null;
      const sentences = splitSentences(block);
      sentences.forEach((sentence, j) => {
        const text = cleanLong(sentence.text, cleanInline);
        if (text.endsWith(':')) {
          if (j === sentences.length - 1 && next?.kind === 'item') listLeadIn = stripColon(text);
        } else if (allowProse && isCommitment(text)) {
          add(text, sentence.line, subheading);
        }
      });
      return;
    }
    while ((parents.at(-1)?.indent ?? -1) >= block.indent) parents.pop();
    const leadIn = parents.at(-1)?.text ?? listLeadIn ?? subheading;
    const text = cleanLong(block.text, cleanItem);
    if (text === '') return;
    if (text.endsWith(':') && next?.kind === 'item' && next.indent >= block.indent) {
      // "Customer is responsible for:" introduces the items below; it is no promise itself.
      if (next.indent > block.indent)
        parents.push({ indent: block.indent, text: stripColon(text) });
      else listLeadIn = stripColon(text);
      return;
    }
    add(text, block.line, leadIn);
    parents.push({ indent: block.indent, text: text.replace(/[.:;]$/, '') });
  });
}

function preambleText(blocks: readonly Block[]): string {
  return blocks
    .map((block) =>
      block.kind === 'para'
        ? cleanInline(block.text)
        : block.kind === 'item'
          ? `- ${cleanItem(block.text)}`
          : block.text,
    )
    .join('\n\n');
}

const abbreviations = new Set(
  'e.g i.e etc inc ltd llc co corp no nos vs approx incl dept fig sec art para cf al ca min max u.s u.k e.u jan feb mar apr jun jul aug sep sept oct nov dec'.split(
    ' ',
  ),
);

function splitSentences(block: Block): { text: string; line: number }[] {
  const text = block.text;
  const sentences: { text: string; line: number }[] = [];
  let lineIndex = 0;
  // Sentences come in order, so the line of each is found by walking forward once.
  const lineOf = (at: number): number => {
    while ((block.starts[lineIndex + 1]?.at ?? Infinity) <= at) lineIndex++;
    return block.starts[lineIndex]?.line ?? block.line;
  };
  let start = 0;
  for (const match of text.matchAll(/([.!?])["'”’)\]]*\s+(?=["'“‘([]?[\p{Lu}\d])/gu)) {
    const end = match.index + match[0].trimEnd().length;
    if (match[1] === '.') {
      const wordStart = Math.max(start, text.lastIndexOf(' ', match.index - 1) + 1);
      const word = text
        .slice(wordStart, match.index)
        .replace(/^[("'“‘[]+/, '')
        .toLowerCase();
      // Abbreviations and initials end with a full stop but do not end the sentence.
      if (abbreviations.has(word) || /^\p{L}$/u.test(word)) continue;
    }
    sentences.push({ text: text.slice(start, end), line: lineOf(start) });
    start = match.index + match[0].length;
  }
  if (start < text.length) sentences.push({ text: text.slice(start), line: lineOf(start) });
  return sentences.filter((sentence) => sentence.text.trim() !== '');
}

function inflect(verb: string): { third: string; participle: string } {
  const irregular: Record<string, string> = {
    keep: 'kept',
    hold: 'held',
    run: 'run',
    write: 'written',
    take: 'taken',
    send: 'sent',
    log: 'logged',
    scan: 'scanned',
    vet: 'vetted',
    control: 'controlled',
  };
  const third = /(s|sh|ch|x|z|o)$/.test(verb)
    ? `${verb}es`
    : /[^aeiou]y$/.test(verb)
      ? `${verb.slice(0, -1)}ies`
      : `${verb}s`;
  const participle =
    irregular[verb] ??
    (verb.endsWith('e')
      ? `${verb}d`
      : /[^aeiou]y$/.test(verb)
        ? `${verb.slice(0, -1)}ied`
        : `${verb}ed`);
  return { third, participle };
}

/** Verbs of security measures; their present and passive forms mark a committing sentence. */
const measureVerbs = (
  'maintain ensure implement enforce employ perform conduct review monitor encrypt restrict ' +
  'limit require provide protect retain log notify test patch apply train screen rotate store ' +
  'delete destroy segregate segment separate scan assess audit document approve revoke remove ' +
  'disable deprovision provision authenticate verify track record manage operate use utilize ' +
  'follow adhere comply prohibit prevent detect respond remediate restore replicate hash mask ' +
  'anonymize pseudonymize minimize configure harden evaluate investigate inform report keep ' +
  'update deploy host secure control vet back hold run write take send'
).split(' ');
/** Present forms that are just as often nouns ("tests", "records"): they need a subject. */
const nounLikeVerbs = new Set(
  'review log test patch screen store scan audit document record report keep update host secure control back hold run write take send track limit train hash mask'.split(
    ' ',
  ),
);
const verbAlternation = (forms: readonly string[]): string =>
  forms
    .flatMap((form) => (form.includes('iz') ? [form, form.replace('iz', 'is')] : [form]))
    .join('|');
const inflections = measureVerbs.map((verb) => ({ verb, ...inflect(verb) }));
const thirdPersonPattern = new RegExp(
  `\\b(?:${verbAlternation(inflections.filter((v) => !nounLikeVerbs.has(v.verb)).map((v) => v.third))})\\b`,
);
const subjectThenVerbPattern = new RegExp(
  `\\b(?:it|who|that|which|team|company|provider|processor|vendor|supplier|service|owner|owners|staff|personnel|everyone|organi[sz]ation)\\s+(?:\\w+ly\\s+|also\\s+)?(?:${verbAlternation(
    inflections.filter((v) => nounLikeVerbs.has(v.verb)).map((v) => v.third),
  )})\\b`,
);
const weVerbPattern = new RegExp(
  `\\b(?:we|they|customers?|users?)\\s+(?:\\w+ly\\s+|also\\s+|only\\s+)?(?:${verbAlternation(measureVerbs)})\\b`,
);
const passivePattern = new RegExp(
  '\\b(?:is|are|will be|shall be|must be|remains?|has been|have been|is being|are being|gets?)\\s+' +
    `(?:\\w+ly\\s+|not\\s+|also\\s+|only\\s+|never\\s+)*(${verbAlternation(inflections.map((v) => v.participle))}|\\w+ed)\\b`,
  'g',
);
const modalPattern =
  /\b(will|shall|must|agrees? to|commits? to|undertakes? to|(is|are) committed to|(is|are) required to|(is|are) responsible for|has to|have to|guarantees?)\b/;
/** Participles that describe the document or the company rather than a measure. */
const contextParticiples = new Set(
  (
    'intended designed described defined listed referred attached incorporated entitled called ' +
    'named considered deemed based expected related headquartered founded organized organised ' +
    'structured divided grouped summarized summarised outlined detailed updated amended'
  ).split(' '),
);
const contextPattern =
  /\b(this (annex|document|schedule|exhibit|appendix|section|addendum|agreement)|the following|as follows|set (out|forth) (below|in|herein)|(described|listed|outlined|detailed) (below|herein)|capitali[sz]ed terms|for the avoidance of doubt|in the event of (a |any )?conflict|have the meanings?|shall mean|from time to time)\b|(?<!by )\bmeans\b/;

/**
 * Whether a sentence of prose commits to something: a modal ("will", "shall", "must"), a
 * measure verb in the present ("maintains", "we encrypt") or a measure in the passive ("is
 * encrypted", "are reviewed"); sentences about the document itself, definitions and sentences
 * that only describe ("is designed to", "is based in") are context.
 */
function isCommitment(sentence: string): boolean {
  const lower = sentence.toLowerCase();
  if (lower.endsWith('?') || contextPattern.test(lower)) return false;
  if (modalPattern.test(lower) || thirdPersonPattern.test(lower)) return true;
  if (subjectThenVerbPattern.test(lower) || weVerbPattern.test(lower)) return true;
  for (const match of lower.matchAll(passivePattern)) {
    if (!contextParticiples.has(match[1] ?? '')) return true;
  }
  return false;
}

const entities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
};

/** Markdown emphasis, links, code and HTML reduced to their text, whitespace collapsed. */
function cleanInline(raw: string): string {
  if (!/[*_`<&\\~[]/.test(raw)) return raw.replace(/\s+/g, ' ').trim();
  const escaped: string[] = [];
  return (
    raw
      // Escaped characters are set aside so they are not read as Markdown.
      .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, (_, char: string) => {
        escaped.push(char);
        return `\uE000${escaped.length - 1}\uE001`;
      })
      // Spans are bounded so a line full of unmatched markers stays linear to read.
      .replace(/!\[([^\]]{0,500})\]\([^)]{0,2000}\)/g, '$1')
      .replace(/\[([^\]]{1,500})\]\((?:[^()]|\([^)]{0,500}\)){0,2000}\)/g, '$1')
      .replace(/\[([^\]]{1,500})\]\[[^\]]{0,100}\]/g, '$1')
      .replace(/<((?:https?|mailto):[^>\s]{1,2000})>/g, '$1')
      .replace(/<\/?[a-z][^<>]{0,500}>/gi, ' ')
      .replace(/`([^`]{0,2000})`/g, '$1')
      .replace(/(\*\*|__)(?=\S)(.{1,2000}?)(?<=\S)\1/g, '$2')
      .replace(/(^|[^\p{L}\p{N}*])\*(?=\S)(.{1,2000}?)(?<=\S)\*(?![\p{L}\p{N}])/gu, '$1$2')
      .replace(/(^|[^\p{L}\p{N}_])_(?=\S)(.{1,2000}?)(?<=\S)_(?![\p{L}\p{N}])/gu, '$1$2')
      .replace(/~~(?=\S)(.{1,2000}?)(?<=\S)~~/g, '$1')
      .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (entity, name: string) => {
        if (name.startsWith('#')) {
          const code =
            name[1] === 'x' || name[1] === 'X'
              ? parseInt(name.slice(2), 16)
              : Number(name.slice(1));
          return code > 31 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
        }
        return entities[name.toLowerCase()] ?? entity;
      })
      .replace(/\uE000(\d+)\uE001/g, (_, i: string) => escaped[Number(i)] ?? '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Text far over the promise limit is refused anyway; it skips the Markdown pass. */
function cleanLong(raw: string, clean: (raw: string) => string): string {
  return raw.length > maxPromiseLength * 4 ? raw.replace(/\s+/g, ' ').trim() : clean(raw);
}

function cleanHeading(raw: string): string {
  return stripColon(cleanInline(raw));
}

function cleanItem(raw: string): string {
  // List items of legal text end with "; and" or "; or" to chain into one sentence.
  return cleanInline(raw).replace(/\s*[;,]\s*(?:and|or|and\/or)?$/i, '');
}

function stripColon(text: string): string {
  return text.replace(/\s*:$/, '').trim();
}
