import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, useReportFiles } from './parser-test-helpers.ts';
import { nucleiParser } from './nuclei.ts';

const { collect, errorOf } = bindParser(nucleiParser);

describe.skipIf(!hasSharedData('corpus', 'scans'))('nucleiParser on the corpus', () => {
  const corpus = (file: string) => sharedPath('corpus', 'scans', 'nuclei', file);

  it('reads every line of a JSON-lines report (older nuclei field names)', async () => {
    const results = await collect(corpus('many_findings.json'));
    expect(results).toHaveLength(18);
    expect(new Set(results.map((result) => result.identityKey)).size).toBe(18);
    expect(results.filter((result) => result.ruleId === 'tech-detect')).toHaveLength(11);
    expect(
      results.map((result) => result.severity).filter((severity) => severity !== 'info'),
    ).toEqual(['low', 'medium']);
  });

  it('maps a result, the matched place as location', async () => {
    const [ssh] = await collect(corpus('many_findings.json'));
    expect(ssh).toEqual({
      category: 'dast',
      identityKey: 'dast:openssh5.3-detect||https://nuclei-example.com',
      title: 'OpenSSH 5.3 Detection',
      severity: 'low',
      ruleId: 'openssh5.3-detect',
      vulnerabilityIds: [],
      cwes: [],
      description: 'OpenSSH 5.3 is vulnerable to username enumeraiton and DoS vulnerabilities.',
      references: [
        'http://seclists.org/fulldisclosure/2016/Jul/51',
        'https://security-tracker.debian.org/tracker/CVE-2016-6210',
        'http://openwall.com/lists/oss-security/2016/08/01/2',
      ],
      locations: [{ url: 'nuclei-example.com:22' }],
      arrivalState: 'open',
      tool: 'nuclei',
    });
  });

  it('keys by template, matcher and host', async () => {
    const results = await collect(corpus('many_findings.json'));
    const bootstrap = results.filter((result) => result.title.endsWith('(bootstrap)'));
    expect(bootstrap.map((result) => result.identityKey)).toEqual([
      'dast:tech-detect|bootstrap|http://127.0.0.1:8080/WebGoat',
      'dast:tech-detect|bootstrap|http://127.0.0.1:9090/WebWolf',
      'dast:tech-detect|bootstrap|https://nuclei-example.com',
    ]);
    expect(results[1]?.description).toContain('Extracted: nginx/1.14.2');
  });

  it('reads the empty file nuclei leaves when nothing matched as an empty report', async () => {
    expect(await collect(corpus('empty.jsonl'))).toEqual([]);
  });
});

describe('nucleiParser', () => {
  const { write: fixture } = useReportFiles('steward-nuclei-');
  const finding = (overrides: Record<string, unknown> = {}) => ({
    template: 'http/cves/2021/CVE-2021-44228.yaml',
    'template-id': 'CVE-2021-44228',
    info: {
      name: 'Apache Log4j2 - Remote Code Injection',
      author: ['melbadry9'],
      tags: ['cve', 'rce', 'log4j'],
      description: 'Apache Log4j2 JNDI features do not protect against attacker-controlled LDAP.',
      reference: ['https://logging.apache.org/log4j/2.x/security.html'],
      severity: 'critical',
      remediation: 'Upgrade to Log4j 2.17.1 or later.',
      classification: {
        'cve-id': ['cve-2021-44228'],
        'cwe-id': ['cwe-502', 'cwe-400'],
        'cvss-metrics': 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
        'cvss-score': 10,
      },
    },
    type: 'http',
    host: 'app.example.com',
    'matched-at': 'https://app.example.com/api/login',
    'matcher-name': 'dns',
    ip: '10.0.0.5',
    timestamp: '2024-02-01T10:00:00Z',
    'matcher-status': true,
    ...overrides,
  });

  it('reads current nuclei results with their classification', async () => {
    const path = await fixture('v3.jsonl', `${JSON.stringify(finding())}\n`);
    const [result] = await collect(path);
    expect(result).toMatchObject({
      identityKey: 'dast:CVE-2021-44228|dns|app.example.com',
      title: 'Apache Log4j2 - Remote Code Injection (dns)',
      severity: 'critical',
      vulnerabilityIds: ['CVE-2021-44228'],
      cwes: [502, 400],
      cvssV3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
      cvssV3Score: 10,
      remediation: 'Upgrade to Log4j 2.17.1 or later.',
      references: ['https://logging.apache.org/log4j/2.x/security.html'],
      locations: [{ url: 'https://app.example.com/api/login' }],
    });
  });

  it('gives the same template, matcher and host one identity whatever the URL', async () => {
    const lines = [
      finding(),
      finding({ 'matched-at': 'https://app.example.com/api/search' }),
      finding({ host: 'other.example.com' }),
    ]
      .map((item) => JSON.stringify(item))
      .join('\r\n');
    const keys = (await collect(await fixture('same.jsonl', lines))).map(
      (item) => item.identityKey,
    );
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('reads the JSON array of -json-export', async () => {
    const path = await fixture(
      'export.json',
      `\n  ${JSON.stringify([finding(), finding({ 'template-id': 'tech-detect', 'matcher-name': 'nginx' })])}`,
    );
    expect((await collect(path)).map((result) => result.ruleId)).toEqual([
      'CVE-2021-44228',
      'tech-detect',
    ]);
  });

  it('maps unknown severities to info and skips blank lines', async () => {
    const line = JSON.stringify(finding({ info: { name: 'x', severity: 'unknown' } }));
    const results = await collect(await fixture('blank.jsonl', `\n${line}\n\n${line}\n\n`));
    expect(results.map((result) => result.severity)).toEqual(['info', 'info']);
  });

  it('refuses a line that is not JSON, naming its number', async () => {
    const good = JSON.stringify(finding());
    const error = await errorOf(
      await fixture('bad-line.jsonl', `${good}\n${good}\n{"template-id": `),
    );
    expect(error.message).toMatch(/^invalid JSON on line 3: /);
    expect(error.where).toEqual({ line: 3 });
  });

  it('refuses a line that is not a nuclei result', async () => {
    const error = await errorOf(
      await fixture('other.jsonl', `${JSON.stringify(finding())}\n{"RuleID": "x"}\n`),
    );
    expect(error.message).toBe('line 2: not a nuclei result (no "template-id")');
    expect(error.where).toEqual({ line: 2 });
  });

  it('refuses a truncated JSON array', async () => {
    const error = await errorOf(await fixture('truncated.json', `[${JSON.stringify(finding())},`));
    expect(error.message).toMatch(/ends too early at line 1/);
  });
});
