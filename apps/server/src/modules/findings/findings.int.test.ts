import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedActor, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { postScan, sarifReport, trivyReport } from '../../../test/findings-factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { createMailOutbox } from '../../platform/mail/mail.jobs.ts';
import { runDailyFindingsWork } from './findings.jobs.ts';
import { importKevCatalog, parseKevCatalog } from './kev.service.ts';

let t: TestApp;
let orgId: string;
let manager: SeededUser;
let secondManager: SeededUser;
let contributor: SeededUser;
let auditor: SeededUser;
let employee: SeededUser;

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t, 'Findings Org', { withProgram: true });
  manager = await seedUser(t, orgId, 'security_manager');
  secondManager = await seedUser(t, orgId, 'security_manager');
  contributor = await seedUser(t, orgId, 'contributor');
  auditor = await seedUser(t, orgId, 'auditor');
  employee = await seedUser(t, orgId, 'employee');
});

afterAll(async () => {
  await t.close();
});

interface FindingBody {
  id: string;
  assetId: string;
  title: string;
  severity: string;
  state: string;
  dueAt: string | null;
  slaStatus: string;
  isKev: boolean;
  canonicalId: string | null;
  createdAt: string;
}

interface DetailBody extends FindingBody {
  locations: { file?: string; line?: number }[];
  events: {
    kind: string;
    fromState: string | null;
    toState: string | null;
    reason: string | null;
  }[];
  riskAcceptances: { id: string; status: string }[];
  allowedTransitions: string[];
  slaStartedAt: string;
}

function get(user: SeededUser, url: string) {
  return t.http.inject({ method: 'GET', url, headers: bearer(user) });
}

function send(user: SeededUser, method: 'POST' | 'PATCH', url: string, payload: unknown) {
  return t.http.inject({ method, url, headers: bearer(user), payload: payload as object });
}

let counter = 0;
async function importSarif(
  results: { rule: string; file: string; line: number; level?: string }[],
  asset = `app-${String((counter += 1))}`,
): Promise<{ assetId: string; asset: string }> {
  const res = await postScan(t, manager, { asset }, sarifReport(results));
  expect(res.statusCode, res.body).toBe(201);
  return { assetId: res.json<{ assetId: string }>().assetId, asset };
}

async function findingsOf(assetId: string): Promise<FindingBody[]> {
  const res = await get(manager, `/api/v1/findings?assetId=${assetId}&limit=200`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: FindingBody[] }>().items;
}

describe('assets', () => {
  it('creates, lists, reads and changes assets; names are unique', async () => {
    const created = await send(manager, 'POST', '/api/v1/assets', {
      name: 'api-service',
      kind: 'repository',
      environment: 'production',
      criticality: 'high',
      ownerId: contributor.id,
    });
    expect(created.statusCode, created.body).toBe(201);
    const asset = created.json<{ id: string; ownerName: string; openFindings: object }>();
    expect(asset.ownerName).toBe('Test contributor');
    expect(asset.openFindings).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });
    const again = await send(manager, 'POST', '/api/v1/assets', { name: 'api-service' });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe('asset.name_taken');

    const list = await get(auditor, '/api/v1/assets?q=api-serv');
    expect(list.json<{ items: { name: string }[] }>().items.map((a) => a.name)).toEqual([
      'api-service',
    ]);
    const changed = await send(manager, 'PATCH', `/api/v1/assets/${asset.id}`, {
      environment: 'staging',
    });
    expect(changed.json<{ environment: string }>().environment).toBe('staging');
    const audit = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('org_id', '=', orgId)
      .where('action', '=', 'asset.updated')
      .where('target_id', '=', asset.id)
      .executeTakeFirstOrThrow();
    expect(audit.changes).toMatchObject({ environment: { from: 'production', to: 'staging' } });
  });

  it('refuses bad input and callers without the permission', async () => {
    const bad = await send(manager, 'POST', '/api/v1/assets', { name: '', kind: 'spaceship' });
    expect(bad.statusCode).toBe(400);
    const foreignOwner = await send(manager, 'POST', '/api/v1/assets', {
      name: 'x',
      ownerId: randomUUID(),
    });
    expect(foreignOwner.statusCode).toBe(400);
    expect((await send(contributor, 'POST', '/api/v1/assets', { name: 'c' })).statusCode).toBe(403);
    expect((await get(employee, '/api/v1/assets')).statusCode).toBe(403);
    expect((await get(manager, `/api/v1/assets/${randomUUID()}`)).statusCode).toBe(404);
  });
});

