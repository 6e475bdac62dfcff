import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import {
  multipartBody,
  postScan,
  reportFromFile,
  sarifReport,
  trivyReport,
  type ReportUpload,
} from '../../../test/findings-factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { hasSharedData, sharedPath } from '../../../test/shared-data.ts';

let t: TestApp;
let orgId: string;
let manager: SeededUser;
let contributor: SeededUser;
let auditor: SeededUser;
let employee: SeededUser;
let otherOrgManager: SeededUser;

beforeAll(async () => {
  t = await createTestApp({ STEWARD_SCAN_MAX_MB: '1' });
  orgId = await seedOrg(t, 'Scan Org');
  manager = await seedUser(t, orgId, 'security_manager');
  contributor = await seedUser(t, orgId, 'contributor');
  auditor = await seedUser(t, orgId, 'auditor');
  employee = await seedUser(t, orgId, 'employee');
  otherOrgManager = await seedUser(t, await seedOrg(t, 'Other Scan Org'), 'security_manager');
});

afterAll(async () => {
  await t.close();
});

interface Summary {
  id: string;
  assetId: string;
  assetName: string;
  isAssetCreated: boolean;
  format: string;
  tool: string;
  tools: string[];
  results: number;
  findings: number;
  created: number;
  matched: number;
  updated: number;
  reactivated: number;
  closed: number;
  errors: { message: string }[];
}

