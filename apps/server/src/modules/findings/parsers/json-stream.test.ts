import { describe, expect, it } from 'vitest';
import { catchReportError, useReportFiles } from './parser-test-helpers.ts';
import {
  formatJsonPath,
  readJsonFile,
  streamJson,
  streamJsonBatches,
  type JsonEvent,
  type StreamJsonOptions,
} from './json-stream.ts';

const files = useReportFiles('json-stream-');

function fixture(content: string | Buffer): Promise<string> {
  return files.add(content, 'json');
}

async function events(path: string, options: StreamJsonOptions): Promise<JsonEvent[]> {
  const all: JsonEvent[] = [];
  for await (const event of streamJson(path, options)) all.push(event);
  return all;
}

describe('streamJson', () => {
  it('assembles only the values at the patterns, with their paths, in document order', async () => {
    const path = await fixture(
      JSON.stringify({
        version: '2',
        skipped: { huge: [1, 2, 3] },
        runs: [
          { tool: { name: 'a' }, results: [{ id: 1 }, { id: 2 }] },
          { tool: { name: 'b' }, results: [] },
        ],
      }),
    );
    const values = (
      await events(path, {
        take: [['version'], ['runs', '[]', 'tool', 'name'], ['runs', '[]', 'results', '[]']],
      })
    ).filter((event) => event.kind === 'value');
    expect(values).toEqual([
      { kind: 'value', path: ['version'], value: '2' },
      { kind: 'value', path: ['runs', 0, 'tool', 'name'], value: 'a' },
      { kind: 'value', path: ['runs', 0, 'results', 0], value: { id: 1 } },
      { kind: 'value', path: ['runs', 0, 'results', 1], value: { id: 2 } },
      { kind: 'value', path: ['runs', 1, 'tool', 'name'], value: 'b' },
    ]);
  });

  it('reports root keys and the containers it enters and leaves', async () => {
    const path = await fixture('{"a": {"b": [10, 20]}, "c": true}');
    expect(await events(path, { take: [['a', 'b', 1]] })).toEqual([
      { kind: 'enter', path: [], container: 'object' },
      { kind: 'key', path: [], key: 'a' },
      { kind: 'enter', path: ['a'], container: 'object' },
      { kind: 'enter', path: ['a', 'b'], container: 'array' },
      { kind: 'value', path: ['a', 'b', 1], value: 20 },
      { kind: 'leave', path: ['a', 'b'], container: 'array' },
      { kind: 'leave', path: ['a'], container: 'object' },
      { kind: 'key', path: [], key: 'c' },
      { kind: 'leave', path: [], container: 'object' },
    ]);
  });

  it('matches `*` to any key and `[]` to any index, but not the other way round', async () => {
    const path = await fixture('{"x": {"k1": 1, "k2": 2}, "y": [3, 4]}');
    const take = [
      ['*', '[]'],
      ['x', '*'],
    ];
    const values = (await events(path, { take })).filter((event) => event.kind === 'value');
    expect(values.map((event) => event.path)).toEqual([
      ['x', 'k1'],
      ['x', 'k2'],
      ['y', 0],
      ['y', 1],
    ]);
  });

  it('reports a scalar root as a value at the empty path', async () => {
    expect(await events(await fixture('null'), { take: [['a']] })).toEqual([
      { kind: 'value', path: [], value: null },
    ]);
  });

  it('delivers the same events in batches', async () => {
    const items = Array.from({ length: 20_000 }, (_, id) => ({ id, text: 'x'.repeat(20) }));
    const path = await fixture(JSON.stringify({ items }));
    const batches: JsonEvent[][] = [];
    for await (const batch of streamJsonBatches(path, { take: [['items', '[]']] })) {
      batches.push(batch);
    }
    expect(batches.length).toBeGreaterThan(1);
    const values = batches.flat().filter((event) => event.kind === 'value');
    expect(values).toHaveLength(20_000);
    expect(values[19_999]).toEqual({
      kind: 'value',
      path: ['items', 19_999],
      value: { id: 19_999, text: 'x'.repeat(20) },
    });
  });

  it('decodes UTF-8 with a byte-order mark and UTF-16LE files', async () => {
    const utf8 = await fixture(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"é"}')]),
    );
    const utf16 = await fixture(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":"ü€"}', 'utf16le')]),
    );
    const valueOf = async (path: string) =>
      (await events(path, { take: [['a']] })).find((event) => event.kind === 'value');
    expect(await valueOf(utf8)).toEqual({ kind: 'value', path: ['a'], value: 'é' });
    expect(await valueOf(utf16)).toEqual({ kind: 'value', path: ['a'], value: 'ü€' });
  });

  it('refuses a zero-byte or blank file unless the format treats it as empty', async () => {
    const empty = await fixture('');
    const blank = await fixture('  \n\t\n');
    expect((await catchReportError(() => events(empty, { take: [] }))).message).toBe(
      'the file is empty',
    );
    expect((await catchReportError(() => events(blank, { take: [] }))).message).toBe(
      'the file is empty',
    );
    expect(await events(empty, { take: [], emptyFile: 'nothing' })).toEqual([]);
    expect(await events(blank, { take: [], emptyFile: 'nothing' })).toEqual([]);
  });

  it('names the line and column of a syntax error', async () => {
    const error = await catchReportError(async () =>
      events(await fixture('{\n  "a": 1\n  "b": 2\n}'), { take: [['a']] }),
    );
    expect(error.message).toBe("invalid JSON at line 3, column 3: expected ','");
    expect(error.where).toEqual({ line: 3, column: 3 });
  });

  it('says a file that stops in the middle looks truncated', async () => {
    const error = await catchReportError(async () =>
      events(await fixture('{"results": [{"id": 1}, {"id": 2'), { take: [['results', '[]']] }),
    );
    expect(error.message).toMatch(
      /^the JSON ends too early at line 1, column \d+: the file looks truncated$/,
    );
  });

  it('refuses documents nested deeper than 512 levels', async () => {
    const path = await fixture(`${'['.repeat(600)}${']'.repeat(600)}`);
    const error = await catchReportError(() => events(path, { take: [] }));
    expect(error.message).toBe('the JSON nests deeper than 512 levels');
  });
});

describe('readJsonFile', () => {
  it('parses a whole file', async () => {
    expect(await readJsonFile(await fixture('{"a":[1,2]}'))).toEqual({ a: [1, 2] });
  });

  it('gives undefined for an empty file only when asked to', async () => {
    const empty = await fixture('');
    expect(await readJsonFile(empty, 'nothing')).toBeUndefined();
    expect((await catchReportError(() => readJsonFile(empty))).message).toBe('the file is empty');
  });

  it('names the line and column of a syntax error', async () => {
    const error = await catchReportError(async () => readJsonFile(await fixture('[1,\n2,,3]')));
    expect(error.message).toBe('invalid JSON at line 2, column 3: expected a value');
    expect(error.where).toEqual({ line: 2, column: 3 });
  });
});

describe('formatJsonPath', () => {
  it('writes keys with dots, indexes in brackets and odd keys quoted', () => {
    expect(formatJsonPath(['runs', 0, 'results', 12, 'ruleIndex'])).toBe(
      'runs[0].results[12].ruleIndex',
    );
    expect(formatJsonPath([3, 'Target'])).toBe('[3].Target');
    expect(formatJsonPath(['properties', 'security-severity'])).toBe(
      'properties.security-severity',
    );
    expect(formatJsonPath(['a', 'with space'])).toBe('a["with space"]');
    expect(formatJsonPath([])).toBe('(top level)');
  });
});