describe('findings list and detail', () => {
  it('filters server-side and pages with a cursor', async () => {
    const { assetId } = await importSarif([
      { rule: 'XSS', file: 'a.ts', line: 1, level: 'error' },
      { rule: 'SQLI', file: 'b.ts', line: 2, level: 'error' },
      { rule: 'LOG', file: 'c.ts', line: 3, level: 'note' },
    ]);
    const high = await get(manager, `/api/v1/findings?assetId=${assetId}&severity=high`);
    expect(high.json<{ items: FindingBody[] }>().items).toHaveLength(2);
    const low = await get(manager, `/api/v1/findings?assetId=${assetId}&severity=low,info`);
    expect(low.json<{ items: FindingBody[] }>().items).toHaveLength(1);
    const text = await get(manager, `/api/v1/findings?assetId=${assetId}&q=SQLI`);
    expect(text.json<{ items: FindingBody[] }>().items.map((f) => f.title)).toEqual(['Rule SQLI']);
    const tool = await get(manager, `/api/v1/findings?assetId=${assetId}&tool=TestScanner`);
    expect(tool.json<{ items: FindingBody[] }>().items).toHaveLength(3);
    const within = await get(manager, `/api/v1/findings?assetId=${assetId}&sla=within`);
    expect(within.json<{ items: FindingBody[] }>().items).toHaveLength(3);

    const seen: string[] = [];
    let url = `/api/v1/findings?assetId=${assetId}&limit=1`;
    for (;;) {
      const page = (await get(auditor, url)).json<{
        items: FindingBody[];
        nextCursor: string | null;
      }>();
      seen.push(...page.items.map((f) => f.id));
      if (page.nextCursor === null) break;
      url = `/api/v1/findings?assetId=${assetId}&limit=1&cursor=${page.nextCursor}`;
    }
    expect(new Set(seen).size).toBe(3);
    const badCursor = await get(manager, '/api/v1/findings?cursor=nope');
    expect(badCursor.statusCode).toBe(400);
    expect((await get(employee, '/api/v1/findings')).statusCode).toBe(403);
  });

  it('stores every field of a new finding as the report gives it, quotes and backslashes included', async () => {
    const tricky = 'Say "hi", {NULL} \\ and, then\nmore';
    const report = {
      findings: [
        {
          title: 'Title "quoted", {NULL} \\ and, commas',
          severity: 'critical',
          description: tricky,
          vulnerabilityIds: ['CVE-2024-12345', 'GHSA-"q"\\x'],
          cwe: [79, 89],
          cvssV3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
          cvssV3Score: 9.8,
          component: 'pkg,"odd"',
          version: '1.0.0',
          fixVersion: '1.0.1',
          file: 'src/{a},b.ts',
          line: 3,
          remediation: 'NULL',
          references: ['https://e.example/a,b', 'NULL', 'https://e.example/"x"'],
          uniqueId: 'T-1',
        },
      ],
    };
    const res = await postScan(
      t,
      manager,
      { asset: 'tricky-fields', format: 'generic-json' },
      { name: 'findings.json', content: JSON.stringify(report) },
    );
    expect(res.statusCode, res.body).toBe(201);
    const row = await t.pools.owner
      .selectFrom('findings')
      .selectAll()
      .where('asset_id', '=', res.json<{ assetId: string }>().assetId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      title: 'Title "quoted", {NULL} \\ and, commas',
      severity: 'critical',
      description: tricky,
      vulnerability_ids: ['CVE-2024-12345', 'GHSA-"q"\\x'],
      cwes: [79, 89],
      cvss_v3_score: '9.8',
      package_name: 'pkg,"odd"',
      package_version: '1.0.0',
      fix_version: '1.0.1',
      remediation: 'NULL',
      references: ['https://e.example/a,b', 'NULL', 'https://e.example/"x"'],
      locations: [{ file: 'src/{a},b.ts', line: 3 }],
      occurrences: 1,
      state: 'open',
    });
    const titles = await t.pools.owner
      .selectFrom('finding_titles')
      .select('title')
      .where('org_id', '=', orgId)
      .where('title', '=', 'Title "quoted", {NULL} \\ and, commas')
      .execute();
    expect(titles).toHaveLength(1);
  });

  it('finds findings by any part of their title, for a rare or a common word, in pages', async () => {
    const results = Array.from({ length: 1005 }, (_, i) => ({
      rule: `COMMON${String(i).padStart(4, '0')}`,
      file: `f${String(i)}.ts`,
      line: 1,
    }));
    const { assetId } = await importSarif(results, 'many-titles');
    // More than a thousand titles match "COMMON": the newest findings are walked.
    const seen = new Set<string>();
    let url = `/api/v1/findings?q=rule%20common&limit=200`;
    for (;;) {
      const page = (await get(auditor, url)).json<{
        items: FindingBody[];
        nextCursor: string | null;
      }>();
      for (const item of page.items) {
        expect(item.title).toMatch(/^Rule COMMON\d{4}$/);
        seen.add(item.id);
      }
      if (page.nextCursor === null) break;
      url = `/api/v1/findings?q=rule%20common&limit=200&cursor=${page.nextCursor}`;
    }
    expect(seen.size).toBe(1005);
    // A rare part of a title: found through the titles that contain it.
    const rare = await get(auditor, '/api/v1/findings?q=mmon1004');
    expect(rare.json<{ items: FindingBody[] }>().items.map((f) => f.title)).toEqual([
      'Rule COMMON1004',
    ]);
    const someOfThem = await get(auditor, `/api/v1/findings?q=COMMON100&assetId=${assetId}`);
    expect(someOfThem.json<{ items: FindingBody[] }>().items).toHaveLength(5);
    expect(
      (await get(auditor, '/api/v1/findings?q=no%20such%20title')).json<{ items: FindingBody[] }>()
        .items,
    ).toEqual([]);
    // Another organisation's titles are not searched.
    const otherOrg = await seedOrg(t, 'Other Findings Org', { withProgram: true });
    const stranger = await seedUser(t, otherOrg, 'security_manager');
    const foreign = await get(stranger, '/api/v1/findings?q=COMMON1004');
    expect(foreign.json<{ items: FindingBody[] }>().items).toEqual([]);
  });

  it('shows a finding with its locations, due date and history', async () => {
    const { assetId } = await importSarif([{ rule: 'R', file: 'x.ts', line: 7 }]);
    const [finding] = await findingsOf(assetId);
    const res = await get(auditor, `/api/v1/findings/${finding?.id ?? ''}`);
    expect(res.statusCode).toBe(200);
    const detail = res.json<DetailBody>();
    expect(detail.locations).toEqual([{ file: 'x.ts', line: 7 }]);
    expect(detail.severity).toBe('high');
    // High: 30 days from first seen by default.
    const days = (Date.parse(detail.dueAt ?? '') - Date.parse(detail.slaStartedAt)) / 86_400_000;
    expect(days).toBe(30);
    expect(detail.events.map((e) => e.kind)).toEqual(['created']);
    expect(detail.allowedTransitions).toEqual(['false_positive', 'not_affected', 'fixed']);
    expect((await get(manager, `/api/v1/findings/${randomUUID()}`)).statusCode).toBe(404);
  });
});