interface Problem {
  code: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

let assetCounter = 0;
function newAssetName(prefix: string): string {
  assetCounter += 1;
  return `${prefix}-${String(assetCounter)}`;
}

async function importReport(
  asset: string,
  file: ReportUpload,
  extra: Record<string, string> = {},
  by: SeededUser = manager,
): Promise<Summary> {
  const res = await postScan(t, by, { asset, ...extra }, file);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Summary>();
}

async function findingRows(assetId: string) {
  return t.pools.owner
    .selectFrom('findings')
    .selectAll()
    .where('asset_id', '=', assetId)
    .orderBy('identity_key')
    .execute();
}

async function eventCount(assetId: string): Promise<number> {
  const row = await t.pools.owner
    .selectFrom('finding_events as e')
    .innerJoin('findings as f', 'f.id', 'e.finding_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('f.asset_id', '=', assetId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function assetIdOf(name: string): Promise<string | undefined> {
  const row = await t.pools.owner
    .selectFrom('assets')
    .select('id')
    .where('org_id', '=', orgId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.id;
}

const corpus = (...parts: string[]) => sharedPath('corpus', 'scans', ...parts);

describe.skipIf(!hasSharedData('corpus', 'scans'))('importing every corpus format', () => {
  // file, format given (when the content says too little), format, results, findings after merging
  const cases: [string, string | undefined, string, number, number][] = [
    ['sarif/appendix_k.sarif', undefined, 'sarif', 1, 1],
    ['sarif/appendix_k1.sarif', undefined, 'sarif', 0, 0],
    ['sarif/dependency_check.sarif', undefined, 'sarif', 13, 13],
    ['sarif/suppression_test.sarif', undefined, 'sarif', 5, 5],
    ['cyclonedx/nested-component-log4j.json', undefined, 'cyclonedx-json', 8, 8],
    ['cyclonedx/valid-vulnerability-1.4.json', undefined, 'cyclonedx-json', 1, 1],
    ['cyclonedx/no-severity.json', undefined, 'cyclonedx-json', 1, 1],
    ['cyclonedx/spec1.xml', undefined, 'cyclonedx-xml', 1, 1],
    ['cyclonedx/cyclonedx_bom.xml', undefined, 'cyclonedx-xml', 0, 0],
    ['trivy/all_statuses.json', undefined, 'trivy', 8, 8],
    ['trivy/cvssv4_severity_source.json', undefined, 'trivy', 3, 3],
    ['trivy/legacy_many_vulns.json', undefined, 'trivy', 93, 93],
    ['trivy/misconfigurations_and_secrets.json', undefined, 'trivy', 5, 5],
    ['trivy/scheme_2_many_vulns.json', undefined, 'trivy', 5, 5],
    ['trivy/legacy_no_vuln.json', 'trivy', 'trivy', 0, 0],
    ['anchore_grype/check_all_fields.json', undefined, 'grype', 6, 5],
    ['anchore_grype/same_cve_different_paths.json', undefined, 'grype', 2, 1],
    ['anchore_grype/no_vuln.json', undefined, 'grype', 0, 0],
    ['npm_audit/many_vuln.json', undefined, 'npm-audit', 5, 5],
    ['npm_audit/no_vuln.json', undefined, 'npm-audit', 0, 0],
    ['npm_audit_7_plus/many_vulns.json', undefined, 'npm-audit', 3, 3],
    ['npm_audit_7_plus/one_vuln.json', undefined, 'npm-audit', 2, 2],
    ['osv_scanner/some_findings.json', undefined, 'osv-scanner', 1, 1],
    ['osv_scanner/no_findings.json', 'osv-scanner', 'osv-scanner', 0, 0],
    ['dependency_check/version-6.5.3.xml', undefined, 'dependency-check', 1, 1],
    [
      'dependency_check/single_dependency_with_related_no_vulnerability.xml',
      undefined,
      'dependency-check',
      0,
      0,
    ],
    ['snyk/single_project_one_vuln.json', undefined, 'snyk', 1, 1],
    ['github_vulnerability/github_shiro.json', undefined, 'github-dependabot', 1, 1],
    ['github_vulnerability/github_search3.json', undefined, 'github-dependabot', 2, 1],
    ['github_vulnerability/github-0-vuln.json', undefined, 'github-dependabot', 0, 0],
    ['gitleaks/gitleaks8_many.json', undefined, 'gitleaks', 4, 3],
    ['gitleaks/no_findings.json', 'gitleaks', 'gitleaks', 0, 0],
    ['semgrep/repeated_findings.json', undefined, 'semgrep', 2, 1],
    ['semgrep/close_old_findings_report_line31.json', undefined, 'semgrep', 1, 1],
    ['zap/0_zap_sample.xml', undefined, 'zap', 4, 4],
    ['zap/empty_2.9.0.xml', undefined, 'zap', 0, 0],
    ['checkov/checkov-report-0-vuln.json', undefined, 'checkov', 0, 0],
    ['tfsec/many_findings_current.json', undefined, 'tfsec', 19, 17],
    ['tfsec/no_findings.json', undefined, 'tfsec', 0, 0],
    ['nuclei/many_findings.json', undefined, 'nuclei', 18, 18],
    ['nuclei/empty.jsonl', 'nuclei', 'nuclei', 0, 0],
    ['bandit/dd.json', undefined, 'bandit', 47, 47],
    ['generic/generic_report1.json', undefined, 'generic-json', 2, 2],
    ['generic/generic_report1.csv', undefined, 'generic-csv', 5, 5],
    ['generic/generic_report3.csv', undefined, 'generic-csv', 2, 2],
  ];

  it.each(cases)('%s', async (file, given, format, results, findings) => {
    const asset = newAssetName('corpus');
    const summary = await importReport(
      asset,
      await reportFromFile(corpus(file)),
      given === undefined ? {} : { format: given },
    );
    expect(summary).toMatchObject({
      assetName: asset,
      isAssetCreated: true,
      format,
      results,
      findings,
      created: findings,
      matched: 0,
      reactivated: 0,
      closed: 0,
    });
    const rows = await findingRows(summary.assetId);
    expect(rows).toHaveLength(findings);
    expect(rows.reduce((n, r) => n + r.occurrences, 0)).toBe(results);
  });

  it('merges repeated results of one report into one finding with its occurrences', async () => {
    const summary = await importReport(
      newAssetName('repeated'),
      await reportFromFile(corpus('semgrep', 'repeated_findings.json')),
    );
    const [row] = await findingRows(summary.assetId);
    expect(row?.occurrences).toBe(2);
    expect(row?.state).toBe('open');
  });

  it('brings suppressed results in as their state, with an event saying so', async () => {
    const summary = await importReport(
      newAssetName('suppressed'),
      await reportFromFile(corpus('sarif', 'suppression_test.sarif')),
    );
    const rows = await findingRows(summary.assetId);
    expect(rows.filter((r) => r.state === 'false_positive')).toHaveLength(3);
    expect(await eventCount(summary.assetId)).toBe(3);
  });

  it('refuses the tool’s own error report with its message (422) and keeps the asset as it was', async () => {
    const asset = newAssetName('npm');
    await importReport(asset, await reportFromFile(corpus('npm_audit', 'many_vuln.json')));
    const assetId = await assetIdOf(asset);
    const before = await findingRows(assetId ?? '');
    const res = await postScan(
      t,
      manager,
      { asset },
      await reportFromFile(corpus('npm_audit', 'empty_with_error.json')),
    );
    expect(res.statusCode).toBe(422);
    const problem = res.json<Problem>();
    expect(problem.code).toBe('scan.tool_error');
    expect(problem.detail).toContain('ENOAUDIT');
    expect(await findingRows(assetId ?? '')).toEqual(before);
    const failed = await t.pools.owner
      .selectFrom('scan_imports')
      .selectAll()
      .where('asset_id', '=', assetId ?? '')
      .where('status', '=', 'failed')
      .execute();
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error).toContain('ENOAUDIT');
  });
});

describe('re-import semantics', () => {
  const full = [
    { rule: 'R1', file: 'src/a.ts', line: 10 },
    { rule: 'R2', file: 'src/b.ts', line: 20 },
    { rule: 'R3', file: 'src/c.ts', line: 30 },
  ];

  it('changes nothing when the identical report is imported again', async () => {
    const asset = newAssetName('identical');
    const first = await importReport(asset, sarifReport(full));
    expect(first).toMatchObject({ created: 3, matched: 0, closed: 0, tools: ['TestScanner'] });
    const before = await findingRows(first.assetId);
    const eventsBefore = await eventCount(first.assetId);
    const second = await importReport(asset, sarifReport(full));
    expect(second).toMatchObject({
      isAssetCreated: false,
      created: 0,
      matched: 3,
      updated: 0,
      reactivated: 0,
      closed: 0,
    });
    expect(await findingRows(first.assetId)).toEqual(before);
    expect(await eventCount(first.assetId)).toBe(eventsBefore);
  });

  it('closes the findings a subset no longer has, and reactivates them when they reappear', async () => {
    const asset = newAssetName('subset');
    const first = await importReport(asset, sarifReport(full));
    const subset = await importReport(asset, sarifReport(full.slice(0, 2)));
    expect(subset).toMatchObject({ created: 0, matched: 2, closed: 1 });
    const closed = (await findingRows(first.assetId)).find((r) => r.rule_id === 'R3');
    expect(closed).toMatchObject({ state: 'fixed', state_reason: 'no longer in the report' });
    expect(closed?.fixed_at).not.toBeNull();

    const again = await importReport(asset, sarifReport(full));
    expect(again).toMatchObject({ created: 0, matched: 2, reactivated: 1, closed: 0 });
    const reopened = (await findingRows(first.assetId)).find((r) => r.rule_id === 'R3');
    expect(reopened).toMatchObject({ state: 'open', fixed_at: null });
    // The SLA clock keeps its original start by default.
    expect(reopened?.sla_started_at).toEqual(closed?.sla_started_at);
    const events = await t.pools.owner
      .selectFrom('finding_events')
      .select(['kind', 'from_state', 'to_state'])
      .where('finding_id', '=', reopened?.id ?? '')
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { kind: 'closed_missing', from_state: 'open', to_state: 'fixed' },
      { kind: 'reactivated', from_state: 'fixed', to_state: 'open' },
    ]);
  });

  it('keeps missing findings open with closeMissing=false', async () => {
    const asset = newAssetName('keep');
    await importReport(asset, sarifReport(full));
    const subset = await importReport(asset, sarifReport(full.slice(0, 1)), {
      closeMissing: 'false',
    });
    expect(subset).toMatchObject({ matched: 1, closed: 0 });
  });

  it('updates only locations and occurrences of a matched finding', async () => {
    const asset = newAssetName('locations');
    const first = await importReport(asset, sarifReport(full.slice(0, 1)));
    const [before] = await findingRows(first.assetId);
    const doubled = sarifReport([full[0], full[0]].filter((r) => r !== undefined));
    const second = await importReport(asset, doubled);
    expect(second).toMatchObject({ matched: 1, updated: 1, results: 2, findings: 1 });
    const [after] = await findingRows(first.assetId);
    expect(after?.occurrences).toBe(2);
    expect(after?.title).toBe(before?.title);
    expect(after?.first_seen_at).toEqual(before?.first_seen_at);
    expect(after?.updated_at.getTime()).toBeGreaterThan(before?.updated_at.getTime() ?? 0);
  });

  it('closes only the findings of the report’s own tool', async () => {
    const asset = newAssetName('two-tools');
    await importReport(asset, sarifReport(full, 'ScannerA'));
    const other = await importReport(asset, sarifReport(full.slice(0, 1), 'ScannerB'));
    expect(other).toMatchObject({ created: 1, closed: 0 });
  });
});

