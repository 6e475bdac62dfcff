import type { Dashboard } from '@steward/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, injectAs, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { validateOscal, type OscalModel } from '../../../test/oscal-schema.ts';
import { hasSharedData } from '../../../test/shared-data.ts';
import { recordDailyStatus } from './program.service.ts';

let t: TestApp;
let orgId: string;
let manager: SeededUser;
let auditor: SeededUser;
let employee: SeededUser;

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t, 'Program Org', { withProgram: true });
  manager = await seedUser(t, orgId, 'security_manager');
  auditor = await seedUser(t, orgId, 'auditor');
  employee = await seedUser(t, orgId, 'employee');
});

afterAll(async () => {
  await t.close();
});

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the response shape it reads
async function get<T>(url: string, user: SeededUser = manager) {
  const res = await t.http.inject({ method: 'GET', url, headers: bearer(user) });
  return { status: res.statusCode, body: res.json<T>(), raw: res };
}

async function count(
  table: 'frameworks' | 'requirements' | 'controls' | 'promises' | 'evidence_tasks',
) {
  const row = await t.pools.owner
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('the default program', () => {
  it('gives a new org the annex framework, its controls, tasks and the pre-mapped annex', async () => {
    expect(await count('frameworks')).toBe(1);
    expect(await count('requirements')).toBe(45);
    expect(await count('controls')).toBeGreaterThanOrEqual(40);
    expect(await count('evidence_tasks')).toBeGreaterThan(20);
    expect(await count('promises')).toBe(45);
    const unconfirmed = await t.pools.owner
      .selectFrom('promises')
      .select('id')
      .where('org_id', '=', orgId)
      .where('is_mapping_confirmed', '=', false)
      .execute();
    expect(unconfirmed).toEqual([]);
    const seeded = await t.pools.owner
      .selectFrom('audit_events')
      .select('action')
      .where('org_id', '=', orgId)
      .where('action', '=', 'program.seeded')
      .execute();
    expect(seeded).toHaveLength(1);
  });

  it('is what first-run setup creates', async () => {
    const fresh = await createTestApp();
    try {
      const res = await fresh.http.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: {
          orgName: 'Setup Org',
          name: 'Olivia Owner',
          email: 'olivia@setup.test',
          password: 'correct-lantern-meadow-42',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const controls = await fresh.pools.owner
        .selectFrom('controls')
        .select(['owner_id', 'status'])
        .execute();
      expect(controls.length).toBeGreaterThanOrEqual(40);
      const ownerId = res.json<{ user: { id: string } }>().user.id;
      expect(controls.every((c) => c.owner_id === ownerId)).toBe(true);
      expect(controls.every((c) => c.status === 'not_proved')).toBe(true);
    } finally {
      await fresh.close();
    }
  });
});

describe('GET /api/v1/dashboard', () => {
  it('shows readiness per section, framework and reference framework, with the trend ending today', async () => {
    const { status, body } = await get<Dashboard>('/api/v1/dashboard?trendDays=30');
    expect(status).toBe(200);
    expect(body.bySection).toHaveLength(13);
    expect(body.byFramework.map((f) => f.name)).toEqual(['Security measures annex']);
    expect(body.byReference.map((r) => r.framework)).toEqual(['soc2', 'iso27001', 'csf2']);
    expect(body.byReference.every((r) => r.readiness.total > 0)).toBe(true);
    expect(body.overall.total).toBe(Object.values(body.statusCounts).reduce((a, b) => a + b, 0));
    expect(body.trend.at(-1)?.day).toBe(new Date().toISOString().slice(0, 10));
    expect(body.promises.not_proved + body.promises.unmapped + body.promises.kept).toBeGreaterThan(
      0,
    );
    expect(body.upcomingTasks.length).toBeGreaterThan(0);
  });

  it('rises when a control starts passing, and lists failing controls with their owner', async () => {
    const before = (await get<Dashboard>('/api/v1/dashboard')).body;
    const control = await t.pools.owner
      .selectFrom('controls')
      .select(['id', 'ref'])
      .where('org_id', '=', orgId)
      .where('ref', '=', 'AC-03')
      .executeTakeFirstOrThrow();
    const checks = await t.pools.owner
      .selectFrom('control_checks as cc')
      .innerJoin('checks as c', 'c.id', 'cc.check_id')
      .select('c.key')
      .where('cc.control_id', '=', control.id)
      .execute();
    expect(checks.length).toBeGreaterThan(0);
    // AC-03 is proved by its check(s) and its task(s): make one check fail first.
    const [first] = checks;
    const failed = await injectAs(
      t,
      manager,
      'POST',
      `/api/v1/checks/${first?.key ?? ''}/results`,
      { status: 'fail', summary: '2 admins without MFA' },
    );
    expect(failed.statusCode, failed.body).toBe(201);
    const failing = (await get<Dashboard>('/api/v1/dashboard')).body;
    expect(failing.attention.find((a) => a.ref === 'AC-03')).toMatchObject({
      status: 'failing',
      statusReason: expect.stringContaining('2 admins without MFA') as string,
    });
    expect(failing.statusCounts.failing).toBe(before.statusCounts.failing + 1);
  });

  it('answers 304 to a copy still current, and fresh figures once the org changes', async () => {
    const first = await get<Dashboard>('/api/v1/dashboard?trendDays=30');
    const etag = String(first.raw.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.raw.headers['cache-control']).toBe('private, no-cache');
    const conditional = (url: string, tag: string) =>
      t.http.inject({ method: 'GET', url, headers: { ...bearer(manager), 'if-none-match': tag } });
    const current = await conditional('/api/v1/dashboard?trendDays=30', etag);
    expect(current.statusCode).toBe(304);
    expect(current.body).toBe('');
    expect(current.headers.etag).toBe(etag);
    expect((await conditional('/api/v1/dashboard?trendDays=30', `"x", W/${etag}`)).statusCode).toBe(
      304,
    );
    // Another trend length is another document.
    expect((await conditional('/api/v1/dashboard?trendDays=90', etag)).statusCode).toBe(200);
    // Every change is audited in its transaction, and so moves the tag.
    const [check] = await t.pools.owner
      .selectFrom('checks')
      .select('key')
      .where('org_id', '=', orgId)
      .orderBy('key')
      .limit(1)
      .execute();
    const recorded = await injectAs(
      t,
      manager,
      'POST',
      `/api/v1/checks/${check?.key ?? ''}/results`,
      { status: 'fail', summary: 'Backups not encrypted' },
    );
    expect(recorded.statusCode, recorded.body).toBe(201);
    const changed = await conditional('/api/v1/dashboard?trendDays=30', etag);
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json<Dashboard>().attention.map((a) => a.statusReason)).toContainEqual(
      expect.stringContaining('Backups not encrypted'),
    );
  });

  it('is refused without program.read', async () => {
    expect((await get('/api/v1/dashboard', employee)).status).toBe(403);
    expect((await get('/api/v1/dashboard', auditor)).status).toBe(200);
  });

  it('refuses a trend length it does not offer', async () => {
    const res = await get<{ code: string }>('/api/v1/dashboard?trendDays=7');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('request.invalid');
  });
});

describe('program settings', () => {
  it('are read by auditors, changed by managers and audited', async () => {
    const read = await get<{ evidenceRetentionDays: number }>('/api/v1/program/settings', auditor);
    expect(read.body.evidenceRetentionDays).toBe(1095);
    const denied = await injectAs(t, auditor, 'PATCH', '/api/v1/program/settings', {
      taskDueWindowDays: 14,
    });
    expect(denied.statusCode).toBe(403);
    const bad = await injectAs(t, manager, 'PATCH', '/api/v1/program/settings', {
      evidenceRetentionDays: 5,
    });
    expect(bad.statusCode).toBe(400);
    const ok = await injectAs(t, manager, 'PATCH', '/api/v1/program/settings', {
      taskDueWindowDays: 14,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({
      evidenceRetentionDays: 1095,
      taskDueWindowDays: 14,
      isDigestEnabled: true,
    });
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('org_id', '=', orgId)
      .where('action', '=', 'program.settings_updated')
      .executeTakeFirstOrThrow();
    expect(event.changes).toMatchObject({ after: { taskDueWindowDays: 14 } });
  });
});

describe('recordDailyStatus', () => {
  it('stores the day of every control and the readiness, audited once per org', async () => {
    const day = '2026-01-15';
    await recordDailyStatus({ db: t.pools.app, auditWriter: t.auditWriter }, day);
    const rows = await t.pools.owner
      .selectFrom('control_status_days')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('org_id', '=', orgId)
      .where('day', '=', day)
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(await count('controls'));
    const readiness = await t.pools.owner
      .selectFrom('readiness_days')
      .select(['scope'])
      .where('org_id', '=', orgId)
      .where('day', '=', day)
      .execute();
    expect(readiness.map((r) => r.scope)).toEqual(
      expect.arrayContaining(['overall', 'section:1', 'reference:soc2']),
    );
    const recorded = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('org_id', '=', orgId)
      .where('action', '=', 'program.status_recorded')
      .execute();
    expect(recorded.map((r) => (r.changes as { day: string }).day)).toContain(day);
  });
});

describe.skipIf(!hasSharedData('data', 'oscal', 'schema-1.0.6'))(
  'GET /api/v1/exports/oscal/:model',
  () => {
    const models: [string, OscalModel][] = [
      ['ssp', 'system-security-plan'],
      ['component-definition', 'component-definition'],
      ['assessment-results', 'assessment-results'],
      ['poam', 'plan-of-action-and-milestones'],
    ];
    it.each(models)('exports %s valid against the official OSCAL schema', async (path, model) => {
      const res = await get<Record<string, unknown>>(`/api/v1/exports/oscal/${path}`, auditor);
      expect(res.status, res.raw.body).toBe(200);
      expect(validateOscal(model, res.body)).toEqual([]);
    });

    it('lists the failing control as an open POA&M item', async () => {
      const res = await get<{
        'plan-of-action-and-milestones': { 'poam-items': { title: string }[] };
      }>('/api/v1/exports/oscal/poam');
      const titles = res.body['plan-of-action-and-milestones']['poam-items'].map((i) => i.title);
      expect(titles.some((title) => title.includes('AC-03'))).toBe(true);
    });

    it('refuses an unknown model and callers without program.read', async () => {
      expect((await get('/api/v1/exports/oscal/catalog')).status).toBe(400);
      expect((await get('/api/v1/exports/oscal/ssp', employee)).status).toBe(403);
    });
  },
);

describe('tenant isolation', () => {
  it('keeps the dashboard of one org out of another', async () => {
    const otherOrg = await seedOrg(t, 'Other Org', { withProgram: true });
    const stranger = await seedUser(t, otherOrg, 'security_manager');
    const mine = (await get<Dashboard>('/api/v1/dashboard')).body;
    const theirs = (await get<Dashboard>('/api/v1/dashboard', stranger)).body;
    expect(theirs.statusCounts.failing).toBe(0);
    expect(mine.statusCounts.failing).toBeGreaterThan(0);
    expect(theirs.byFramework[0]?.id).not.toBe(mine.byFramework[0]?.id);
  });
});
