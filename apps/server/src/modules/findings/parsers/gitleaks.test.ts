import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, useReportFiles } from './parser-test-helpers.ts';
import { gitleaksParser } from './gitleaks.ts';

const { collect, errorOf } = bindParser(gitleaksParser);

describe.skipIf(!hasSharedData('corpus', 'scans'))('gitleaksParser on the corpus', () => {
  const corpus = (file: string) => sharedPath('corpus', 'scans', 'gitleaks', file);

  it('reads every leak of a gitleaks v8 report', async () => {
    const results = await collect(corpus('gitleaks8_many.json'));
    expect(results.map((result) => [result.ruleId, result.locations[0]?.file])).toEqual([
      ['aws-access-token', '/conf/aws.tf'],
      ['aws-access-token', '/conf/aws.tf'],
      ['RSA-PK', 'conf/rsa.pk'],
      ['generic-api-key', 'tests/api.py'],
    ]);
    expect(results.map((result) => result.locations[0]?.line)).toEqual([2, 2, 57, 21]);
    expect(results.every((result) => result.severity === 'high')).toBe(true);
    expect(results.every((result) => result.category === 'secret')).toBe(true);
    expect(results[2]).toMatchObject({
      title: 'Hard-coded secret: RSA private key',
      cwes: [798],
      locations: [{ file: 'conf/rsa.pk', line: 57, column: 665 }],
      arrivalState: 'open',
      tool: 'gitleaks',
    });
  });

  it('gives the same leak in two commits one identity (rule, file, line)', async () => {
    const results = await collect(corpus('gitleaks8_many.json'));
    expect(new Set(results.map((result) => result.identityKey)).size).toBe(3);
    expect(results[0]?.identityKey).toBe(results[1]?.identityKey);
    expect(results[0]?.description).toContain('Commit 74d53286c550630f');
    expect(results[1]?.description).toContain('Commit 9619c91b3fd2998b');
  });

  it('never keeps the secret or the matched line', async () => {
    const text = JSON.stringify(await collect(corpus('gitleaks8_many.json')));
    expect(text).not.toContain('secretAWSsecret');
    expect(text).not.toContain('dfjksdjfs3294dfjlsdaf213');
    expect(text).not.toContain('apikey =');
    expect(text).not.toContain('BEGIN RSA PRIVATE KEY');
  });

  it('keeps at most a redacted hint of a long secret', async () => {
    const results = await collect(corpus('gitleaks8_many.json'));
    expect(results[3]?.description).toContain('Secret: dfjk… (24 characters).');
    // A short secret gets its length only: four characters would be a quarter of it.
    expect(results[0]?.description).toContain('Secret: (15 characters).');
  });

  it('reads the `null` gitleaks writes when it finds nothing as an empty report', async () => {
    expect(await collect(corpus('no_findings.json'))).toEqual([]);
  });
});

describe('gitleaksParser', () => {
  const { write: fixture } = useReportFiles('steward-gitleaks-');

  it('reads an empty array as an empty report', async () => {
    expect(await collect(await fixture('empty-array.json', '[]'))).toEqual([]);
  });

  it('reads gitleaks v7 field names, without the offender', async () => {
    const path = await fixture(
      'v7.json',
      JSON.stringify([
        {
          line: 'password = "hunter2hunter2hunter2"',
          lineNumber: 3,
          offender: 'hunter2hunter2hunter2',
          commit: 'abc123',
          rule: 'Generic Password',
          file: 'app/settings.py',
          leakURL: 'https://git.example/repo/blob/abc123/app/settings.py#L3',
        },
      ]),
    );
    const [result] = await collect(path);
    expect(result).toMatchObject({
      identityKey: 'secret:Generic Password|app/settings.py|3',
      ruleId: 'Generic Password',
      locations: [
        {
          file: 'app/settings.py',
          line: 3,
          url: 'https://git.example/repo/blob/abc123/app/settings.py#L3',
        },
      ],
      references: ['https://git.example/repo/blob/abc123/app/settings.py#L3'],
    });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('refuses a zero-byte file', async () => {
    const error = await errorOf(await fixture('zero.json', ''));
    expect(error.message).toBe('the file is empty');
  });

  it('refuses a report of another format', async () => {
    const error = await errorOf(await fixture('object.json', '{"results": []}'));
    expect(error.message).toMatch(/not a Gitleaks report/);
    expect((await errorOf(await fixture('number.json', '42'))).message).toMatch(
      /not a Gitleaks report/,
    );
  });

  it('refuses a truncated report, naming the line and column', async () => {
    const error = await errorOf(
      await fixture('truncated.json', '[\n  {"RuleID": "aws-access-token",\n   "File": "a'),
    );
    expect(error.message).toMatch(/ends too early at line 3/);
    expect(error.where?.line).toBe(3);
  });

  it('refuses invalid JSON, naming the line and column', async () => {
    const error = await errorOf(await fixture('invalid.json', '[\n  {"RuleID": nope}\n]'));
    expect(error.message).toMatch(/^invalid JSON at line 2, column \d+/);
    expect(error.where).toMatchObject({ line: 2 });
  });

  it('refuses a leak without rule or file, naming its place', async () => {
    const path = await fixture('no-rule.json', '[{"RuleID": "a", "File": "x"}, {"File": "y"}]');
    const error = await errorOf(path);
    expect(error.message).toBe('[1]: a leak needs "RuleID" and "File"');
    expect(error.where).toEqual({ path: '[1]' });
  });
});