describe('state machine', () => {
  it('moves a finding with who, when and why, and refuses moves the lifecycle does not allow', async () => {
    const { assetId } = await importSarif([{ rule: 'FP', file: 'x.ts', line: 1 }]);
    const [finding] = await findingsOf(assetId);
    const url = `/api/v1/findings/${finding?.id ?? ''}/transitions`;
    const closed = await send(manager, 'POST', url, {
      to: 'false_positive',
      reason: 'test fixture, never deployed',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json<DetailBody>().state).toBe('false_positive');
    const invalid = await send(manager, 'POST', url, { to: 'fixed', reason: 'nope' });
    expect(invalid.statusCode).toBe(409);
    expect(invalid.json<{ code: string }>().code).toBe('finding.transition_invalid');
    const reopened = await send(manager, 'POST', url, { to: 'open', reason: 'it is deployed now' });
    const detail = reopened.json<DetailBody>();
    expect(detail.state).toBe('open');
    expect(detail.events.slice(1)).toMatchObject([
      { kind: 'state_changed', fromState: 'open', toState: 'false_positive' },
      { kind: 'state_changed', fromState: 'false_positive', toState: 'open' },
    ]);
    const audit = await t.pools.owner
      .selectFrom('audit_events')
      .select(['actor_label', 'changes'])
      .where('org_id', '=', orgId)
      .where('action', '=', 'finding.state_changed')
      .where('target_id', '=', finding?.id ?? '')
      .execute();
    expect(audit).toHaveLength(2);
    expect(
      (await send(manager, 'POST', url, { to: 'risk_accepted', reason: 'x' })).statusCode,
    ).toBe(400);
    expect((await send(contributor, 'POST', url, { to: 'fixed', reason: 'done' })).statusCode).toBe(
      403,
    );
    // A re-import keeps a decision made in Steward.
    await importSarif([{ rule: 'FP', file: 'x.ts', line: 1 }]);
  });
});

describe('risk acceptance', () => {
  it('is approved by someone else only, takes the finding out of the breach list, and expires', async () => {
    await send(manager, 'PATCH', '/api/v1/sla-policy', { highDays: 1 });
    const { assetId } = await importSarif([{ rule: 'RA', file: 'r.ts', line: 1 }]);
    const [finding] = await findingsOf(assetId);
    const id = finding?.id ?? '';
    // Back-date the finding so it is past due.
    await t.pools.owner
      .updateTable('findings')
      .set({ due_at: new Date(Date.now() - 86_400_000) })
      .where('id', '=', id)
      .execute();
    const breached = await get(manager, `/api/v1/findings?assetId=${assetId}&sla=breached`);
    expect(breached.json<{ items: FindingBody[] }>().items.map((f) => f.id)).toEqual([id]);

    const tooLate = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
    const refused = await send(manager, 'POST', `/api/v1/findings/${id}/risk-acceptances`, {
      justification: 'Compensating WAF rule in place',
      expiresOn: tooLate,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ code: string }>().code).toBe('risk_acceptance.expiry_invalid');

    const expiresOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const requested = await send(manager, 'POST', `/api/v1/findings/${id}/risk-acceptances`, {
      justification: 'Compensating WAF rule in place',
      expiresOn,
    });
    expect(requested.statusCode, requested.body).toBe(201);
    const acceptanceId = requested.json<{ id: string }>().id;
    const duplicate = await send(manager, 'POST', `/api/v1/findings/${id}/risk-acceptances`, {
      justification: 'Compensating WAF rule in place',
      expiresOn,
    });
    expect(duplicate.statusCode).toBe(409);

    const self = await send(manager, 'POST', `/api/v1/risk-acceptances/${acceptanceId}/decision`, {
      decision: 'approve',
    });
    expect(self.statusCode).toBe(403);
    expect(self.json<{ code: string }>().code).toBe('risk_acceptance.self_approval');
    const byContributor = await send(
      contributor,
      'POST',
      `/api/v1/risk-acceptances/${acceptanceId}/decision`,
      { decision: 'approve' },
    );
    expect(byContributor.statusCode).toBe(403);
    const approved = await send(
      secondManager,
      'POST',
      `/api/v1/risk-acceptances/${acceptanceId}/decision`,
      { decision: 'approve', note: 'ok until the upgrade' },
    );
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json<{ status: string; decidedBy: { userId: string } }>()).toMatchObject({
      status: 'approved',
      decidedBy: { userId: secondManager.id },
    });
    const after = await get(manager, `/api/v1/findings?assetId=${assetId}&sla=breached`);
    expect(after.json<{ items: FindingBody[] }>().items).toEqual([]);
    const detail = (await get(manager, `/api/v1/findings/${id}`)).json<DetailBody>();
    expect(detail.state).toBe('risk_accepted');

    const pending = await get(auditor, '/api/v1/risk-acceptances?status=approved');
    expect(pending.json<{ items: { id: string }[] }>().items.map((a) => a.id)).toContain(
      acceptanceId,
    );

    // The database refuses self-approval on its own as well.
    await expect(
      t.pools.owner
        .updateTable('risk_acceptances')
        .set({ decided_by_user_id: manager.id })
        .where('id', '=', acceptanceId)
        .execute(),
    ).rejects.toThrow(/check/);

    // The day after the expiry, the daily work reopens the finding with a fresh clock.
    const later = new Date(Date.parse(`${expiresOn}T12:00:00Z`) + 86_400_000);
    const outcome = await runDailyFindingsWork(
      {
        db: t.pools.app,
        auditWriter: t.auditWriter,
        outbox: createMailOutbox(t.jobQueue),
        publicUrl: t.config.publicUrl,
      },
      orgId,
      later,
    );
    expect(outcome.expired).toBe(1);
    const reopened = (await get(manager, `/api/v1/findings/${id}`)).json<DetailBody>();
    expect(reopened.state).toBe('open');
    expect(reopened.slaStartedAt).toBe(later.toISOString());
    expect(reopened.riskAcceptances[0]?.status).toBe('expired');
    expect(reopened.events.at(-1)).toMatchObject({
      kind: 'risk_acceptance_expired',
      fromState: 'risk_accepted',
      toState: 'open',
    });
    await send(manager, 'PATCH', '/api/v1/sla-policy', { highDays: 30 });
  });
});

