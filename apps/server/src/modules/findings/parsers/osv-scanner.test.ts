import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, useReportFiles } from './parser-test-helpers.ts';
import { osvScannerParser } from './osv-scanner.ts';

const { collect, errorOf } = bindParser(osvScannerParser);

describe.skipIf(!hasSharedData('corpus', 'scans'))('osvScannerParser on the corpus', () => {
  const corpus = (file: string) => sharedPath('corpus', 'scans', 'osv_scanner', file);

  it('reads the zero-byte output of a scan that found nothing as no results', async () => {
    expect(await collect(corpus('no_findings.json'))).toEqual([]);
  });

  it('rates a malicious package critical', async () => {
    const results = await collect(corpus('some_findings.json'));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      category: 'dependency',
      identityKey: 'dep:MAL-2023-1035|npm/flot-axis|0.0.0',
      title: 'Malicious code in flot-axis (npm)',
      severity: 'critical',
      vulnerabilityIds: ['MAL-2023-1035', 'GHSA-8348-2q94-ffjx'],
      cwes: [506],
      packageName: 'flot-axis',
      packageVersion: '0.0.0',
      purl: 'pkg:npm/flot-axis@0.0.0',
      isFixAvailable: false,
      references: ['https://github.com/advisories/GHSA-8348-2q94-ffjx'],
      locations: [{ file: '/tmp/components/yarn.lock' }],
      tool: 'osv-scanner',
    });
  });
});

describe('osvScannerParser on crafted reports', () => {
  const { add: write } = useReportFiles('osv-');

  it('turns each alias group into one result with a computed score and fixed versions', async () => {
    const record = (id: string, aliases: string[]) => ({
      id,
      aliases,
      summary: 'Prototype pollution in lodash',
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      affected: [
        {
          package: { ecosystem: 'npm', name: 'lodash' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
        },
      ],
      references: [{ type: 'ADVISORY', url: `https://osv.dev/${id}` }],
    });
    const results = await collect(
      await write({
        results: [
          {
            source: { path: '/repo/package-lock.json', type: 'lockfile' },
            packages: [
              {
                package: { name: 'lodash', version: '4.17.20', ecosystem: 'npm' },
                vulnerabilities: [
                  record('GHSA-35jh-r3h4-6jhm', ['CVE-2021-23337']),
                  record('CVE-2021-23337', ['GHSA-35jh-r3h4-6jhm']),
                ],
                groups: [
                  {
                    ids: ['GHSA-35jh-r3h4-6jhm', 'CVE-2021-23337'],
                    aliases: ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm'],
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      identityKey: 'dep:GHSA-35jh-r3h4-6jhm|npm/lodash|4.17.20',
      vulnerabilityIds: ['GHSA-35jh-r3h4-6jhm', 'CVE-2021-23337'],
      cvssV3Score: 9.8,
      severity: 'critical',
      fixVersion: '4.17.21',
      isFixAvailable: true,
      references: ['https://osv.dev/GHSA-35jh-r3h4-6jhm', 'https://osv.dev/CVE-2021-23337'],
    });
  });

  it('uses the group maximum severity when osv-scanner gives one', async () => {
    const results = await collect(
      await write({
        results: [
          {
            source: { path: 'go.mod' },
            packages: [
              {
                package: { name: 'golang.org/x/net', version: '0.1.0', ecosystem: 'Go' },
                vulnerabilities: [{ id: 'GO-2023-1571', summary: 'HTTP/2 issue' }],
                groups: [{ ids: ['GO-2023-1571'], aliases: [], max_severity: '5.3' }],
              },
            ],
          },
        ],
      }),
    );
    expect(results[0]).toMatchObject({
      severity: 'medium',
      purl: 'pkg:golang/golang.org/x/net@0.1.0',
      identityKey: 'dep:GO-2023-1571|Go/golang.org/x/net|0.1.0',
    });
  });

  it('refuses null, truncated, invalid and foreign files', async () => {
    expect((await errorOf(await write('null'))).message).toBe(
      'not an osv-scanner report: there is no top-level `results` list',
    );
    expect((await errorOf(await write('{"results": [{"packages": ['))).message).toMatch(
      /the file looks truncated$/,
    );
    expect((await errorOf(await write('{"results": [}'))).message).toBe(
      'invalid JSON at line 1, column 14: expected a value',
    );
    expect((await errorOf(await write({ matches: [] }))).message).toBe(
      'not an osv-scanner report: there is no top-level `results` list',
    );
  });
});