describe('cross-tool duplicates', () => {
  const trivy = trivyReport({ artifact: 'app:1', target: 'app.jar', type: 'jar' }, [
    {
      VulnerabilityID: 'CVE-2021-44228',
      PkgName: 'org.apache.logging.log4j:log4j-core',
      InstalledVersion: '2.14.1',
      FixedVersion: '2.15.0',
      Severity: 'CRITICAL',
    },
  ]);
  const grype: ReportUpload = {
    name: 'grype.json',
    content: JSON.stringify({
      matches: [
        {
          vulnerability: {
            id: 'CVE-2021-44228',
            severity: 'Critical',
            fix: { versions: ['2.15.0'], state: 'fixed' },
          },
          relatedVulnerabilities: [],
          matchDetails: [],
          artifact: {
            name: 'log4j-core',
            version: '2.14.1',
            type: 'java-archive',
            locations: [{ path: '/app/app.jar' }],
            purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
          },
        },
      ],
      source: { type: 'image', target: {} },
      descriptor: { name: 'grype', version: '0.74.0' },
    }),
  };

  it('links the same CVE in the same package version from Trivy and Grype to one canonical finding', async () => {
    const asset = newAssetName('dedup');
    const first = await importReport(asset, trivy);
    const second = await importReport(asset, grype);
    expect(first).toMatchObject({ format: 'trivy', created: 1 });
    expect(second).toMatchObject({ format: 'grype', created: 1, closed: 0 });
    const rows = await findingRows(first.assetId);
    const canonical = rows.find((r) => r.tool === 'trivy');
    const duplicate = rows.find((r) => r.tool === 'grype');
    expect(canonical?.canonical_id).toBeNull();
    expect(duplicate?.canonical_id).toBe(canonical?.id);
    expect(duplicate?.dependency_key).toBe(canonical?.dependency_key);
    const assetRes = await t.http.inject({
      method: 'GET',
      url: `/api/v1/assets/${first.assetId}`,
      headers: bearer(manager),
    });
    expect(assetRes.json<{ openFindings: { critical: number } }>().openFindings.critical).toBe(1);
  });
});

