import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, useReportFiles } from './parser-test-helpers.ts';
import { grypeParser } from './grype.ts';

const { collect, errorOf } = bindParser(grypeParser);

describe.skipIf(!hasSharedData('corpus', 'scans'))('grypeParser on the corpus', () => {
  const corpus = (file: string) => sharedPath('corpus', 'scans', 'anchore_grype', file);

  it('yields nothing for a report without matches', async () => {
    expect(await collect(corpus('no_vuln.json'))).toEqual([]);
  });

  it('gives the same CVE in the same package at two paths one identity with both locations', async () => {
    const results = await collect(corpus('same_cve_different_paths.json'));
    expect(results).toHaveLength(2);
    expect(new Set(results.map((result) => result.identityKey))).toEqual(
      new Set(['dep:CVE-2021-33574|deb/libc6|2.28-10']),
    );
    expect(results.flatMap((result) => result.locations.map((location) => location.file))).toEqual([
      '/usr/lib/x86_64-linux-gnu/libc.so.6',
      '/lib/x86_64-linux-gnu/libc.so.6',
    ]);
    expect(results[0]).toMatchObject({
      severity: 'critical',
      packageName: 'libc6',
      packageVersion: '2.28-10',
      purl: 'pkg:deb/debian/libc6@2.28-10?arch=amd64',
      isFixAvailable: false,
      tool: 'grype',
    });
  });

  it('reads severities, related vulnerabilities, CVSS and fixes', async () => {
    const results = await collect(corpus('check_all_fields.json'));
    expect(results.map((result) => [result.identityKey, result.severity])).toEqual([
      ['dep:CVE-2004-0971|deb/libgssapi-krb5-2|1.17-3+deb10u3', 'info'],
      ['dep:CVE-2021-32626|python/redis|4.0.2', 'high'],
      ['dep:CVE-2021-33574|deb/libc-bin|2.28-10', 'critical'],
      ['dep:CVE-2021-33574|deb/libc6|2.28-10', 'critical'],
      ['dep:GHSA-v6rh-hp5x-86rv|python/Django|3.2.9', 'high'],
      ['dep:GHSA-v6rh-hp5x-86rv|python/Django|3.2.9', 'high'],
    ]);
    expect(results[4]).toMatchObject({
      vulnerabilityIds: ['GHSA-v6rh-hp5x-86rv', 'CVE-2021-44420'],
      fixVersion: '3.2.10',
      isFixAvailable: true,
      cvssV3Score: 7.3,
    });
    expect(results[1]).toMatchObject({
      cvssV3Vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
      fixVersion: 'fix_1, fix_2',
      // A `wont-fix` state means the listed versions are not a fix to apply.
      isFixAvailable: false,
    });
    expect(results[0]?.locations).toHaveLength(3);
  });

  it('refuses a Trivy report', async () => {
    const error = await errorOf(sharedPath('corpus', 'scans', 'trivy', 'all_statuses.json'));
    expect(error.message).toBe(
      'not a Grype report: there is no top-level `matches` list (top-level keys: SchemaVersion, CreatedAt, ArtifactName, ArtifactType, Metadata, Results)',
    );
  });
});

describe('grypeParser on crafted reports', () => {
  const { add: write } = useReportFiles('grype-');
  const match = {
    vulnerability: {
      id: 'GHSA-jfh8-c2jp-5v3q',
      severity: 'Critical',
      fix: { versions: ['2.15.0'], state: 'fixed' },
      cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }],
    },
    relatedVulnerabilities: [{ id: 'CVE-2021-44228' }],
    artifact: {
      name: 'log4j-core',
      version: '2.14.1',
      type: 'java-archive',
      locations: [{ path: '/app/lib/log4j-core-2.14.1.jar' }],
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
    },
  };

  it('reports ignored matches with the state their ignore rule gives', async () => {
    const results = await collect(
      await write({
        matches: [match],
        ignoredMatches: [
          {
            ...match,
            appliedIgnoreRules: [
              { 'vex-status': 'not_affected', 'vex-justification': 'vulnerable_code_not_present' },
            ],
          },
          {
            ...match,
            appliedIgnoreRules: [
              { vulnerability: 'GHSA-jfh8-c2jp-5v3q', reason: 'accepted until Q3' },
            ],
          },
        ],
      }),
    );
    expect(results.map((result) => [result.arrivalState, result.arrivalReason])).toEqual([
      ['open', undefined],
      ['not_affected', 'vulnerable_code_not_present'],
      ['risk_accepted', 'accepted until Q3'],
    ]);
    expect(results[0]).toMatchObject({
      identityKey: 'dep:GHSA-jfh8-c2jp-5v3q|java-archive/log4j-core|2.14.1',
      cvssV3Score: 10,
      fixVersion: '2.15.0',
      isFixAvailable: true,
    });
  });

  it('refuses zero-byte, null, truncated and invalid files', async () => {
    expect((await errorOf(await write(''))).message).toBe('the file is empty');
    expect((await errorOf(await write('null'))).message).toBe(
      'not a Grype report: the top level is not an object',
    );
    expect(
      (await errorOf(await write('{"matches":[{"vulnerability":{"id":"CVE-1'))).message,
    ).toMatch(/the file looks truncated$/);
    expect((await errorOf(await write('{"matches": [1 2]}'))).message).toBe(
      "invalid JSON at line 1, column 16: expected ','",
    );
  });
});
