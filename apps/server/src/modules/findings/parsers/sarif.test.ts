import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, useReportFiles } from './parser-test-helpers.ts';
import { sarifParser } from './sarif.ts';

const { collect, errorOf } = bindParser(sarifParser);

describe.skipIf(!hasSharedData('corpus', 'scans'))('sarifParser on the corpus', () => {
  const corpus = (file: string) => sharedPath('corpus', 'scans', 'sarif', file);

  it('reads the SARIF specification example: rule, message template, suppression', async () => {
    const results = await collect(corpus('appendix_k.sarif'));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      category: 'code',
      identityKey: 'code:CodeScanner|C2001|collections/list.h|line:15',
      title: 'A variable was used without being initialized.',
      severity: 'high',
      ruleId: 'C2001',
      locations: [
        { file: 'collections/list.h', line: 15, column: 9, path: 'collections::list::add' },
      ],
      arrivalState: 'false_positive',
      tool: 'CodeScanner',
    });
    expect(results[0]?.description).toMatch(
      /^Variable "ptr" was used without being initialized\. It was declared \[here\]\(0\)\./,
    );
  });

  it('yields nothing for a run without results', async () => {
    expect(await collect(corpus('appendix_k1.sarif'))).toEqual([]);
  });

  it('marks results with accepted (or status-less) suppressions as false positives', async () => {
    const results = await collect(corpus('suppression_test.sarif'));
    expect(results.map((result) => [result.ruleId, result.arrivalState])).toEqual([
      ['TST0001', 'false_positive'],
      ['TST0002', 'false_positive'],
      ['TST0003', 'false_positive'],
      ['TST0004', 'open'],
      ['TST0005', 'open'],
    ]);
    expect(results[0]?.locations).toEqual([{ file: 'C:/code/file1.c' }]);
    expect(results.every((result) => result.severity === 'medium')).toBe(true);
  });

  it('reads a Dependency-Check SARIF log: CVE rules as vulnerability ids, one identity per file', async () => {
    const results = await collect(corpus('dependency_check.sarif'));
    expect(results).toHaveLength(13);
    expect(results.every((result) => result.tool === 'dependency-check')).toBe(true);
    expect(results.every((result) => result.severity === 'high')).toBe(true);
    const cve = results.filter((result) => result.ruleId === 'CVE-2015-9251');
    expect(cve).toHaveLength(2);
    expect(cve.map((result) => result.vulnerabilityIds)).toEqual([
      ['CVE-2015-9251'],
      ['CVE-2015-9251'],
    ]);
    expect(new Set(cve.map((result) => result.identityKey)).size).toBe(2);
    expect(new Set(results.map((result) => result.identityKey)).size).toBe(13);
    expect(results[4]?.locations[0]?.file).toBe(
      '/src/.venv/lib/python3.9/site-packages/tastypie_swagger/static/tastypie_swagger/js/lib/jquery-1.8.0.min.js',
    );
  });

  it('refuses a report of another format', async () => {
    const error = await errorOf(
      sharedPath('corpus', 'scans', 'anchore_grype', 'same_cve_different_paths.json'),
    );
    expect(error.message).toBe(
      'not a SARIF log: there is no top-level `runs` array (top-level keys: matches, source, distro, descriptor)',
    );
  });
});

