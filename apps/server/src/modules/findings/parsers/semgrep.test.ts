import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, useReportFiles } from './parser-test-helpers.ts';
import { semgrepParser } from './semgrep.ts';

const { collect, errorOf } = bindParser(semgrepParser);

const RULE =
  'python.lang.security.audit.dangerous-subprocess-use-tainted-env-args.dangerous-subprocess-use-tainted-env-args';

describe.skipIf(!hasSharedData('corpus', 'scans'))('semgrepParser on the corpus', () => {
  const corpus = (file: string) => sharedPath('corpus', 'scans', 'semgrep', file);

  it('gives repeated results of one report the same identity, for the importer to merge', async () => {
    const results = await collect(corpus('repeated_findings.json'));
    expect(results).toHaveLength(2);
    expect(new Set(results.map((result) => result.identityKey)).size).toBe(1);
    expect(results[0]).toMatchObject({
      category: 'code',
      identityKey:
        'code:java.lang.security.audit.cbc-padding-oracle.cbc-padding-oracle|src/main/java/org/owasp/benchmark/testcode/BenchmarkTest01150.java|line:66',
      ruleId: 'java.lang.security.audit.cbc-padding-oracle.cbc-padding-oracle',
      severity: 'medium',
      cwes: [696],
      locations: [
        {
          file: 'src/main/java/org/owasp/benchmark/testcode/BenchmarkTest01150.java',
          line: 66,
          column: 4,
        },
      ],
      references: [
        'https://capec.mitre.org/data/definitions/463.html',
        'https://find-sec-bugs.github.io/bugs.htm#PADDING_ORACLE',
      ],
      tool: 'semgrep',
    });
    expect(results[0]?.description).toMatch(/^Using CBC with PKCS5Padding/);
    expect(results[0]?.remediation).toBe(
      'Suggested fix:\njavax crypto Cipher.getInstance("AES/GCM/NoPadding");',
    );
  });

  it('keeps the identity of a result that moved to another line (same fingerprint)', async () => {
    const [first] = await collect(corpus('close_old_findings_report_line31.json'));
    const [second] = await collect(corpus('close_old_findings_report_second_run_line24.json'));
    expect(first?.locations[0]).toMatchObject({ file: 'sample/brute.py', line: 31 });
    expect(second?.locations[0]).toMatchObject({ file: 'sample/brute.py', line: 24 });
    expect(first?.identityKey).toBe(second?.identityKey);
    expect(first?.identityKey).toMatch(new RegExp(`^code:${RULE}\\|sample/brute\\.py\\|fp:1d0cfd`));
    expect(first).toMatchObject({ ruleId: RULE, severity: 'high', arrivalState: 'open' });
  });

  it('gives a result with another fingerprint another identity', async () => {
    const [second] = await collect(corpus('close_old_findings_report_second_run_line24.json'));
    const [third] = await collect(
      corpus('close_old_findings_report_third_run_different_unique_id.json'),
    );
    expect(third?.locations[0]?.line).toBe(24);
    expect(third?.identityKey).not.toBe(second?.identityKey);
  });
});

describe('semgrepParser', () => {
  const { write: fixture } = useReportFiles('steward-semgrep-');
  const result = (extra: Record<string, unknown>, line = 10) => ({
    check_id: 'rules.sqli',
    path: 'app/db.py',
    start: { line, col: 5, offset: 100 },
    end: { line, col: 20, offset: 115 },
    extra: { message: 'SQL injection', severity: 'ERROR', metadata: {}, ...extra },
  });

  it('reads an empty report', async () => {
    const path = await fixture('empty.json', { results: [], errors: [], paths: { scanned: [] } });
    expect(await collect(path)).toEqual([]);
  });

  it('falls back to the line when the fingerprint is "requires login"', async () => {
    const path = await fixture('login.json', {
      results: [
        result({ fingerprint: 'requires login' }, 10),
        result({ fingerprint: 'requires login' }, 12),
      ],
    });
    const keys = (await collect(path)).map((item) => item.identityKey);
    expect(keys).toEqual([
      'code:rules.sqli|app/db.py|line:10',
      'code:rules.sqli|app/db.py|line:12',
    ]);
  });

  it('maps the severities of old and new rules', async () => {
    const path = await fixture('severities.json', {
      results: ['ERROR', 'WARNING', 'INFO', 'CRITICAL', 'LOW', 'INVENTORY'].map((severity, i) =>
        result({ severity }, i + 1),
      ),
    });
    expect((await collect(path)).map((item) => item.severity)).toEqual([
      'high',
      'medium',
      'low',
      'critical',
      'low',
      'info',
    ]);
  });

  it('reads a list of CWEs and references given as one string', async () => {
    const path = await fixture('metadata.json', {
      results: [
        result({
          metadata: {
            cwe: ['CWE-89: SQL Injection', 'CWE-20: Improper Input Validation'],
            references: 'https://owasp.org/Top10/A03_2021-Injection/',
            shortlink: 'https://sg.run/abc',
          },
        }),
      ],
    });
    const [item] = await collect(path);
    expect(item?.cwes).toEqual([89, 20]);
    expect(item?.references).toEqual([
      'https://owasp.org/Top10/A03_2021-Injection/',
      'https://sg.run/abc',
    ]);
  });

  it('marks a result ignored with nosemgrep as a false positive', async () => {
    const path = await fixture('ignored.json', { results: [result({ is_ignored: true })] });
    const [item] = await collect(path);
    expect(item).toMatchObject({
      arrivalState: 'false_positive',
      arrivalReason: 'ignored with a nosemgrep comment',
    });
  });

  it('refuses an unknown severity, naming its JSON path', async () => {
    const path = await fixture('bad-severity.json', {
      results: [result({}), result({ severity: 'URGENT' })],
    });
    const error = await errorOf(path);
    expect(error.message).toBe('results[1].extra.severity: unknown severity "URGENT"');
    expect(error.where).toEqual({ path: 'results[1].extra.severity' });
  });

  it('refuses a result without check_id', async () => {
    const error = await errorOf(await fixture('no-rule.json', { results: [{ path: 'a.py' }] }));
    expect(error.message).toBe('results[0]: a result needs "check_id" and "path"');
  });

  it('refuses reports of other formats', async () => {
    expect((await errorOf(await fixture('array.json', '[]'))).message).toMatch(
      /not a Semgrep report/,
    );
    expect((await errorOf(await fixture('other.json', { runs: [] }))).message).toBe(
      'not a Semgrep report: no "results" array',
    );
  });

  it('refuses zero-byte, truncated and invalid files', async () => {
    expect((await errorOf(await fixture('zero.json', ''))).message).toBe('the file is empty');
    const truncated = await errorOf(await fixture('truncated.json', '{"results": [\n{"check_id"'));
    expect(truncated.message).toMatch(/ends too early at line 2/);
    const invalid = await errorOf(await fixture('invalid.json', '{"results": [}'));
    expect(invalid.message).toMatch(/^invalid JSON at line 1, column 14/);
  });
});
