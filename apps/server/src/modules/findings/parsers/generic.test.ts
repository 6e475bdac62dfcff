import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../../../test/shared-data.ts';
import { collectResults, reportErrorOf, useReportFiles } from './parser-test-helpers.ts';
import { genericCsvParser, genericJsonParser } from './generic.ts';

describe.skipIf(!hasSharedData('corpus', 'scans'))('generic parsers on the corpus', () => {
  const corpus = (file: string) => sharedPath('corpus', 'scans', 'generic', file);

  it("reads DefectDojo's generic JSON", async () => {
    const results = await collectResults(genericJsonParser, corpus('generic_report1.json'));
    expect(results).toHaveLength(2);
    expect(results[0]).toEqual({
      category: 'configuration',
      identityKey: 'generic:id|3287f2d0-554f-491b-8516-3c349ead8ee5',
      title: 'test title',
      severity: 'medium',
      ruleId: 'TEST1',
      vulnerabilityIds: ['CVE-2020-36234'],
      cwes: [261],
      cvssV3Vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:R/S:C/C:L/I:L/A:N',
      cvssV3Score: 4.8,
      description:
        "Some very long description with\n\n some UTF-8 chars à qu'il est beau\n\nImpact: Some impact",
      references: [],
      locations: [],
      arrivalState: 'open',
    });
    expect(results[1]).toMatchObject({
      identityKey: 'generic:id|42500af3-68c5-4dc3-8022-191d93c2f1f7',
      vulnerabilityIds: ['CVE-2020-36235'],
      cwes: [287],
    });
  });

  it('refuses a finding without title, naming its JSON path', async () => {
    const error = await reportErrorOf(genericJsonParser, corpus('generic_empty.json'));
    expect(error.message).toBe('findings[0].title: is required');
    expect(error.where).toEqual({ path: 'findings[0].title' });
  });

  it("reads DefectDojo's generic CSV, one identity per URL", async () => {
    const results = await collectResults(genericCsvParser, corpus('generic_report1.csv'));
    expect(results).toHaveLength(5);
    expect(new Set(results.map((result) => result.identityKey)).size).toBe(5);
    expect(results.map((result) => result.cwes[0])).toEqual([1, 2, 3, 4, 5]);
    expect(results[1]).toEqual({
      category: 'dast',
      identityKey: 'generic:ASDF|||https://vulnerable.endpoint.com/resource2/qwerty',
      title: 'ASDF',
      severity: 'low',
      vulnerabilityIds: [],
      cwes: [2],
      description: 'Some description\n\nImpact: Some Impact',
      remediation: 'Some mitigation advice',
      references: [],
      locations: [{ url: 'https://vulnerable.endpoint.com/resource2/qwerty' }],
      arrivalState: 'open',
    });
  });

  it('reads mitigated rows of the DefectDojo CSV as fixed', async () => {
    const results = await collectResults(genericCsvParser, corpus('generic_report3.csv'));
    expect(results.map((result) => [result.title, result.arrivalState])).toEqual([
      ['Mitigated_ISO_Finding', 'fixed'],
      ['Mitigated_Finding', 'fixed'],
    ]);
  });

  it('refuses a JSON file given as CSV', async () => {
    const error = await reportErrorOf(genericCsvParser, corpus('generic_report1.json'));
    expect(error.message).toMatch(
      /^not a generic findings CSV: the header row lacks title and severity/,
    );
    expect(error.where).toEqual({ line: 1 });
  });
});

