import { describe, expect, it } from 'vitest';
import { diffAllLines, diffLines } from './policy-diff.ts';

describe('diffLines', () => {
  it('finds no hunk between equal texts', () => {
    expect(diffLines('a\nb\nc', 'a\nb\nc')).toEqual({ added: 0, removed: 0, hunks: [] });
  });

  it('marks a changed line as removed then added, with line numbers', () => {
    const lines = diffAllLines('# Title\nKeep\nOld rule\nEnd', '# Title\nKeep\nNew rule\nEnd');
    expect(lines.filter((l) => l.kind !== 'same')).toEqual([
      { kind: 'removed', text: 'Old rule', oldLine: 3, newLine: null },
      { kind: 'added', text: 'New rule', oldLine: null, newLine: 3 },
    ]);
  });

  it('keeps three lines of context and splits distant changes into hunks', () => {
    const old = Array.from({ length: 20 }, (_, i) => `line ${String(i + 1)}`).join('\n');
    const next = old.replace('line 2\n', 'line two\n').replace('line 18', 'line eighteen');
    const diff = diffLines(old, next);
    expect(diff.added).toBe(2);
    expect(diff.removed).toBe(2);
    expect(diff.hunks).toHaveLength(2);
    expect(diff.hunks[0]?.oldStart).toBe(1);
    expect(diff.hunks[1]?.oldStart).toBe(15);
    expect(diff.hunks[1]?.lines.at(-1)).toEqual({
      kind: 'same',
      text: 'line 20',
      oldLine: 20,
      newLine: 20,
    });
  });

  it('diffs an empty text against a new one as all added', () => {
    const diff = diffLines('', 'a\nb');
    expect(diff).toMatchObject({ added: 2, removed: 0 });
    expect(diff.hunks[0]).toMatchObject({ oldStart: 1, newStart: 1 });
  });

  it('keeps the shortest edit for inserted lines in the middle', () => {
    const lines = diffAllLines('a\nb\nc', 'a\nx\nb\nc');
    expect(lines.map((l) => l.kind)).toEqual(['same', 'added', 'same', 'same']);
  });
});
