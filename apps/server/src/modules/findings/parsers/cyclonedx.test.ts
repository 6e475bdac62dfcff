import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { collectResults, reportErrorOf, useReportFiles } from './parser-test-helpers.ts';
import { cyclonedxJsonParser, cyclonedxXmlParser } from './cyclonedx.ts';

describe.skipIf(!hasSharedData('corpus', 'scans'))('CycloneDX parsers on the corpus', () => {
  const corpus = (file: string) => sharedPath('corpus', 'scans', 'cyclonedx', file);

  it('resolves a bom-ref to a nested component and keeps in_triage open', async () => {
    const results = await collectResults(
      cyclonedxJsonParser,
      corpus('nested-component-log4j.json'),
    );
    expect(results.map((result) => result.vulnerabilityIds[0])).toEqual([
      'CVE-2021-44228',
      'CVE-2021-44832',
      'CVE-2021-45046',
      'CVE-2021-45105',
      'GHSA-7rjr-3q55-vv33',
      'GHSA-8489-44mv-ggj8',
      'GHSA-jfh8-c2jp-5v3q',
      'GHSA-p6xc-xr62-6r2g',
    ]);
    expect(results.every((result) => result.arrivalState === 'open')).toBe(true);
    expect(results[0]).toMatchObject({
      identityKey: 'dep:CVE-2021-44228|maven/org.apache.logging.log4j/log4j-core|2.13.2',
      severity: 'critical',
      cvssV3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
      cvssV3Score: 10,
      packageName: 'log4j-core',
      packageVersion: '2.13.2',
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.13.2',
      tool: 'grype',
    });
  });

  it('rates a vulnerability without a severity by its CVSS score', async () => {
    const results = await collectResults(cyclonedxJsonParser, corpus('no-severity.json'));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      identityKey: 'dep:CVE-2021-44228|gerbwetbqt|',
      severity: 'critical',
      cvssV3Score: 10,
      locations: [{ path: 'gerbwetbqt' }],
    });
  });

  it('reads a VEX not_affected analysis with its justification', async () => {
    const results = await collectResults(
      cyclonedxJsonParser,
      corpus('valid-vulnerability-1.4.json'),
    );
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      identityKey:
        'dep:SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111|maven/com.fasterxml.jackson.core/jackson-databind|2.9.4',
      vulnerabilityIds: ['SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111', 'CVE-2018-7489'],
      severity: 'critical',
      cwes: [184, 502],
      cvssV3Vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      cvssV3Score: 9.8,
      packageName: 'com.fasterxml.jackson.core:jackson-databind',
      arrivalState: 'not_affected',
      arrivalReason:
        'code_not_reachable: An optional explanation of why the application is not affected by the vulnerable component.',
      remediation:
        'Upgrade com.fasterxml.jackson.core:jackson-databind to version 2.6.7.5, 2.8.11.1, 2.9.5 or higher.',
    });
  });

  it('reads the XML vulnerability extension', async () => {
    const results = await collectResults(cyclonedxXmlParser, corpus('spec1.xml'));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      identityKey: 'dep:CVE-2018-7489|maven/com.fasterxml.jackson.core/jackson-databind|2.9.9',
      severity: 'critical',
      cwes: [184, 502],
      cvssV3Score: 9.8,
      remediation: 'Upgrade',
      references: [
        'https://nvd.nist.gov/vuln/detail/CVE-2018-7489',
        'https://github.com/FasterXML/jackson-databind/issues/1931',
        'http://www.securityfocus.com/bid/103203',
        'http://www.securitytracker.com/id/1040693',
        'http://www.securitytracker.com/id/1041890',
      ],
    });
  });

  it('yields nothing for an XML SBOM without vulnerabilities', async () => {
    expect(await collectResults(cyclonedxXmlParser, corpus('cyclonedx_bom.xml'))).toEqual([]);
  });

  it('refuses the other encoding and other formats', async () => {
    expect((await reportErrorOf(cyclonedxJsonParser, corpus('spec1.xml'))).message).toMatch(
      /^invalid JSON at line 1, column 1: /,
    );
    expect((await reportErrorOf(cyclonedxXmlParser, corpus('no-severity.json'))).message).toMatch(
      /^invalid XML at line \d+, column \d+: text data outside of root node/,
    );
    expect(
      (
        await reportErrorOf(
          cyclonedxJsonParser,
          sharedPath('corpus', 'scans', 'trivy', 'all_statuses.json'),
        )
      ).message,
    ).toBe('not a CycloneDX BOM: `bomFormat` is missing, expected "CycloneDX"');
    expect(
      (
        await reportErrorOf(
          cyclonedxXmlParser,
          sharedPath('corpus', 'scans', 'dependency_check', 'version-6.5.3.xml'),
        )
      ).message,
    ).toBe(
      'not a CycloneDX XML BOM: the root element is <analysis> in https://jeremylong.github.io/DependencyCheck/dependency-check.2.5.xsd',
    );
  });
});

