import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, countValues, useReportFiles } from './parser-test-helpers.ts';
import { trivyParser } from './trivy.ts';

const { collect, errorOf } = bindParser(trivyParser);

describe.skipIf(!hasSharedData('corpus', 'scans'))('trivyParser on the corpus', () => {
  const corpus = (file: string) => sharedPath('corpus', 'scans', 'trivy', file);

  it('maps the status not_affected and keeps every other status open', async () => {
    const results = await collect(corpus('all_statuses.json'));
    expect(results.map((result) => [result.vulnerabilityIds[0], result.arrivalState])).toEqual([
      ['CVE-2011-3374', 'open'],
      ['CVE-2019-18276', 'not_affected'],
      ['TEMP-0841856-B18BAF', 'open'],
      ['CVE-2018-1000876', 'open'],
      ['CVE-2018-12697', 'open'],
      ['CVE-2018-12698', 'open'],
      ['CVE-2018-12699', 'open'],
      ['CVE-2018-12934', 'open'],
    ]);
    expect(results[1]).toMatchObject({
      identityKey: 'dep:CVE-2019-18276|debian/bash|5.0-4',
      category: 'dependency',
      severity: 'low',
      packageName: 'bash',
      packageVersion: '5.0-4',
      purl: 'pkg:deb/debian/bash@5.0-4',
      cwes: [273],
      cvssV3Vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
      cvssV3Score: 7.8,
      locations: [{ file: 'noppaknopsta/example-app:main-159 (debian 10.13)' }],
      tool: 'trivy',
    });
  });

  it('takes CVSS v4 from the severity source and v3 from the next source that has it', async () => {
    const results = await collect(corpus('cvssv4_severity_source.json'));
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({
      identityKey: 'dep:CVE-2025-66614|jar/org.apache.tomcat:tomcat-catalina|9.0.109',
      severity: 'medium',
      cvssV4Vector: 'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N',
      cvssV4Score: 6.3,
      cvssV3Vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N',
      cvssV3Score: 5.3,
      purl: 'pkg:maven/org.apache.tomcat/tomcat-catalina@9.0.109',
      fixVersion: '11.0.14, 10.1.49, 9.0.112',
      isFixAvailable: true,
      vulnerabilityIds: ['CVE-2025-66614', 'GHSA-fpj8-gq4v-p354'],
    });
    expect(results.map((result) => result.cvssV4Score)).toEqual([6.3, 2.3, 2.7]);
  });

  it('reads the legacy list format', async () => {
    const results = await collect(corpus('legacy_many_vulns.json'));
    expect(results).toHaveLength(93);
    expect(countValues(results.map((result) => result.severity))).toEqual({
      low: 65,
      high: 18,
      medium: 9,
      info: 1,
    });
    expect(new Set(results.map((result) => result.identityKey)).size).toBe(93);
    expect(results[0]?.identityKey).toBe('dep:CVE-2011-3374|debian/apt|1.8.2.2');
  });

  it('reads `null` as a scan that found nothing', async () => {
    expect(await collect(corpus('legacy_no_vuln.json'))).toEqual([]);
  });

  it('reads vulnerabilities, misconfigurations and secrets', async () => {
    const results = await collect(corpus('misconfigurations_and_secrets.json'));
    expect(results.map((result) => [result.category, result.identityKey, result.severity])).toEqual(
      [
        ['dependency', 'dep:CVE-2021-33503|pip/urllib3|1.26.3', 'high'],
        ['dependency', 'dep:CVE-2021-28363|pip/urllib3|1.26.3', 'medium'],
        ['configuration', 'config:DS002|Dockerfile|', 'high'],
        ['secret', 'secret:github-pat|Dockerfile|24', 'critical'],
        ['secret', 'secret:github-pat|secret.txt|1', 'critical'],
      ],
    );
    expect(results[2]).toMatchObject({
      ruleId: 'DS002',
      title: "Image user should not be 'root'",
      remediation: "Add 'USER <non root user name>' line to the Dockerfile",
      locations: [{ file: 'Dockerfile' }],
    });
    expect(results[3]).toMatchObject({
      ruleId: 'github-pat',
      title: 'GitHub Personal Access Token',
      locations: [{ file: 'Dockerfile', line: 24 }],
    });
    expect(results[3]?.description).not.toContain('GITHUB_PAT');
  });

  it('reads a SchemaVersion 2 report with several targets', async () => {
    const results = await collect(corpus('scheme_2_many_vulns.json'));
    expect(results.map((result) => [result.identityKey, result.fixVersion])).toEqual([
      ['dep:CVE-2020-15999|alpine/freetype|2.9.1-r2', '2.9.1-r3'],
      ['dep:CVE-2020-28196|alpine/krb5-libs|1.15.5-r0', '1.15.5-r1'],
      ['dep:CVE-2019-12900|alpine/libbz2|1.0.6-r6', '1.0.6-r7'],
      ['dep:CVE-2018-11771|jar/org.apache.commons:commons-compress|1.14', '1.18'],
      ['dep:CVE-2018-1324|jar/org.apache.commons:commons-compress|1.14', '1.16'],
    ]);
    expect(results[2]?.severity).toBe('critical');
  });

  it('refuses a report of another format', async () => {
    const error = await errorOf(
      sharedPath('corpus', 'scans', 'anchore_grype', 'check_all_fields.json'),
    );
    expect(error.message).toBe(
      'not a Trivy report: expected SchemaVersion, Results or Resources at the top level (found: matches, source, distro, descriptor)',
    );
  });
});

