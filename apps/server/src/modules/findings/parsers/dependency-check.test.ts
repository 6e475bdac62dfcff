import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { bindParser, useReportFiles } from './parser-test-helpers.ts';
import { dependencyCheckParser } from './dependency-check.ts';

const { collect, errorOf } = bindParser(dependencyCheckParser);

describe.skipIf(!hasSharedData('corpus', 'scans'))('dependencyCheckParser on the corpus', () => {
  const corpus = (file: string) => sharedPath('corpus', 'scans', 'dependency_check', file);

  it('yields nothing for a dependency without vulnerabilities', async () => {
    expect(await collect(corpus('single_dependency_with_related_no_vulnerability.xml'))).toEqual(
      [],
    );
  });

  it('reads a vulnerability with its package URL, CVSS v3 vector and fixed version', async () => {
    const results = await collect(corpus('version-6.5.3.xml'));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      category: 'dependency',
      identityKey: 'dep:CVE-2020-9488|maven/org.apache.logging.log4j/log4j-api|2.12.4',
      title: 'CVE-2020-9488 in org.apache.logging.log4j:log4j-api 2.12.4',
      severity: 'low',
      vulnerabilityIds: ['CVE-2020-9488'],
      cwes: [295],
      cvssV3Vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N',
      cvssV3Score: 3.7,
      packageName: 'org.apache.logging.log4j:log4j-api',
      packageVersion: '2.12.4',
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-api@2.12.4',
      fixVersion: '2.13.2',
      isFixAvailable: true,
      locations: [
        { file: '/home/damien/vulnerabilities/apache-log4j-2.12.4-bin/log4j-api-2.12.4.jar' },
      ],
      arrivalState: 'open',
      tool: 'dependency-check',
    });
    expect(results[0]?.references.length).toBeGreaterThan(10);
  });

  it('refuses a CycloneDX XML BOM', async () => {
    const error = await errorOf(sharedPath('corpus', 'scans', 'cyclonedx', 'spec1.xml'));
    expect(error.message).toBe(
      'not a Dependency-Check XML report: the root element is <bom>, expected <analysis>',
    );
  });
});

describe('dependencyCheckParser on crafted reports', () => {
  const files = useReportFiles('dependency-check-');
  const write = (content: string) => files.add(content, 'xml');
  const report = (body: string, doctype = '') => `<?xml version="1.0"?>
${doctype}<analysis xmlns="https://jeremylong.github.io/DependencyCheck/dependency-check.3.1.xsd">
  <dependencies>${body}</dependencies>
</analysis>`;

  it('reports suppressed vulnerabilities as false positives and related copies as locations', async () => {
    const results = await collect(
      await write(
        report(`
    <dependency>
      <fileName>jackson-databind-2.9.8.jar</fileName>
      <filePath>/app/lib/jackson-databind-2.9.8.jar</filePath>
      <relatedDependencies>
        <relatedDependency><filePath>/app/plugins/jackson-databind-2.9.8.jar</filePath></relatedDependency>
      </relatedDependencies>
      <identifiers>
        <package confidence="HIGHEST"><id>pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.8</id></package>
      </identifiers>
      <vulnerabilities>
        <vulnerability source="NVD">
          <name>CVE-2019-12384</name>
          <cvssV3><baseScore>5.9</baseScore><attackVector>NETWORK</attackVector><attackComplexity>HIGH</attackComplexity>
            <privilegesRequired>NONE</privilegesRequired><userInteraction>NONE</userInteraction><scope>UNCHANGED</scope>
            <confidentialityImpact>HIGH</confidentialityImpact><integrityImpact>NONE</integrityImpact>
            <availabilityImpact>NONE</availabilityImpact><version>3.1</version></cvssV3>
        </vulnerability>
      </vulnerabilities>
      <suppressedVulnerabilities>
        <suppressedVulnerability source="NVD">
          <name>CVE-2019-12086</name><severity>HIGH</severity><notes>Polymorphic typing is disabled.</notes>
        </suppressedVulnerability>
      </suppressedVulnerabilities>
    </dependency>`),
      ),
    );
    expect(
      results.map((result) => [
        result.identityKey,
        result.severity,
        result.arrivalState,
        result.arrivalReason,
      ]),
    ).toEqual([
      [
        'dep:CVE-2019-12384|maven/com.fasterxml.jackson.core/jackson-databind|2.9.8',
        'medium',
        'open',
        undefined,
      ],
      [
        'dep:CVE-2019-12086|maven/com.fasterxml.jackson.core/jackson-databind|2.9.8',
        'high',
        'false_positive',
        'Polymorphic typing is disabled.',
      ],
    ]);
    expect(results[0]).toMatchObject({
      cvssV3Vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N',
      cvssV3Score: 5.9,
      locations: [
        { file: '/app/lib/jackson-databind-2.9.8.jar' },
        { file: '/app/plugins/jackson-databind-2.9.8.jar' },
      ],
    });
  });

  it('names a dependency without a package URL by its file', async () => {
    const results = await collect(
      await write(
        report(`<dependency><fileName>jquery.min.js</fileName><filePath>/web/jquery.min.js</filePath>
          <vulnerabilities><vulnerability source="RETIREJS"><name>CVE-2020-11022</name><severity>medium</severity></vulnerability></vulnerabilities>
        </dependency>`),
      ),
    );
    expect(results[0]).toMatchObject({
      identityKey: 'dep:CVE-2020-11022|file/jquery.min.js|',
      packageName: 'jquery.min.js',
      severity: 'medium',
    });
  });

  it('refuses entity declarations, truncated, invalid and empty files', async () => {
    expect(
      (
        await errorOf(
          await write(
            report('&xxe;', '<!DOCTYPE analysis [<!ENTITY xxe SYSTEM "http://evil/">]>\n'),
          ),
        )
      ).message,
    ).toBe('the XML declares entities in its DOCTYPE, which is refused');
    expect((await errorOf(await write(report('').slice(0, 80)))).message).toMatch(
      /^the XML ends too early at line \d+: the file looks truncated/,
    );
    expect((await errorOf(await write('<analysis>\n<dependencies></analysis>'))).message).toMatch(
      /^invalid XML at line 2, column \d+: /,
    );
    expect((await errorOf(await write(''))).message).toBe('the file is empty');
  });
});
