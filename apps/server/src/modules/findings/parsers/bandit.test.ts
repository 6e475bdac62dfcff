import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, countValues, useReportFiles } from './parser-test-helpers.ts';
import { banditParser } from './bandit.ts';

const { collect, errorOf } = bindParser(banditParser);

describe.skipIf(!hasSharedData('corpus', 'scans'))('banditParser on the corpus', () => {
  const report = sharedPath('corpus', 'scans', 'bandit', 'dd.json');

  it('reads every issue, past a metrics block larger than the detection head', async () => {
    const results = await collect(report);
    expect(results).toHaveLength(47);
    expect(new Set(results.map((result) => result.identityKey)).size).toBe(47);
    expect(countValues(results.map((result) => result.severity))).toEqual({ medium: 36, low: 11 });
    expect(countValues(results.map((result) => result.ruleId ?? ''))).toEqual({
      B303: 30,
      B110: 6,
      B410: 4,
      B320: 3,
      B104: 1,
      B405: 1,
      B314: 1,
      B310: 1,
    });
  });

  it('maps the fields of an issue', async () => {
    const [first] = await collect(report);
    expect(first).toEqual({
      category: 'code',
      identityKey: 'code:B303|dojo/tools/acunetix/parser.py|39',
      title: 'Use of insecure MD2, MD4, MD5, or SHA1 hash function.',
      severity: 'medium',
      ruleId: 'B303',
      vulnerabilityIds: [],
      cwes: [],
      description: 'Use of insecure MD2, MD4, MD5, or SHA1 hash function.\n\nConfidence: high.',
      references: [
        'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b303-md5',
      ],
      locations: [{ file: 'dojo/tools/acunetix/parser.py', line: 39 }],
      arrivalState: 'open',
      tool: 'bandit',
    });
  });

  it('never copies the code snippet, which may hold the very secret bandit flagged', async () => {
    const text = JSON.stringify(await collect(report));
    expect(text).not.toContain('hashlib.md5(');
  });
});

describe('banditParser', () => {
  const { write: fixture } = useReportFiles('steward-bandit-');
  const issue = (overrides: Record<string, unknown>) => ({
    code: '4 password = "hunter2"\n',
    col_offset: 11,
    end_col_offset: 20,
    filename: 'app/settings.py',
    issue_confidence: 'MEDIUM',
    issue_cwe: { id: 259, link: 'https://cwe.mitre.org/data/definitions/259.html' },
    issue_severity: 'LOW',
    issue_text: "Possible hardcoded password: 'hunter2'",
    line_number: 4,
    line_range: [4],
    more_info: 'https://bandit.readthedocs.io/en/1.7.5/plugins/b105_hardcoded_password_string.html',
    test_id: 'B105',
    test_name: 'hardcoded_password_string',
    ...overrides,
  });

  it('reads the CWE and column of newer bandit versions', async () => {
    const path = await fixture('new.json', {
      errors: [],
      generated_at: '2024-05-01T10:00:00Z',
      metrics: {},
      results: [issue({})],
    });
    const [result] = await collect(path);
    expect(result).toMatchObject({
      identityKey: 'code:B105|app/settings.py|4',
      cwes: [259],
      severity: 'low',
      // Bandit counts columns from 0.
      locations: [{ file: 'app/settings.py', line: 4, column: 12 }],
    });
  });

  it('reads an empty report and maps UNDEFINED severity to info', async () => {
    expect(await collect(await fixture('empty.json', { errors: [], results: [] }))).toEqual([]);
    const [result] = await collect(
      await fixture('undefined.json', { results: [issue({ issue_severity: 'UNDEFINED' })] }),
    );
    expect(result?.severity).toBe('info');
  });

  it('refuses an unknown severity and an issue without test id', async () => {
    const severity = await errorOf(
      await fixture('bad-severity.json', { results: [issue({ issue_severity: 'SEVERE' })] }),
    );
    expect(severity.message).toBe('results[0].issue_severity: unknown severity "SEVERE"');
    const id = await errorOf(await fixture('no-id.json', { results: [issue({ test_id: null })] }));
    expect(id.message).toBe('results[0]: an issue needs "test_id" and "filename"');
  });

  it('refuses reports of other formats', async () => {
    expect((await errorOf(await fixture('array.json', [issue({})]))).message).toMatch(
      /not a Bandit report/,
    );
    expect((await errorOf(await fixture('other.json', { matches: [] }))).message).toBe(
      'not a Bandit report: no "results" array',
    );
  });

  it('refuses zero-byte, truncated and invalid files', async () => {
    expect((await errorOf(await fixture('zero.json', ''))).message).toBe('the file is empty');
    const truncated = await errorOf(await fixture('truncated.json', '{\n"results": [\n{"test_id"'));
    expect(truncated.message).toMatch(/ends too early at line 3/);
    const invalid = await errorOf(await fixture('invalid.json', "{'results': []}"));
    expect(invalid.message).toMatch(/^invalid JSON at line 1, column 2/);
  });
});