describe('genericJsonParser', () => {
  const { write: fixture } = useReportFiles('steward-generic-json-');

  it('reads every field of the Steward format', async () => {
    const path = await fixture('full.json', {
      findings: [
        {
          title: 'Outdated OpenSSL',
          severity: 'High',
          description: 'The appliance ships OpenSSL 3.0.6.',
          vulnerabilityIds: ['CVE-2022-3602', 'CVE-2022-3786'],
          cwe: 'CWE-120',
          cvssV3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
          component: 'openssl',
          version: '3.0.6',
          fixVersion: '3.0.7',
          purl: 'pkg:generic/openssl@3.0.6',
          file: 'Dockerfile',
          line: 3,
          remediation: 'Upgrade to 3.0.7.',
          references: ['https://www.openssl.org/news/secadv/20221101.txt'],
          ruleId: 'PT-DEP-01',
          tool: 'manual review',
          state: 'risk accepted',
        },
      ],
    });
    const [result] = await collectResults(genericJsonParser, path);
    expect(result).toEqual({
      category: 'dependency',
      identityKey: 'generic:Outdated OpenSSL|CVE-2022-3602|openssl|Dockerfile',
      title: 'Outdated OpenSSL',
      severity: 'high',
      ruleId: 'PT-DEP-01',
      vulnerabilityIds: ['CVE-2022-3602', 'CVE-2022-3786'],
      cwes: [120],
      cvssV3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
      cvssV3Score: 7.5,
      packageName: 'openssl',
      packageVersion: '3.0.6',
      purl: 'pkg:generic/openssl@3.0.6',
      fixVersion: '3.0.7',
      description: 'The appliance ships OpenSSL 3.0.6.',
      remediation: 'Upgrade to 3.0.7.',
      references: ['https://www.openssl.org/news/secadv/20221101.txt'],
      locations: [{ file: 'Dockerfile', line: 3 }],
      arrivalState: 'risk_accepted',
      tool: 'manual review',
    });
  });

  it('derives the category and keeps findings without location apart by title', async () => {
    const path = await fixture('categories.json', {
      findings: [
        { title: 'XSS in search', severity: 'medium', url: 'https://app.example/search' },
        { title: 'SQLi', severity: 'critical', file: 'src/db.ts', category: 'code' },
        { title: 'Weak password policy', severity: 'low', steps_to_reproduce: '1. Sign up' },
        { title: 'Leaked key', severity: 'high', category: 'secret', uniqueId: 'PT-9' },
      ],
    });
    const results = await collectResults(genericJsonParser, path);
    expect(results.map((result) => [result.category, result.identityKey])).toEqual([
      ['dast', 'generic:XSS in search|||https://app.example/search'],
      ['code', 'generic:SQLi|||src/db.ts'],
      ['configuration', 'generic:Weak password policy|||'],
      ['secret', 'generic:id|PT-9'],
    ]);
    expect(results[2]?.description).toBe('Steps to reproduce:\n1. Sign up');
  });

  it("reads DefectDojo's flags, endpoints and lists", async () => {
    const path = await fixture('dojo.json', {
      findings: [
        {
          title: 'a',
          severity: 'Info',
          description: 'd',
          false_p: true,
          endpoints: [
            'https://a.example/x',
            { protocol: 'https', host: 'b.example', port: 8443, path: 'y' },
          ],
          vulnerability_ids: ['GHSA-aaaa-bbbb-cccc'],
          cve: 'CVE-2024-0001',
        },
        { title: 'b', severity: 'Low', description: 'd', risk_accepted: true },
        { title: 'c', severity: 'Low', description: 'd', out_of_scope: true },
        { title: 'd', severity: 'Low', description: 'd', active: false },
        { title: 'e', severity: 'Low', description: 'd', cwes: ['CWE-79', 89], cwe: 0 },
      ],
    });
    const results = await collectResults(genericJsonParser, path);
    expect(results.map((result) => result.arrivalState)).toEqual([
      'false_positive',
      'risk_accepted',
      'not_affected',
      'fixed',
      'open',
    ]);
    expect(results[0]).toMatchObject({
      severity: 'info',
      vulnerabilityIds: ['GHSA-aaaa-bbbb-cccc', 'CVE-2024-0001'],
      locations: [{ url: 'https://a.example/x' }, { url: 'https://b.example:8443/y' }],
    });
    expect(results[4]?.cwes).toEqual([79, 89]);
  });

  it('reads an empty findings list', async () => {
    expect(
      await collectResults(genericJsonParser, await fixture('empty.json', { findings: [] })),
    ).toEqual([]);
  });

  it('refuses wrong values, naming the finding and field', async () => {
    const cases: [unknown, string][] = [
      [
        { title: 'a', severity: 'urgent' },
        'findings[0].severity: "urgent" is not a severity (critical, high, medium, low or info)',
      ],
      [{ title: 'a' }, 'findings[0].severity: is required'],
      [
        { title: 'a', severity: 'low', line: 0 },
        'findings[0].line: 0 is not a whole number at least 1',
      ],
      [{ title: 'a', severity: 'low', cwe: 'XSS' }, 'findings[0].cwe: "XSS" is not a CWE id'],
      [
        { title: 'a', severity: 'low', cvssV3Vector: 'AV:N' },
        'findings[0].cvssV3Vector: "AV:N" is not a valid CVSS v3 vector',
      ],
      [
        { title: 'a', severity: 'low', state: 'closed' },
        'findings[0].state: "closed" is not one of open, false_positive, not_affected, risk_accepted, fixed',
      ],
      [
        { title: 'a', severity: 'low', category: 'web' },
        'findings[0].category: "web" is not one of dependency, code, dast, secret, configuration',
      ],
      [{ title: ['a'], severity: 'low' }, 'findings[0].title: must be text'],
      [
        { title: 'a', severity: 'low', active: 'maybe' },
        'findings[0].active: "maybe" is not true or false',
      ],
    ];
    for (const [finding, message] of cases) {
      const path = await fixture('bad.json', { findings: [finding] });
      expect((await reportErrorOf(genericJsonParser, path)).message).toBe(message);
    }
    const notObject = await fixture('not-object.json', {
      findings: [{ title: 'a', severity: 'low' }, 'x'],
    });
    expect((await reportErrorOf(genericJsonParser, notObject)).message).toBe(
      'findings[1]: a finding must be an object',
    );
  });

  it('refuses reports of other formats and broken files', async () => {
    expect(
      (await reportErrorOf(genericJsonParser, await fixture('array.json', []))).message,
    ).toMatch(/^not a generic findings report/);
    expect(
      (await reportErrorOf(genericJsonParser, await fixture('other.json', { results: [] })))
        .message,
    ).toBe('not a generic findings report: no "findings" array');
    expect((await reportErrorOf(genericJsonParser, await fixture('zero.json', ''))).message).toBe(
      'the file is empty',
    );
    const truncated = await reportErrorOf(
      genericJsonParser,
      await fixture('truncated.json', '{"findings": [\n{"title": "a",'),
    );
    expect(truncated.message).toMatch(/ends too early at line 2/);
  });
});