describe('trivyParser on crafted reports', () => {
  const { add: write } = useReportFiles('trivy-');
  const vulnerability = {
    VulnerabilityID: 'CVE-2021-44228',
    PkgName: 'org.apache.logging.log4j:log4j-core',
    InstalledVersion: '2.14.1',
    FixedVersion: '2.15.0',
    Severity: 'UNKNOWN',
    CVSS: {
      nvd: { V3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' },
      ghsa: { V40Vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
    },
  };

  it('merges the same vulnerability in two Kubernetes resources into one identity', async () => {
    const resource = (name: string) => ({
      Namespace: 'prod',
      Kind: 'Deployment',
      Name: name,
      Results: [
        {
          Target: 'registry/app:1 (jar)',
          Class: 'lang-pkgs',
          Type: 'jar',
          Vulnerabilities: [vulnerability],
        },
        {
          Target: 'Deployment/app',
          Class: 'config',
          Type: 'kubernetes',
          Misconfigurations: [
            {
              ID: 'KSV001',
              Title: 'Process can elevate its privileges',
              Severity: 'MEDIUM',
              Status: 'FAIL',
            },
            { ID: 'KSV002', Title: 'Passed', Severity: 'LOW', Status: 'PASS' },
            { ID: 'KSV003', Title: 'Excepted', Severity: 'LOW', Status: 'EXCEPTION' },
          ],
        },
      ],
    });
    const results = await collect(
      await write({ ClusterName: 'kind', Resources: [resource('api'), resource('web')] }),
    );
    const vulnerabilities = results.filter((result) => result.category === 'dependency');
    expect(vulnerabilities).toHaveLength(2);
    expect(new Set(vulnerabilities.map((result) => result.identityKey))).toEqual(
      new Set(['dep:CVE-2021-44228|jar/org.apache.logging.log4j:log4j-core|2.14.1']),
    );
    expect(vulnerabilities.map((result) => result.locations)).toEqual([
      [{ file: 'registry/app:1 (jar)', path: 'prod/Deployment/api' }],
      [{ file: 'registry/app:1 (jar)', path: 'prod/Deployment/web' }],
    ]);
    const configurations = results.filter((result) => result.category === 'configuration');
    expect(configurations.map((result) => [result.identityKey, result.arrivalState])).toEqual([
      ['config:KSV001|Deployment/app|prod/Deployment/api', 'open'],
      ['config:KSV003|Deployment/app|prod/Deployment/api', 'risk_accepted'],
      ['config:KSV001|Deployment/app|prod/Deployment/web', 'open'],
      ['config:KSV003|Deployment/app|prod/Deployment/web', 'risk_accepted'],
    ]);
  });

  it('computes CVSS scores from vectors and rates an UNKNOWN severity by them', async () => {
    const results = await collect(
      await write({
        SchemaVersion: 2,
        Results: [{ Target: 'pom.xml', Type: 'pom', Vulnerabilities: [vulnerability] }],
      }),
    );
    expect(results[0]).toMatchObject({
      cvssV3Score: 10,
      cvssV4Vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      cvssV4Score: 9.3,
      severity: 'critical',
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
    });
  });

  it('reports findings a VEX document changed with their new state and statement', async () => {
    const results = await collect(
      await write({
        SchemaVersion: 2,
        Results: [
          {
            Target: 'go.mod',
            Type: 'gomod',
            ExperimentalModifiedFindings: [
              {
                Type: 'vulnerability',
                Status: 'not_affected',
                Statement: 'vulnerable_code_not_in_execute_path',
                Source: 'openvex.json',
                Finding: { ...vulnerability, PkgName: 'golang.org/x/net' },
              },
            ],
          },
        ],
      }),
    );
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      identityKey: 'dep:CVE-2021-44228|gomod/golang.org/x/net|2.14.1',
      arrivalState: 'not_affected',
      arrivalReason: 'vulnerable_code_not_in_execute_path',
    });
  });

  it('yields nothing for a report without results', async () => {
    expect(
      await collect(await write({ SchemaVersion: 2, ArtifactName: 'x', Results: [] })),
    ).toEqual([]);
    expect(await collect(await write({ SchemaVersion: 2, ArtifactName: 'x' }))).toEqual([]);
    expect(await collect(await write([]))).toEqual([]);
  });

  it('refuses zero-byte, truncated, invalid and foreign files', async () => {
    expect((await errorOf(await write(''))).message).toBe('the file is empty');
    expect(
      (
        await errorOf(
          await write('{"SchemaVersion":2,"Results":[{"Target":"a","Vulnerabilities":[{"Vulner'),
        )
      ).message,
    ).toMatch(/^the JSON ends too early at line 1, column \d+: the file looks truncated$/);
    expect((await errorOf(await write('{"SchemaVersion": 2,, }'))).message).toBe(
      'invalid JSON at line 1, column 21: expected an object key',
    );
    expect((await errorOf(await write('"text"'))).message).toBe(
      'not a Trivy report: the top level is not an object or a list',
    );
    expect((await errorOf(await write([{ RuleID: 'aws-key', File: 'a' }]))).message).toBe(
      'not a Trivy report: the entries of the top-level list have no `Target`',
    );
  });
});
