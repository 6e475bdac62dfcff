import { roles, type Role } from '@steward/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { withOrg } from '../../platform/db/pools.ts';
import { addDays, todayUtc } from '../controls/index.ts';
import { runScreeningDay } from './index.ts';

interface Record {
  person: { id: string; name: string };
  applicability: string;
  reason: string;
  status: string;
  completedOn: string | null;
  provider: string;
  country: string | null;
}

interface List {
  coverage: { required: number; cleared: number; notPermitted: number; percent: number };
  items: Record[];
}

let t: TestApp;
let orgA: string;
const users = new Map<Role, SeededUser>();
let adminB: SeededUser;
const people: { [name: string]: string } = {};
const today = todayUtc();

function user(role: Role): SeededUser {
  const u = users.get(role);
  if (!u) throw new Error(`no ${role}`);
  return u;
}

async function call(
  as: SeededUser,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: unknown,
) {
  return t.http.inject({
    method,
    url,
    headers: bearer(as),
    ...(payload === undefined ? {} : { payload: payload as { [k: string]: unknown } }),
  });
}

function thisQuarter(): string {
  const d = new Date(`${today}T00:00:00Z`);
  return `${String(d.getUTCFullYear())}-Q${String(Math.floor(d.getUTCMonth() / 3) + 1)}`;
}

