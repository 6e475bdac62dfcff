/** One line of a diff. */
export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
  oldLine: number | null;
  newLine: number | null;
}

/** A run of changes with surrounding context. */
export interface DiffHunk {
  oldStart: number;
  newStart: number;
  lines: DiffLine[];
}

/** A line diff as hunks, with the counts of added and removed lines. */
export interface LineDiff {
  added: number;
  removed: number;
  hunks: DiffHunk[];
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\r\n/g, '\n').split('\n');
}

/** Every line of both texts in order, each marked same, removed or added (LCS on lines). */
export function diffAllLines(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  // Trim the common head and tail first: policy edits are usually small, so the table stays tiny.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const n = midA.length;
  const m = midB.length;
  // lcs[i * (m + 1) + j] = length of the LCS of midA[i..] and midB[j..].
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] =
        midA[i] === midB[j]
          ? (lcs[(i + 1) * (m + 1) + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j] ?? 0, lcs[i * (m + 1) + j + 1] ?? 0);
    }
  }
  const out: DiffLine[] = [];
  for (let k = 0; k < head; k++) {
    out.push({ kind: 'same', text: a[k] ?? '', oldLine: k + 1, newLine: k + 1 });
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && midA[i] === midB[j]) {
      out.push({ kind: 'same', text: midA[i] ?? '', oldLine: head + i + 1, newLine: head + j + 1 });
      i++;
      j++;
    } else if (
      i < n &&
      (j >= m || (lcs[(i + 1) * (m + 1) + j] ?? 0) >= (lcs[i * (m + 1) + j + 1] ?? 0))
    ) {
      // Removals before additions, as readers expect of a changed line.
      out.push({ kind: 'removed', text: midA[i] ?? '', oldLine: head + i + 1, newLine: null });
      i++;
    } else {
      out.push({ kind: 'added', text: midB[j] ?? '', oldLine: null, newLine: head + j + 1 });
      j++;
    }
  }
  for (let k = 0; k < tail; k++) {
    const oldIndex = a.length - tail + k;
    const newIndex = b.length - tail + k;
    out.push({
      kind: 'same',
      text: a[oldIndex] ?? '',
      oldLine: oldIndex + 1,
      newLine: newIndex + 1,
    });
  }
  return out;
}

/** Diff two texts line by line, grouped into hunks with `context` unchanged lines around changes. */
export function diffLines(oldText: string, newText: string, context = 3): LineDiff {
  const lines = diffAllLines(oldText, newText);
  const changed = lines.flatMap((line, index) => (line.kind === 'same' ? [] : [index]));
  const hunks: DiffHunk[] = [];
  let start = -1;
  let end = -1;
  const flush = (): void => {
    if (start < 0) return;
    const slice = lines.slice(start, end + 1);
    const first = lines[start];
    // A hunk that starts with an addition has no old line yet: count from the previous one.
    const before = lines.slice(0, start);
    const oldStart = first?.oldLine ?? before.filter((l) => l.kind !== 'added').length + 1;
    const newStart = first?.newLine ?? before.filter((l) => l.kind !== 'removed').length + 1;
    hunks.push({ oldStart, newStart, lines: slice });
  };
  for (const index of changed) {
    const from = Math.max(0, index - context);
    const to = Math.min(lines.length - 1, index + context);
    if (start >= 0 && from <= end + 1) {
      end = Math.max(end, to);
    } else {
      flush();
      start = from;
      end = to;
    }
  }
  flush();
  return {
    added: lines.filter((l) => l.kind === 'added').length,
    removed: lines.filter((l) => l.kind === 'removed').length,
    hunks,
  };
}