describe('SLA policy', () => {
  it('has the defaults, changes audited, and recomputes due dates', async () => {
    const other = await seedOrg(t, 'Policy Org');
    const owner = await seedUser(t, other, 'owner');
    const policy = await get(owner, '/api/v1/sla-policy');
    expect(policy.json()).toMatchObject({
      criticalDays: 7,
      highDays: 30,
      mediumDays: 90,
      lowDays: 180,
      infoDays: null,
      updatedAt: null,
    });
    const res = await postScan(
      t,
      owner,
      { asset: 'svc' },
      sarifReport([{ rule: 'A', file: 'a', line: 1 }]),
    );
    const assetId = res.json<{ assetId: string }>().assetId;
    const changed = await send(owner, 'PATCH', '/api/v1/sla-policy', {
      highDays: 60,
      productionDays: { high: 14 },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const [finding] = (await get(owner, `/api/v1/findings?assetId=${assetId}`)).json<{
      items: (FindingBody & { firstSeenAt: string })[];
    }>().items;
    expect(
      (Date.parse(finding?.dueAt ?? '') - Date.parse(finding?.firstSeenAt ?? '')) / 86_400_000,
    ).toBe(14);
    expect((await send(auditor, 'PATCH', '/api/v1/sla-policy', { highDays: 1 })).statusCode).toBe(
      403,
    );
    expect((await send(owner, 'PATCH', '/api/v1/sla-policy', { highDays: 0 })).statusCode).toBe(
      400,
    );
  });
});

describe('metrics, exports and checks', () => {
  it('gives the dashboard figures', async () => {
    const res = await get(auditor, '/api/v1/findings/metrics');
    expect(res.statusCode, res.body).toBe(200);
    const metrics = res.json<{
      open: { total: number; bySeverity: Record<string, number>; byAge: { bucket: string }[] };
      withinSla: { targetPercent: number };
    }>();
    expect(metrics.open.total).toBeGreaterThan(0);
    expect(metrics.open.byAge.map((b) => b.bucket)).toEqual([
      '0-7',
      '8-30',
      '31-90',
      '91-180',
      '181+',
    ]);
    expect(metrics.withinSla.targetPercent).toBe(95);
  });

  it('exports findings as CSV and an asset as CycloneDX VEX', async () => {
    const { assetId } = await importSarif([{ rule: 'CSV', file: '=cmd.ts', line: 1 }]);
    const csv = await get(auditor, `/api/v1/findings/export?assetId=${assetId}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^id,asset,tool/);

    const trivy = trivyReport({ artifact: 'img', target: 'app.jar', type: 'jar' }, [
      {
        VulnerabilityID: 'CVE-2021-44228',
        PkgName: 'org.apache.logging.log4j:log4j-core',
        InstalledVersion: '2.14.1',
        FixedVersion: '2.15.0',
        Severity: 'CRITICAL',
      },
      {
        VulnerabilityID: 'CVE-2022-0001',
        PkgName: 'left-pad',
        InstalledVersion: '1.0.0',
        Severity: 'LOW',
      },
    ]);
    const res = await postScan(t, manager, { asset: 'image-vex' }, trivy);
    const imageId = res.json<{ assetId: string }>().assetId;
    const [lowFinding] = (await findingsOf(imageId)).filter((f) => f.severity === 'low');
    await send(manager, 'POST', `/api/v1/findings/${lowFinding?.id ?? ''}/transitions`, {
      to: 'not_affected',
      reason: 'the vulnerable function is never called',
    });
    const byId = await get(auditor, `/api/v1/findings?assetId=${imageId}&q=cve-2021-44228`);
    expect(byId.json<{ items: FindingBody[] }>().items.map((f) => f.severity)).toEqual([
      'critical',
    ]);
    const vex = await get(auditor, `/api/v1/assets/${imageId}/vex`);
    expect(vex.statusCode).toBe(200);
    expect(vex.headers['content-disposition']).toBe(
      `attachment; filename="image-vex.vex.cdx.json"; filename*=UTF-8''image-vex.vex.cdx.json`,
    );
    const doc = JSON.parse(vex.body) as {
      bomFormat: string;
      specVersion: string;
      vulnerabilities: { id: string; analysis: { state: string; detail?: string } }[];
      components: { purl?: string }[];
    };
    expect(doc).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    const states = Object.fromEntries(doc.vulnerabilities.map((v) => [v.id, v.analysis]));
    expect(states['CVE-2021-44228']?.state).toBe('exploitable');
    expect(states['CVE-2022-0001']).toMatchObject({
      state: 'not_affected',
      detail: 'the vulnerable function is never called',
    });
    expect(doc.components.map((c) => c.purl)).toContain(
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
    );
  });

  it('records the dependency scan check and the SLA check for the annex controls', async () => {
    const checkedOrg = await seedOrg(t, 'Checked Org', { withProgram: true });
    const importer = await seedUser(t, checkedOrg, 'contributor');
    const res = await postScan(
      t,
      importer,
      { asset: 'checked-repo' },
      sarifReport([{ rule: 'CHK', file: 'k.ts', line: 1 }]),
    );
    expect(res.statusCode).toBe(201);
    const checks = await t.pools.owner
      .selectFrom('checks')
      .select(['key', 'latest_status', 'latest_summary'])
      .where('org_id', '=', checkedOrg)
      .where('key', 'in', [
        'vulnerabilities.dependency_scan_recent',
        'vulnerabilities.sla_breaches',
      ])
      .orderBy('key')
      .execute();
    expect(
      checks.map((c) => [c.key, c.latest_status]),
      JSON.stringify(checks),
    ).toEqual([
      ['vulnerabilities.dependency_scan_recent', 'pass'],
      ['vulnerabilities.sla_breaches', 'pass'],
    ]);
    expect(checks[0]?.latest_summary).toBe('All 1 production repository scanned within 7 days');
    const controls = await t.pools.owner
      .selectFrom('controls')
      .select(['ref', 'status'])
      .where('org_id', '=', checkedOrg)
      .where('ref', '=', 'VUL-02')
      .execute();
    expect(controls).toHaveLength(1);
    // An identical re-import on the same day records no new check result.
    const before = await t.pools.owner
      .selectFrom('check_results')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('org_id', '=', checkedOrg)
      .executeTakeFirstOrThrow();
    await postScan(
      t,
      importer,
      { asset: 'checked-repo' },
      sarifReport([{ rule: 'CHK', file: 'k.ts', line: 1 }]),
    );
    const after = await t.pools.owner
      .selectFrom('check_results')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('org_id', '=', checkedOrg)
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe('CISA KEV', () => {
  it('marks findings of catalogued CVEs and shortens their deadline', async () => {
    await send(manager, 'PATCH', '/api/v1/sla-policy', { kevDays: 3 });
    const trivy = trivyReport({ artifact: 'img', target: 'lib', type: 'npm' }, [
      {
        VulnerabilityID: 'CVE-2099-0001',
        PkgName: 'kev-pkg',
        InstalledVersion: '1.0.0',
        Severity: 'HIGH',
      },
    ]);
    const res = await postScan(t, manager, { asset: 'kev-image' }, trivy);
    const assetId = res.json<{ assetId: string }>().assetId;
    const catalog = parseKevCatalog(
      JSON.stringify({
        catalogVersion: '2099.01.01',
        vulnerabilities: [
          {
            cveID: 'CVE-2099-0001',
            vendorProject: 'Acme',
            product: 'kev-pkg',
            vulnerabilityName: 'Acme kev-pkg RCE',
            dateAdded: '2099-01-01',
            dueDate: '2099-01-22',
            knownRansomwareCampaignUse: 'Known',
          },
        ],
      }),
    );
    expect(() => parseKevCatalog('{"vulnerabilities":[{"cveID":"nope"}]}')).toThrow(
      /vulnerabilities\[0\]\.cveID/,
    );
    const result = await importKevCatalog(
      { owner: t.pools.owner, app: t.pools.app, auditWriter: t.auditWriter },
      seedActor,
      catalog,
    );
    expect(result).toMatchObject({ entries: 1, added: 1, removed: 0 });
    expect(result.orgs.find((o) => o.orgId === orgId)).toMatchObject({ marked: 1 });
    const [finding] = await findingsOf(assetId);
    expect(finding?.isKev).toBe(true);
    const detail = (await get(manager, `/api/v1/findings/${finding?.id ?? ''}`)).json<DetailBody>();
    expect((Date.parse(detail.dueAt ?? '') - Date.parse(detail.slaStartedAt)) / 86_400_000).toBe(3);
    const kevOnly = await get(manager, '/api/v1/findings?isKev=true');
    expect(kevOnly.json<{ items: FindingBody[] }>().items.map((f) => f.id)).toEqual([finding?.id]);
    const installation = await t.pools.owner
      .selectFrom('installation_events' as never)
      .select('kind' as never)
      .execute();
    expect((installation as { kind: string }[]).map((e) => e.kind)).toContain('kev.imported');
    await send(manager, 'PATCH', '/api/v1/sla-policy', { kevDays: null });
  });
});