describe('sarifParser on crafted logs', () => {
  const files = useReportFiles('sarif-');
  const write = (content: unknown) => files.add(content, 'sarif');

  const rules = [
    {
      id: 'js/sql-injection',
      shortDescription: { text: 'SQL injection' },
      helpUri: 'https://example.com/sql',
      help: { text: 'Use parameters.' },
      properties: { 'security-severity': '9.1', tags: ['security', 'external/cwe/cwe-089'] },
    },
    {
      id: 'js/unused',
      shortDescription: { text: 'Unused variable' },
      defaultConfiguration: { level: 'note' },
    },
  ];
  const results = [
    {
      ruleId: 'js/sql-injection',
      ruleIndex: 0,
      message: { text: 'Query built from user input' },
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'src/db.js' }, region: { startLine: 12 } } },
      ],
      partialFingerprints: { primaryLocationLineHash: 'abc123:1', other: 'zzz' },
    },
    {
      ruleId: 'js/unused',
      ruleIndex: 1,
      message: { text: 'x is unused' },
      locations: [
        { physicalLocation: { artifactLocation: { index: 0 }, region: { startLine: 3 } } },
      ],
      suppressions: [
        { kind: 'inSource', status: 'accepted', justification: 'accepted risk for now' },
      ],
    },
    { ruleId: 'js/unused', ruleIndex: 1, kind: 'pass', message: { text: 'fine' } },
    {
      ruleId: 'js/unused',
      ruleIndex: 1,
      level: 'error',
      message: { text: 'y is unused' },
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'src/b.js' }, region: { startLine: 9 } } },
      ],
      suppressions: [{ kind: 'external', status: 'rejected', justification: 'no' }],
    },
  ];
  const artifacts = [{ location: { uri: 'file:///work/src/a.js' } }];
  const tool = { driver: { name: 'CodeQL', rules } };

  it('maps security-severity, levels, fingerprints, artifacts and suppressions', async () => {
    const found = await collect(
      await write({ version: '2.1.0', runs: [{ tool, artifacts, results }] }),
    );
    expect(found).toHaveLength(3);
    expect(found[0]).toMatchObject({
      identityKey: 'code:CodeQL|js/sql-injection|src/db.js|fp:abc123:1',
      title: 'SQL injection',
      severity: 'critical',
      cwes: [89],
      references: ['https://example.com/sql'],
      remediation: 'Use parameters.',
      arrivalState: 'open',
    });
    expect(found[1]).toMatchObject({
      identityKey: 'code:CodeQL|js/unused|/work/src/a.js|line:3',
      severity: 'low',
      locations: [{ file: '/work/src/a.js', line: 3 }],
      arrivalState: 'risk_accepted',
      arrivalReason: 'accepted risk for now',
    });
    expect(found[2]).toMatchObject({ severity: 'high', arrivalState: 'open' });
  });

  it('gives the same results when the rules and artifacts come after the results', async () => {
    const before = await collect(
      await write({ version: '2.1.0', runs: [{ tool, artifacts, results }] }),
    );
    const after = await collect(
      await write({ version: '2.1.0', runs: [{ results, artifacts, tool }] }),
    );
    expect(after).toEqual(before);
  });

  it('names the JSON path of a rule index out of range', async () => {
    const broken = [results[0], { ...results[1], ruleIndex: 7 }];
    const error = await errorOf(
      await write({ version: '2.1.0', runs: [{ tool, results: broken }] }),
    );
    expect(error.message).toBe(
      'runs[0].results[1].ruleIndex: rule index 7 is out of range (the run defines 2 rules)',
    );
    expect(error.where).toEqual({ path: 'runs[0].results[1].ruleIndex' });
  });

  it('names the path of a rule index out of range when the rules come last', async () => {
    const broken = [{ ...results[0], ruleIndex: 2 }];
    const error = await errorOf(await write({ runs: [{ results: broken, tool }] }));
    expect(error.where).toEqual({ path: 'runs[0].results[0].ruleIndex' });
  });

  it('yields nothing for an empty log', async () => {
    expect(await collect(await write({ version: '2.1.0', runs: [] }))).toEqual([]);
  });

  it('refuses an unsupported SARIF version', async () => {
    const error = await errorOf(await write({ version: '1.0.0', runs: [] }));
    expect(error.message).toBe('unsupported SARIF version "1.0.0"');
  });

  it('refuses zero-byte, null, truncated and invalid files', async () => {
    expect((await errorOf(await write(''))).message).toBe('the file is empty');
    expect((await errorOf(await write('null'))).message).toBe(
      'not a SARIF log: the top level is not an object',
    );
    expect(
      (await errorOf(await write('{"version":"2.1.0","runs":[{"results":[{"ruleId":'))).message,
    ).toMatch(/^the JSON ends too early at line 1, column \d+: the file looks truncated$/);
    const invalid = await errorOf(await write('{"version": "2.1.0",\n "runs": [}'));
    expect(invalid.message).toBe('invalid JSON at line 2, column 11: expected a value');
    expect(invalid.where).toEqual({ line: 2, column: 11 });
  });
});