describe('CycloneDX parsers on crafted BOMs', () => {
  const { add: write } = useReportFiles('cyclonedx-');
  const vulnerability = (id: string, state: string | undefined) => ({
    id,
    ratings: [{ method: 'CVSSv31', vector: 'AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N' }],
    ...(state === undefined ? {} : { analysis: { state, detail: `${state} by review` } }),
    affects: [{ ref: 'lib-a' }, { ref: 'lib-b' }],
  });

  it('maps VEX states, one result per affected component, components read after vulnerabilities', async () => {
    const results = await collectResults(
      cyclonedxJsonParser,
      await write({
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        vulnerabilities: [
          vulnerability('CVE-1', 'resolved'),
          vulnerability('CVE-2', 'false_positive'),
          vulnerability('CVE-3', 'exploitable'),
          vulnerability('CVE-4', undefined),
        ],
        components: [
          { 'bom-ref': 'lib-a', name: 'a', version: '1.0.0', purl: 'pkg:npm/a@1.0.0' },
          {
            'bom-ref': 'app',
            name: 'app',
            components: [{ 'bom-ref': 'lib-b', group: 'org.example', name: 'b', version: '2.0' }],
          },
        ],
      }),
    );
    expect(results.map((result) => [result.identityKey, result.arrivalState])).toEqual([
      ['dep:CVE-1|npm/a|1.0.0', 'fixed'],
      ['dep:CVE-1|org.example/b|2.0', 'fixed'],
      ['dep:CVE-2|npm/a|1.0.0', 'false_positive'],
      ['dep:CVE-2|org.example/b|2.0', 'false_positive'],
      ['dep:CVE-3|npm/a|1.0.0', 'open'],
      ['dep:CVE-3|org.example/b|2.0', 'open'],
      ['dep:CVE-4|npm/a|1.0.0', 'open'],
      ['dep:CVE-4|org.example/b|2.0', 'open'],
    ]);
    expect(results[0]).toMatchObject({
      arrivalReason: 'resolved by review',
      cvssV3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N',
      cvssV3Score: 6.5,
      severity: 'medium',
    });
    expect(results[1]?.packageName).toBe('org.example:b');
  });

  it('reads CycloneDX 1.5 XML vulnerabilities with analysis and targets', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">
  <vulnerabilities>
    <vulnerability bom-ref="v1">
      <id>CVE-2022-42889</id>
      <source><name>NVD</name><url>https://nvd.nist.gov/vuln/detail/CVE-2022-42889</url></source>
      <ratings>
        <rating><score>9.8</score><severity>critical</severity><method>CVSSv31</method>
          <vector>CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</vector></rating>
      </ratings>
      <cwes><cwe>94</cwe></cwes>
      <analysis><state>not_affected</state><justification>code_not_reachable</justification></analysis>
      <affects><target><ref>commons-text</ref></target></affects>
    </vulnerability>
  </vulnerabilities>
  <components>
    <component type="library" bom-ref="commons-text">
      <group>org.apache.commons</group><name>commons-text</name><version>1.9</version>
      <purl>pkg:maven/org.apache.commons/commons-text@1.9</purl>
    </component>
  </components>
</bom>`;
    const results = await collectResults(cyclonedxXmlParser, await write(xml, 'xml'));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      identityKey: 'dep:CVE-2022-42889|maven/org.apache.commons/commons-text|1.9',
      severity: 'critical',
      cwes: [94],
      cvssV3Score: 9.8,
      arrivalState: 'not_affected',
      arrivalReason: 'code_not_reachable',
      purl: 'pkg:maven/org.apache.commons/commons-text@1.9',
    });
  });

  it('refuses XML with entity declarations', async () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><vulnerabilities><vulnerability><id>&xxe;</id></vulnerability></vulnerabilities></bom>`;
    expect((await reportErrorOf(cyclonedxXmlParser, await write(xml, 'xml'))).message).toBe(
      'the XML declares entities in its DOCTYPE, which is refused',
    );
  });

  it('yields nothing for empty BOMs and refuses empty, null, truncated and invalid files', async () => {
    expect(
      await collectResults(
        cyclonedxJsonParser,
        await write({ bomFormat: 'CycloneDX', vulnerabilities: [] }),
      ),
    ).toEqual([]);
    expect((await reportErrorOf(cyclonedxJsonParser, await write(''))).message).toBe(
      'the file is empty',
    );
    expect((await reportErrorOf(cyclonedxXmlParser, await write('', 'xml'))).message).toBe(
      'the file is empty',
    );
    expect((await reportErrorOf(cyclonedxJsonParser, await write('null'))).message).toBe(
      'not a CycloneDX BOM: the top level is not an object',
    );
    expect(
      (
        await reportErrorOf(
          cyclonedxJsonParser,
          await write('{"bomFormat":"CycloneDX","vulnerabilities":[{'),
        )
      ).message,
    ).toMatch(/the file looks truncated$/);
    expect(
      (
        await reportErrorOf(
          cyclonedxXmlParser,
          await write('<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components>', 'xml'),
        )
      ).message,
    ).toMatch(/^the XML ends too early at line 1: the file looks truncated/);
  });
});