async function checkOf(orgId: string) {
  return withOrg(t.pools.app, orgId, (tx) =>
    tx
      .selectFrom('checks')
      .select(['latest_status', 'latest_summary'])
      .where('key', '=', 'people.screening_complete')
      .executeTakeFirstOrThrow(),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  orgA = await seedOrg(t, 'Acme Cloud', { withProgram: true });
  const orgB = await seedOrg(t, 'Beta Ltd', { withProgram: true });
  for (const role of roles) users.set(role, await seedUser(t, orgA, role));
  adminB = await seedUser(t, orgB, 'admin');
  const admin = user('admin');
  for (const [name, fields] of [
    ['Ada Engineer', { department: 'Engineering', title: 'Backend engineer' }],
    ['Ben Engineer', { department: 'Engineering', title: 'SRE' }],
    ['Cleo Sales', { department: 'Sales', title: 'Account executive' }],
    ['Dirk Engineer', { department: 'Engineering', title: 'Frontend engineer' }],
  ] as const) {
    const res = await call(admin, 'POST', '/api/v1/people', {
      displayName: name,
      email: `${name.split(' ')[0]?.toLowerCase() ?? 'x'}@acme.test`,
      ...fields,
      employmentType: 'employee',
      startDate: today,
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    people[name] = res.json<{ id: string }>().id;
  }
});

afterAll(async () => {
  await t.close();
});

function id(name: string): string {
  const value = people[name];
  if (value === undefined) throw new Error(name);
  return value;
}

describe('screening access', () => {
  it('lets only HR (owner, admin) read or write screening records', async () => {
    const routes: [method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown][] = [
      ['GET', '/api/v1/screening/settings'],
      ['PUT', '/api/v1/screening/settings', {}],
      ['GET', '/api/v1/screening/people'],
      ['GET', `/api/v1/screening/people/${id('Ada Engineer')}`],
      ['PUT', `/api/v1/screening/people/${id('Ada Engineer')}`, { status: 'in_progress' }],
      ['GET', '/api/v1/screening/audits'],
      ['POST', '/api/v1/screening/audits', { quarter: thisQuarter() }],
    ];
    for (const role of ['security_manager', 'contributor', 'auditor', 'employee'] as const) {
      for (const [method, url, payload] of routes) {
        const res = await call(user(role), method, url, payload);
        expect(res.statusCode, `${role} ${method} ${url}`).toBe(403);
        expect(res.json<{ code: string }>().code).toBe('auth.forbidden');
      }
    }
    const records = await withOrg(t.pools.app, orgA, (tx) =>
      tx.selectFrom('screening_records').selectAll().execute(),
    );
    expect(records).toEqual([]);
    expect((await call(user('owner'), 'GET', '/api/v1/screening/people')).statusCode).toBe(200);
  });
});

describe('screening rules and records', () => {
  it('records nothing for the check before the rules are set', async () => {
    const list = await call(user('admin'), 'GET', '/api/v1/screening/people');
    expect(list.json<List>().items.every((r) => r.applicability === 'not_required')).toBe(true);
    await runScreeningDay({ db: t.pools.app, auditWriter: t.auditWriter }, orgA);
    expect((await checkOf(orgA)).latest_status).toBeNull();
  });

  it('refuses bad rules naming the field, and changes nothing', async () => {
    const badCountry = await call(user('admin'), 'PUT', '/api/v1/screening/settings', {
      restrictedCountries: [{ country: 'Germany', reason: 'x' }],
    });
    expect(badCountry.statusCode).toBe(400);
    expect(badCountry.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'restrictedCountries.0.country',
    );
    const noReason = await call(user('admin'), 'PUT', '/api/v1/screening/settings', {
      restrictedCountries: [{ country: 'DE', reason: '' }],
    });
    expect(noReason.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'restrictedCountries.0.reason',
    );
    const emptyRule = await call(user('admin'), 'PUT', '/api/v1/screening/settings', {
      roleRules: [{}],
    });
    expect(emptyRule.statusCode).toBe(400);
    expect(emptyRule.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'roleRules.0.department',
    );
    const settings = await call(user('admin'), 'GET', '/api/v1/screening/settings');
    expect(settings.json<{ updatedAt: string | null }>().updatedAt).toBeNull();
  });

  it('sets the rules: the check fails while engineers are not cleared', async () => {
    const res = await call(user('admin'), 'PUT', '/api/v1/screening/settings', {
      roleRules: [{ department: 'engineering' }],
      restrictedCountries: [
        { country: 'de', reason: 'Works council agreement and BDSG §26 limit checks to the role' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res.json<{ restrictedCountries: { country: string }[] }>().restrictedCountries[0]?.country,
    ).toBe('DE');
    const list = (await call(user('admin'), 'GET', '/api/v1/screening/people')).json<List>();
    expect(list.coverage).toMatchObject({ required: 3, cleared: 0, percent: 0 });
    const check = await checkOf(orgA);
    expect(check.latest_status).toBe('fail');
    expect(check.latest_summary).toBe(
      '3 of 3 people who require screening are not cleared (3 not started, 0 in progress, 0 adverse)',
    );
    expect(check.latest_summary).not.toContain('Ada');
  });

  it('refuses a record with bad dates naming the field', async () => {
    const noDate = await call(
      user('admin'),
      'PUT',
      `/api/v1/screening/people/${id('Ada Engineer')}`,
      {
        status: 'cleared',
      },
    );
    expect(noDate.statusCode).toBe(400);
    expect(noDate.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('completedOn');
    const future = await call(
      user('admin'),
      'PUT',
      `/api/v1/screening/people/${id('Ada Engineer')}`,
      {
        status: 'cleared',
        completedOn: addDays(today, 3),
      },
    );
    expect(future.statusCode).toBe(400);
    expect(future.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('completedOn');
    const report = await call(
      user('admin'),
      'PUT',
      `/api/v1/screening/people/${id('Ada Engineer')}`,
      {
        status: 'cleared',
        completedOn: today,
        report: 'criminal record extract',
      },
    );
    expect(report.statusCode).toBe(400);
    const overrideWithoutReason = await call(
      user('admin'),
      'PUT',
      `/api/v1/screening/people/${id('Ada Engineer')}`,
      { status: 'not_started', override: 'not_required' },
    );
    expect(overrideWithoutReason.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'overrideReason',
    );
    const unknown = await call(
      user('admin'),
      'PUT',
      '/api/v1/screening/people/00000000-0000-4000-8000-000000000000',
      { status: 'in_progress' },
    );
    expect(unknown.statusCode).toBe(404);
  });

  it('records outcomes: cleared, not permitted by law; the check passes', async () => {
    const ada = await call(user('admin'), 'PUT', `/api/v1/screening/people/${id('Ada Engineer')}`, {
      status: 'cleared',
      completedOn: today,
      provider: 'Checkr',
      country: 'GB',
    });
    expect(ada.statusCode, ada.body).toBe(200);
    expect(ada.json<Record>()).toMatchObject({
      applicability: 'applies',
      status: 'cleared',
      provider: 'Checkr',
      country: 'GB',
    });
    const ben = await call(user('owner'), 'PUT', `/api/v1/screening/people/${id('Ben Engineer')}`, {
      status: 'not_started',
      country: 'DE',
    });
    expect(ben.json<Record>()).toMatchObject({ applicability: 'not_permitted' });
    expect(ben.json<Record>().reason).toContain('BDSG');
    const dirk = await call(
      user('admin'),
      'PUT',
      `/api/v1/screening/people/${id('Dirk Engineer')}`,
      {
        status: 'in_progress',
        provider: 'Checkr',
      },
    );
    expect(dirk.statusCode).toBe(200);
    expect((await checkOf(orgA)).latest_status).toBe('fail');
    await call(user('admin'), 'PUT', `/api/v1/screening/people/${id('Dirk Engineer')}`, {
      status: 'cleared',
      completedOn: today,
      provider: 'Checkr',
    });
    const list = (await call(user('admin'), 'GET', '/api/v1/screening/people')).json<List>();
    expect(list.coverage).toMatchObject({ required: 2, cleared: 2, notPermitted: 1, percent: 100 });
    const check = await checkOf(orgA);
    expect(check.latest_status).toBe('pass');
    expect(check.latest_summary).toContain('1 where the law does not permit screening');
    const events = await withOrg(t.pools.app, orgA, (tx) =>
      tx
        .selectFrom('audit_events')
        .select('action')
        .where('action', '=', 'screening.record_updated')
        .execute(),
    );
    expect(events.length).toBe(4);
  });

  it('filters the list', async () => {
    const permitted = await call(
      user('admin'),
      'GET',
      '/api/v1/screening/people?applicability=not_permitted',
    );
    expect(permitted.json<List>().items.map((r) => r.person.name)).toEqual(['Ben Engineer']);
    const search = await call(user('admin'), 'GET', '/api/v1/screening/people?q=cleo');
    expect(search.json<List>().items.map((r) => r.person.name)).toEqual(['Cleo Sales']);
    const bad = await call(user('admin'), 'GET', '/api/v1/screening/people?status=passed');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('querystring.status');
  });

  it('records the quarterly audit as the task’s evidence, naming no one in it', async () => {
    const future = await call(user('admin'), 'POST', '/api/v1/screening/audits', {
      quarter: '2099-Q1',
    });
    expect(future.statusCode).toBe(400);
    expect(future.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('quarter');
    const malformed = await call(user('admin'), 'POST', '/api/v1/screening/audits', {
      quarter: '2026-Q5',
    });
    expect(malformed.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('quarter');
    const res = await call(user('admin'), 'POST', '/api/v1/screening/audits', {
      quarter: thisQuarter(),
      note: 'Checked against the HRIS hires report',
    });
    expect(res.statusCode, res.body).toBe(201);
    const audit = res.json<{
      hired: number;
      covered: number;
      isComplete: boolean;
      entries: { name: string; isCovered: boolean }[];
      evidenceId: string | null;
    }>();
    expect(audit).toMatchObject({ hired: 4, covered: 4, isComplete: true });
    expect(audit.evidenceId).not.toBeNull();
    const evidence = await withOrg(t.pools.app, orgA, (tx) =>
      tx
        .selectFrom('evidence as e')
        .innerJoin('evidence_tasks as t', 't.id', 'e.task_id')
        .select(['e.title', 'e.description', 't.key', 't.state'])
        .where('e.id', '=', audit.evidenceId ?? '')
        .executeTakeFirstOrThrow(),
    );
    expect(evidence.key).toBe('screening.records_audit');
    expect(evidence.state).toBe('done');
    expect(`${evidence.title} ${evidence.description}`).not.toMatch(/Ada|Ben|Dirk|Cleo/);
    const control = await withOrg(t.pools.app, orgA, (tx) =>
      tx
        .selectFrom('controls')
        .select(['status', 'status_reason'])
        .where('ref', '=', 'GOV-05')
        .executeTakeFirstOrThrow(),
    );
    expect(control.status, control.status_reason).toBe('passing');
    const list = await call(user('owner'), 'GET', '/api/v1/screening/audits');
    expect(list.json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('keeps each org to its own records', async () => {
    const other = await call(adminB, 'GET', `/api/v1/screening/people/${id('Ada Engineer')}`);
    expect(other.statusCode).toBe(404);
    const write = await call(adminB, 'PUT', `/api/v1/screening/people/${id('Ada Engineer')}`, {
      status: 'adverse',
      completedOn: today,
    });
    expect(write.statusCode).toBe(404);
    const list = await call(adminB, 'GET', '/api/v1/screening/people');
    expect(list.json<List>().items).toEqual([]);
    expect(
      (await call(adminB, 'GET', '/api/v1/screening/audits')).json<{ items: unknown[] }>().items,
    ).toEqual([]);
    const ada = await call(user('admin'), 'GET', `/api/v1/screening/people/${id('Ada Engineer')}`);
    expect(ada.json<Record>().status).toBe('cleared');
  });

  it('fails the check from the daily job when someone new requires screening', async () => {
    await call(user('admin'), 'POST', '/api/v1/people', {
      displayName: 'Eve Engineer',
      department: 'Engineering',
    });
    await runScreeningDay({ db: t.pools.app, auditWriter: t.auditWriter }, orgA);
    const check = await checkOf(orgA);
    expect(check.latest_status).toBe('fail');
    expect(check.latest_summary).toMatch(/^1 of 3 people/);
  });
});