describe('genericCsvParser', () => {
  const { write: fixture } = useReportFiles('steward-generic-csv-');

  it('reads the Steward columns, quoted multi-line cells and lists', async () => {
    const path = await fixture(
      'steward.csv',
      '\uFEFFtitle,severity,description,vulnerabilityIds,cwe,component,version,references,uniqueId\r\n' +
        '"Outdated, vulnerable OpenSSL",critical,"Line one\nline two",CVE-2022-3602; CVE-2022-3786,"CWE-120, 787",openssl,3.0.6,"https://a.example/1\nhttps://a.example/2",\r\n' +
        'Second,info,,,,,,,PT-2\r\n',
    );
    const results = await collectResults(genericCsvParser, path);
    expect(results[0]).toMatchObject({
      title: 'Outdated, vulnerable OpenSSL',
      severity: 'critical',
      description: 'Line one\nline two',
      vulnerabilityIds: ['CVE-2022-3602', 'CVE-2022-3786'],
      cwes: [120, 787],
      packageName: 'openssl',
      packageVersion: '3.0.6',
      references: ['https://a.example/1', 'https://a.example/2'],
      category: 'dependency',
      identityKey: 'generic:Outdated, vulnerable OpenSSL|CVE-2022-3602|openssl|',
    });
    expect(results[1]).toMatchObject({ identityKey: 'generic:id|PT-2', severity: 'info' });
  });

  it('gives rows with the same title, id, component and place one identity', async () => {
    const path = await fixture(
      'same.csv',
      'Title,Severity,Url\nOpen redirect,Low,https://a.example/r\nOpen redirect,Low,https://a.example/r\n',
    );
    const keys = (await collectResults(genericCsvParser, path)).map((result) => result.identityKey);
    expect(keys).toEqual([
      'generic:Open redirect|||https://a.example/r',
      'generic:Open redirect|||https://a.example/r',
    ]);
  });

  it('makes one location per URL of a cell', async () => {
    const path = await fixture(
      'urls.csv',
      'title,severity,url\nOpen redirect,low,"https://a.example/r\nhttps://a.example/s"\n',
    );
    const [result] = await collectResults(genericCsvParser, path);
    expect(result?.locations).toEqual([
      { url: 'https://a.example/r' },
      { url: 'https://a.example/s' },
    ]);
    expect(result?.identityKey).toBe('generic:Open redirect|||https://a.example/r');
  });

  it('reads a header without rows as an empty report', async () => {
    expect(
      await collectResults(genericCsvParser, await fixture('header.csv', 'title,severity\n')),
    ).toEqual([]);
  });

  it('refuses a wrong value, naming the line and column', async () => {
    const path = await fixture('bad.csv', 'Title,Severity\nA,Low\n"B\nstill B",Urgent\n');
    const error = await reportErrorOf(genericCsvParser, path);
    expect(error.message).toBe(
      'line 4, column Severity: "Urgent" is not a severity (critical, high, medium, low or info)',
    );
    expect(error.where).toEqual({ line: 4 });
  });

  it('refuses a header without title or severity', async () => {
    const error = await reportErrorOf(
      genericCsvParser,
      await fixture('header-bad.csv', 'Name,Risk\na,b\n'),
    );
    expect(error.message).toBe(
      'not a generic findings CSV: the header row lacks title and severity (found: Name, Risk)',
    );
  });

  it('refuses broken CSV, naming the line', async () => {
    const quote = await reportErrorOf(
      genericCsvParser,
      await fixture('quote.csv', 'title,severity\na,low\n"b,low\n'),
    );
    expect(quote.message).toMatch(/^invalid CSV: /);
    expect(quote.where?.line).toBeGreaterThanOrEqual(3);
    const columns = await reportErrorOf(
      genericCsvParser,
      await fixture('columns.csv', 'title,severity\na,low,extra\n'),
    );
    expect(columns.message).toMatch(/^invalid CSV: /);
    expect(columns.where).toEqual({ line: 2 });
  });

  it('refuses a zero-byte file', async () => {
    expect((await reportErrorOf(genericCsvParser, await fixture('zero.csv', ''))).message).toBe(
      'the file is empty',
    );
  });
});