describe('bad reports', () => {
  async function expectRefused(
    file: ReportUpload,
    status: number,
    code: string,
    extra: Record<string, string> = {},
  ): Promise<Problem> {
    const asset = newAssetName('bad');
    const first = await importReport(asset, sarifReport([{ rule: 'R1', file: 'a.ts', line: 1 }]));
    const before = await findingRows(first.assetId);
    const res = await postScan(t, manager, { asset, ...extra }, file);
    expect(res.statusCode, res.body).toBe(status);
    const problem = res.json<Problem>();
    expect(problem.code).toBe(code);
    expect(await findingRows(first.assetId)).toEqual(before);
    return problem;
  }

  it('refuses invalid JSON naming the position', async () => {
    const problem = await expectRefused(
      { name: 'broken.sarif', content: '{"version": "2.1.0", "runs": [}' },
      400,
      'scan.invalid_report',
    );
    expect(problem.detail).toMatch(/^broken\.sarif: line 1, column \d+/);
    expect(problem.errors?.[0]?.path).toBe('file');
  });

  it('refuses a truncated report', async () => {
    const problem = await expectRefused(
      {
        name: 'cut.sarif',
        content: '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":',
      },
      400,
      'scan.invalid_report',
    );
    expect(problem.detail).toContain('truncated');
  });

  it('refuses a zero-byte file', async () => {
    const problem = await expectRefused(
      { name: 'empty.json', content: '' },
      400,
      'scan.invalid_report',
    );
    expect(problem.detail).toContain('empty');
  });

  it('refuses XML with external entities', async () => {
    await expectRefused(
      {
        name: 'xxe.xml',
        content:
          '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><OWASPZAPReport version="2.9.0"><site>&x;</site></OWASPZAPReport>',
      },
      400,
      'scan.invalid_report',
    );
  });

  it('refuses a report that is not in the format given, naming both', async () => {
    const problem = await expectRefused(
      sarifReport([{ rule: 'R9', file: 'b.ts', line: 2 }]),
      400,
      'scan.format_mismatch',
      { format: 'trivy' },
    );
    expect(problem.detail).toContain('sarif');
    expect(problem.detail).toContain('trivy');
  });

  it('refuses content whose format cannot be recognised', async () => {
    await expectRefused(
      { name: 'x.json', content: '{"hello": "world"}' },
      400,
      'scan.format_unknown',
    );
  });

  it('refuses a report over the size limit with 413', async () => {
    await expectRefused(
      { name: 'big.sarif', content: Buffer.alloc(1024 * 1024 + 10, 0x20) },
      413,
      'scan.too_large',
    );
  });

  it('refuses a 2 GB upload by its declared length before reading it, changing nothing', async () => {
    const asset = newAssetName('huge');
    const first = await importReport(asset, sarifReport([{ rule: 'R1', file: 'a.ts', line: 1 }]));
    const before = await findingRows(first.assetId);
    const body = multipartBody({ asset }, { name: 'huge.sarif', content: '{"version":' });
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/scans',
      headers: { ...bearer(manager), ...body.headers, 'content-length': String(2_000_000_000) },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json<Problem>().code).toBe('scan.too_large');
    expect(await findingRows(first.assetId)).toEqual(before);
  });

  it('leaves the asset as it was when an import is interrupted after writing its findings', async () => {
    const asset = newAssetName('killed');
    const first = await importReport(
      asset,
      sarifReport([
        { rule: 'R1', file: 'a.ts', line: 1 },
        { rule: 'R2', file: 'b.ts', line: 2 },
      ]),
    );
    const before = await findingRows(first.assetId);
    const beforeImports = await t.pools.owner
      .selectFrom('scan_imports')
      .select('id')
      .where('asset_id', '=', first.assetId)
      .execute();
    // Hold the org's audit head: the import then writes its findings and waits to record its
    // audit event, still inside its transaction, where its statement is cancelled (what the
    // database sees of a server killed mid-import: a transaction that never commits).
    let pending: ReturnType<typeof postScan> | undefined;
    await t.pools.owner.transaction().execute(async (trx) => {
      await sql`SELECT 1 FROM audit_heads WHERE org_id = ${orgId} FOR UPDATE`.execute(trx);
      pending = postScan(
        t,
        manager,
        { asset },
        sarifReport([
          { rule: 'R2', file: 'b.ts', line: 2 },
          { rule: 'R3', file: 'c.ts', line: 3 },
          { rule: 'R4', file: 'd.ts', line: 4 },
        ]),
      );
      for (;;) {
        const waiting = await sql<{ pid: number }>`
          SELECT pid FROM pg_stat_activity
           WHERE wait_event_type = 'Lock' AND query ILIKE '%audit_heads%'
             AND pid <> pg_backend_pid()`.execute(t.pools.owner);
        const pid = waiting.rows[0]?.pid;
        if (pid !== undefined) {
          await sql`SELECT pg_cancel_backend(${pid})`.execute(t.pools.owner);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    // The failed import is recorded once the audit head is free again.
    const response = await pending;
    expect(response?.statusCode).toBeGreaterThanOrEqual(500);
    expect(await findingRows(first.assetId)).toEqual(before);
    const completed = await t.pools.owner
      .selectFrom('scan_imports')
      .select('id')
      .where('asset_id', '=', first.assetId)
      .where('status', '=', 'completed')
      .execute();
    expect(completed).toEqual(beforeImports);
  });

  it('does not create the asset of a failed import', async () => {
    const asset = newAssetName('never');
    const res = await postScan(t, manager, { asset }, { name: 'e.json', content: '' });
    expect(res.statusCode).toBe(400);
    expect(await assetIdOf(asset)).toBeUndefined();
    const audit = await t.pools.owner
      .selectFrom('audit_events')
      .select(['action', 'changes'])
      .where('org_id', '=', orgId)
      .where('action', '=', 'scan.import_failed')
      .execute();
    expect(audit.some((e) => (e.changes as { asset?: string }).asset === asset)).toBe(true);
  });
});

describe('large reports', () => {
  // More results than one staged batch (500): the fields of each finding are staged while the
  // report is read, and a result seen in a later batch still merges into its earlier finding.
  function manyResults(count: number): { rule: string; file: string; line: number }[] {
    return Array.from({ length: count }, (_, i) => ({
      rule: `R${String(i % 7)}`,
      file: `src/f${String(i)}.ts`,
      line: 1 + (i % 50),
    }));
  }

  it('merges results across staged batches and keeps every finding’s fields', async () => {
    const results = manyResults(1200);
    const first = results[0];
    if (first === undefined) throw new Error('no results');
    const summary = await importReport(
      newAssetName('large'),
      sarifReport([...results, first, { ...first, level: 'warning' }]),
    );
    expect(summary).toMatchObject({ results: 1202, findings: 1200, created: 1200 });
    const rows = await findingRows(summary.assetId);
    expect(rows).toHaveLength(1200);
    for (const row of rows) {
      expect(row.title).toBe(`Rule ${row.rule_id ?? ''}`);
      expect(row.description).toMatch(/^Problem R\d in src\/f\d+\.ts$/);
      expect(row.report_digest).not.toBeNull();
    }
    const merged = rows.find((r) => r.identity_key.endsWith('|src/f0.ts|line:1'));
    expect(merged?.occurrences).toBe(3);
    expect(merged?.severity).toBe('high');
    const again = await importReport(summary.assetName, sarifReport([...results, first, first]));
    expect(again).toMatchObject({ created: 0, matched: 1200, updated: 0, closed: 0 });
  });

  it('changes nothing when the report turns out bad after batches were staged', async () => {
    const asset = newAssetName('large-bad');
    const before = await importReport(asset, sarifReport([{ rule: 'R1', file: 'a.ts', line: 1 }]));
    const rowsBefore = await findingRows(before.assetId);
    const upload = sarifReport(manyResults(1500));
    const log = JSON.parse(upload.content.toString()) as {
      runs: { results: Record<string, unknown>[] }[];
    };
    const last = log.runs[0]?.results[1499];
    if (last === undefined) throw new Error('no last result');
    last.ruleIndex = 40;
    const res = await postScan(
      t,
      manager,
      { asset },
      { name: upload.name, content: JSON.stringify(log) },
    );
    expect(res.statusCode, res.body).toBe(400);
    const problem = res.json<Problem>();
    expect(problem.code).toBe('scan.invalid_report');
    expect(problem.detail).toContain('runs[0].results[1499].ruleIndex');
    expect(await findingRows(before.assetId)).toEqual(rowsBefore);
    // The staged fields went with the failed transaction: the next import of the asset works.
    const next = await importReport(asset, sarifReport(manyResults(600)));
    expect(next).toMatchObject({ created: 600, closed: 1 });
  });
});

describe('access', () => {
  it('lets a contributor import (creating the asset) but not an auditor or an employee', async () => {
    const report = sarifReport([{ rule: 'R1', file: 'a.ts', line: 1 }]);
    const summary = await importReport(newAssetName('contrib'), report, {}, contributor);
    expect(summary.isAssetCreated).toBe(true);
    for (const user of [auditor, employee]) {
      const res = await postScan(t, user, { asset: 'x' }, report);
      expect(res.statusCode).toBe(403);
    }
  });

  it('asks for the file and the asset name', async () => {
    const res = await postScan(t, manager, { asset: 'no-file' });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().errors?.[0]?.path).toBe('file');
    const noAsset = await postScan(t, manager, {}, sarifReport([]));
    expect(noAsset.statusCode).toBe(400);
    expect(noAsset.json<Problem>().errors?.[0]?.path).toBe('asset');
  });

  it('keeps each organisation’s imports, assets and findings to itself', async () => {
    const asset = newAssetName('private');
    const summary = await importReport(asset, sarifReport([{ rule: 'R1', file: 'a.ts', line: 1 }]));
    const other = await t.http.inject({
      method: 'GET',
      url: `/api/v1/assets/${summary.assetId}`,
      headers: bearer(otherOrgManager),
    });
    expect(other.statusCode).toBe(404);
    const list = await t.http.inject({
      method: 'GET',
      url: `/api/v1/findings?assetId=${summary.assetId}`,
      headers: bearer(otherOrgManager),
    });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
    // The same name in the other org is another asset.
    const theirs = await importReport(asset, sarifReport([]), {}, otherOrgManager);
    expect(theirs.isAssetCreated).toBe(true);
    expect(theirs.assetId).not.toBe(summary.assetId);
  });

  it('lists the import history of an asset with summaries', async () => {
    const asset = newAssetName('history');
    const first = await importReport(asset, sarifReport([{ rule: 'R1', file: 'a.ts', line: 1 }]));
    await postScan(t, manager, { asset }, { name: 'bad.json', content: '{' });
    const res = await t.http.inject({
      method: 'GET',
      url: `/api/v1/scans?assetId=${first.assetId}`,
      headers: bearer(auditor),
    });
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: { status: string; created: number; error: string | null }[] }>()
      .items;
    expect(items.map((i) => i.status)).toEqual(['failed', 'completed']);
    expect(items[1]?.created).toBe(1);
  });
});
