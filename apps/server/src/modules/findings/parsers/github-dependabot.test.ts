import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, useReportFiles } from './parser-test-helpers.ts';
import { githubDependabotParser } from './github-dependabot.ts';

const { collect, errorOf } = bindParser(githubDependabotParser);

describe.skipIf(!hasSharedData('corpus', 'scans'))('githubDependabotParser on the corpus', () => {
  const corpus = (file: string) => sharedPath('corpus', 'scans', 'github_vulnerability', file);

  it('yields nothing for a repository without alerts', async () => {
    expect(await collect(corpus('github-0-vuln.json'))).toEqual([]);
  });

  it('gives one advisory on one package in two manifests one identity', async () => {
    const results = await collect(corpus('github_search3.json'));
    expect(results).toHaveLength(2);
    expect(new Set(results.map((result) => result.identityKey))).toEqual(
      new Set(['dep:GHSA-2qrg-x229-3v8q|maven/log4j:log4j|']),
    );
    expect(results.map((result) => result.locations)).toEqual([
      [{ file: 'gogoph-crawler/pom.xml' }],
      [{ file: 'gogoph/pom.xml' }],
    ]);
    expect(results[0]).toMatchObject({
      title: 'Deserialization of Untrusted Data in Log4j',
      severity: 'critical',
      vulnerabilityIds: ['GHSA-2qrg-x229-3v8q', 'CVE-2019-17571'],
      cvssV3Score: 9.8,
      packageName: 'log4j:log4j',
      arrivalState: 'open',
    });
  });

  it('reads a fixed alert as fixed', async () => {
    const results = await collect(corpus('github_shiro.json'));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      identityKey: 'dep:GHSA-f6jp-j6w3-w9hm|/org.apache.shiro:shiro-core|',
      arrivalState: 'fixed',
      cwes: [287],
      severity: 'critical',
      locations: [{ file: 'apache/cxf/cxf-shiro/pom.xml' }],
    });
  });
});

describe('githubDependabotParser on crafted exports', () => {
  const { add: write } = useReportFiles('dependabot-');
  const alert = (
    state: string,
    dismissReason: string | null,
    extra: Record<string, unknown> = {},
  ) => ({
    state,
    dismissReason,
    vulnerableManifestPath: 'package-lock.json',
    vulnerableRequirements: '= 4.17.20',
    securityVulnerability: {
      severity: 'HIGH',
      package: { name: 'lodash', ecosystem: 'NPM' },
      firstPatchedVersion: { identifier: '4.17.21' },
      advisory: {
        ghsaId: 'GHSA-35jh-r3h4-6jhm',
        summary: 'Command Injection in lodash',
        identifiers: [{ type: 'CVE', value: 'CVE-2021-23337' }],
      },
    },
    ...extra,
  });

  it('maps dismiss reasons to false positives and accepted risks', async () => {
    const results = await collect(
      await write({
        data: {
          organization: {
            repositories: {
              nodes: [
                {
                  nameWithOwner: 'acme/api',
                  vulnerabilityAlerts: {
                    nodes: [
                      alert('DISMISSED', 'inaccurate'),
                      alert('DISMISSED', 'This alert is inaccurate or incorrect'),
                      alert('DISMISSED', 'not_used'),
                      alert('DISMISSED', 'tolerable_risk', { dismissComment: 'internal only' }),
                      alert('DISMISSED', 'no_bandwidth'),
                      alert('AUTO_DISMISSED', null),
                      alert('OPEN', null),
                    ],
                  },
                },
              ],
            },
          },
        },
      }),
    );
    expect(results.map((result) => [result.arrivalState, result.arrivalReason])).toEqual([
      ['false_positive', 'inaccurate'],
      ['false_positive', 'This alert is inaccurate or incorrect'],
      ['false_positive', 'not_used'],
      ['risk_accepted', 'tolerable_risk: internal only'],
      ['risk_accepted', 'no_bandwidth'],
      ['risk_accepted', 'auto-dismissed by a Dependabot rule'],
      ['open', undefined],
    ]);
    expect(results[6]).toMatchObject({
      identityKey: 'dep:GHSA-35jh-r3h4-6jhm|npm/lodash|4.17.20',
      packageVersion: '4.17.20',
      purl: 'pkg:npm/lodash@4.17.20',
      fixVersion: '4.17.21',
      isFixAvailable: true,
      vulnerabilityIds: ['GHSA-35jh-r3h4-6jhm', 'CVE-2021-23337'],
      locations: [{ file: 'package-lock.json', path: 'acme/api' }],
      severity: 'high',
    });
  });

  it('refuses GraphQL errors with the API message', async () => {
    const error = await errorOf(
      await write({ errors: [{ message: 'Could not resolve to a Repository with the name x.' }] }),
    );
    expect(error).toMatchObject({
      isToolError: true,
      message: 'GitHub API error: Could not resolve to a Repository with the name x.',
    });
  });

  it('refuses zero-byte, null, truncated, invalid and foreign files', async () => {
    expect((await errorOf(await write(''))).message).toBe('the file is empty');
    expect((await errorOf(await write('null'))).message).toBe(
      'not a GitHub Dependabot export: the top level is not an object',
    );
    expect((await errorOf(await write('{"data": {"repository": {'))).message).toMatch(
      /the file looks truncated$/,
    );
    expect((await errorOf(await write('{"data": {"repository" {}}}'))).message).toBe(
      "invalid JSON at line 1, column 24: expected ':'",
    );
    expect((await errorOf(await write({ data: { viewer: { login: 'x' } } }))).message).toBe(
      'not a GitHub Dependabot export: there is no `vulnerabilityAlerts` under `data`',
    );
  });
});
