import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, useReportFiles } from './parser-test-helpers.ts';
import { npmAuditParser } from './npm-audit.ts';

const { collect, errorOf } = bindParser(npmAuditParser);

describe.skipIf(!hasSharedData('corpus', 'scans'))('npmAuditParser on the corpus', () => {
  const v6 = (file: string) => sharedPath('corpus', 'scans', 'npm_audit', file);
  const v7 = (file: string) => sharedPath('corpus', 'scans', 'npm_audit_7_plus', file);

  it("refuses npm's error output with npm's own message", async () => {
    const error = await errorOf(v6('empty_with_error.json'));
    expect(error.isToolError).toBe(true);
    expect(error.message).toBe(
      'ENOAUDIT: Your configured registry (https://registry.npmjs.org/) may not support audit requests, or the audit endpoint may be temporarily unavailable.',
    );
  });

  it('yields nothing for an npm 6 report without advisories', async () => {
    expect(await collect(v6('no_vuln.json'))).toEqual([]);
  });

  it('reads npm 6 advisories, each dependency path a location', async () => {
    const results = await collect(v6('many_vuln.json'));
    expect(results.map((result) => [result.identityKey, result.severity])).toEqual([
      ['dep:CVE-2016-10539|npm/negotiator|0.5.3', 'high'],
      ['dep:CVE-2017-16082|npm/pg|5.1.0', 'high'],
      ['dep:CVE-2017-16119|npm/fresh|0.3.0', 'high'],
      ['dep:CVE-2017-16137|npm/debug|2.2.0', 'low'],
      ['dep:CVE-2017-16138|npm/mime|1.3.4', 'medium'],
    ]);
    expect(results[2]).toMatchObject({
      title: 'Regular Expression Denial of Service',
      vulnerabilityIds: ['CVE-2017-16119', 'NPM-526'],
      cwes: [400],
      packageName: 'fresh',
      packageVersion: '0.3.0',
      purl: 'pkg:npm/fresh@0.3.0',
      fixVersion: '>= 0.5.2',
      isFixAvailable: true,
      references: ['https://nodesecurity.io/advisories/526'],
      locations: [
        { path: 'express > fresh' },
        { path: 'express > send > fresh' },
        { path: 'express > serve-static > send > fresh' },
        { path: 'serve-favicon > fresh' },
      ],
    });
    expect(results[3]?.locations).toHaveLength(7);
    expect(results[4]?.cwes).toEqual([]);
  });

  it('reads npm 7+ advisories and skips packages only vulnerable through a dependency', async () => {
    const results = await collect(v7('many_vulns.json'));
    expect(results.map((result) => [result.identityKey, result.severity])).toEqual([
      ['dep:GHSA-gxpj-cx7g-858c|npm/debug|', 'medium'],
      ['dep:GHSA-c2qf-rxjj-qqgw|npm/semver|', 'medium'],
      ['dep:GHSA-3787-6prv-h9w3|npm/undici|', 'low'],
    ]);
    expect(results[0]).toMatchObject({
      vulnerabilityIds: ['GHSA-gxpj-cx7g-858c', 'NPM-1094219'],
      cvssV3Vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L',
      cvssV3Score: 5.3,
      isFixAvailable: true,
      remediation: 'Update vercel to 32.3.0 (a semver-major update).',
      locations: [{ path: 'node_modules/@vercel/fun/node_modules/debug' }],
    });
  });

  it('gives each advisory of one package its own identity', async () => {
    const results = await collect(v7('one_vuln.json'));
    expect(results.map((result) => [result.identityKey, result.severity, result.cwes])).toEqual([
      ['dep:GHSA-gxpj-cx7g-858c|npm/debug|', 'medium', [400]],
      ['dep:GHSA-9vvw-cc9w-f27h|npm/debug|', 'high', [1333]],
    ]);
  });

  it('refuses a report of another format', async () => {
    const error = await errorOf(
      sharedPath('corpus', 'scans', 'snyk', 'single_project_one_vuln.json'),
    );
    expect(error.message).toMatch(/^not an npm audit report: `vulnerabilities` is not an object$/);
  });
});

describe('npmAuditParser on crafted reports', () => {
  const { add: write } = useReportFiles('npm-audit-');

  it('refuses npm 7 error output too', async () => {
    const error = await errorOf(
      await write(
        JSON.stringify({
          message: 'audit failed',
          error: {
            code: 'ENOLOCK',
            summary: 'This command requires an existing lockfile.',
            detail: '',
          },
        }),
      ),
    );
    expect(error).toMatchObject({
      isToolError: true,
      message: 'ENOLOCK: This command requires an existing lockfile. audit failed',
    });
  });

  it('yields nothing for an npm 7 report without vulnerabilities', async () => {
    expect(await collect(await write('{"auditReportVersion":2,"vulnerabilities":{}}'))).toEqual([]);
  });

  it('refuses zero-byte, null, truncated, invalid and unknown files', async () => {
    expect((await errorOf(await write(''))).message).toBe('the file is empty');
    expect((await errorOf(await write('null'))).message).toBe(
      'not an npm audit report: the top level is not an object',
    );
    expect((await errorOf(await write('{"advisories": {"1": {'))).message).toMatch(
      /the file looks truncated$/,
    );
    expect((await errorOf(await write('{"advisories": {]}'))).message).toBe(
      'invalid JSON at line 1, column 17: expected an object key',
    );
    expect((await errorOf(await write('{"runs": []}'))).message).toBe(
      'not an npm audit report: expected `advisories` (npm 6) or `vulnerabilities` (npm 7 and later)',
    );
  });
});
