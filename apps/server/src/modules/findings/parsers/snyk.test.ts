import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, useReportFiles } from './parser-test-helpers.ts';
import { snykParser } from './snyk.ts';

const { collect, errorOf } = bindParser(snykParser);

describe.skipIf(!hasSharedData('corpus', 'scans'))('snykParser on the corpus', () => {
  it('reads a single-project report', async () => {
    const results = await collect(
      sharedPath('corpus', 'scans', 'snyk', 'single_project_one_vuln.json'),
    );
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      category: 'dependency',
      identityKey:
        'dep:SNYK-JAVA-ORGAPACHESANTUARIO-460281|maven/org.apache.santuario:xmlsec|2.1.1',
      title: 'XML External Entity (XXE) Injection',
      severity: 'medium',
      vulnerabilityIds: ['SNYK-JAVA-ORGAPACHESANTUARIO-460281', 'CVE-2019-12400'],
      cwes: [611],
      cvssV3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:L',
      cvssV3Score: 6.5,
      packageName: 'org.apache.santuario:xmlsec',
      packageVersion: '2.1.1',
      purl: 'pkg:maven/org.apache.santuario/xmlsec@2.1.1',
      fixVersion: '2.1.4',
      isFixAvailable: true,
      remediation: 'Upgrade to org.apache.santuario:xmlsec@2.1.4.',
      locations: [
        {
          file: 'pom.xml',
          path: 'com.test:myframework@1.0.0-SNAPSHOT > org.apache.santuario:xmlsec@2.1.1',
        },
      ],
      arrivalState: 'open',
      tool: 'snyk',
    });
    expect(results[0]?.references).toHaveLength(4);
  });
});

describe('snykParser on crafted reports', () => {
  const { add: write } = useReportFiles('snyk-');
  const vulnerability = (from: string[]) => ({
    id: 'SNYK-JS-LODASH-1040724',
    title: 'Command Injection',
    severity: 'high',
    packageName: 'lodash',
    version: '4.17.20',
    from,
    identifiers: { CVE: ['CVE-2021-23337'], CWE: ['CWE-78'] },
    fixedIn: ['4.17.21'],
  });

  it('reads --all-projects output, several paths of one vulnerability under one identity', async () => {
    const results = await collect(
      await write([
        {
          packageManager: 'npm',
          displayTargetFile: 'package-lock.json',
          vulnerabilities: [
            vulnerability(['app@1.0.0', 'lodash@4.17.20']),
            vulnerability(['app@1.0.0', 'async@2.6.0', 'lodash@4.17.20']),
            { id: 'snyk:lic:npm:x:GPL-3.0', type: 'license', packageName: 'x', version: '1.0.0' },
          ],
          filtered: {
            ignore: [
              {
                ...vulnerability(['app@1.0.0', 'other@1.0.0']),
                id: 'SNYK-JS-OTHER-1',
                filtered: { ignored: [{ reason: 'Only used in tests', reasonType: 'wont-fix' }] },
              },
              {
                ...vulnerability(['app@1.0.0', 'third@1.0.0']),
                id: 'SNYK-JS-THIRD-1',
                filtered: { ignored: [{ reason: 'Not reachable', reasonType: 'not-vulnerable' }] },
              },
            ],
          },
        },
        { packageManager: 'pip', displayTargetFile: 'requirements.txt', vulnerabilities: [] },
      ]),
    );
    expect(
      results.map((result) => [result.identityKey, result.arrivalState, result.arrivalReason]),
    ).toEqual([
      ['dep:SNYK-JS-LODASH-1040724|npm/lodash|4.17.20', 'open', undefined],
      ['dep:SNYK-JS-LODASH-1040724|npm/lodash|4.17.20', 'open', undefined],
      ['dep:SNYK-JS-OTHER-1|npm/lodash|4.17.20', 'risk_accepted', 'Only used in tests'],
      ['dep:SNYK-JS-THIRD-1|npm/lodash|4.17.20', 'not_affected', 'Not reachable'],
    ]);
    expect(results[1]?.locations).toEqual([
      { file: 'package-lock.json', path: 'app@1.0.0 > async@2.6.0 > lodash@4.17.20' },
    ]);
  });

  it("refuses Snyk's error output with Snyk's own message", async () => {
    const error = await errorOf(
      await write({
        ok: false,
        error: 'Could not detect supported target files in /repo.',
        path: '/repo',
      }),
    );
    expect(error).toMatchObject({
      isToolError: true,
      message: 'Could not detect supported target files in /repo.',
    });
  });

  it('refuses zero-byte, null, truncated, invalid and foreign files', async () => {
    expect((await errorOf(await write(''))).message).toBe('the file is empty');
    expect((await errorOf(await write('null'))).message).toBe(
      'not a Snyk report: expected an object or a list of projects',
    );
    expect((await errorOf(await write('{"vulnerabilities": [{"id": "S'))).message).toMatch(
      /the file looks truncated$/,
    );
    expect((await errorOf(await write('{"vulnerabilities": [,]}'))).message).toBe(
      'invalid JSON at line 1, column 22: expected a value',
    );
    expect((await errorOf(await write({ matches: [] }))).message).toBe(
      'not a Snyk report: a project has no `vulnerabilities` list',
    );
  });
});
