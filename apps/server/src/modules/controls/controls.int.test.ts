import type { Control, Evidence, Task } from '@steward/contracts';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, injectAs, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { auditActionsOf } from '../../../test/record-queries.ts';
import { seedCheck, seedControl, seedTask } from '../../../test/program-factories.ts';
import { defaultControls, seedBuiltinFramework } from '../frameworks/index.ts';
import { seedDefaultControls } from './index.ts';
import { addDays, todayUtc } from './control-status.ts';

let t: TestApp;
let orgId: string;
let manager: SeededUser;
let contributor: SeededUser;
let auditor: SeededUser;
let employee: SeededUser;
let requirements: Map<string, string>;

interface Detail {
  control: Control;
  requirements: { id: string; ref: string; frameworkName: string; mappings: unknown[] }[];
  checks: { key: string; latestStatus: string | null }[];
  tasks: Task[];
  evidence: Evidence[];
  promises: { id: string; ref: string }[];
  references: { framework: string; id: string; title: string }[];
  history: { day: string; status: string; reason: string }[];
}

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t);
  manager = await seedUser(t, orgId, 'security_manager');
  contributor = await seedUser(t, orgId, 'contributor');
  auditor = await seedUser(t, orgId, 'auditor');
  employee = await seedUser(t, orgId, 'employee');
  requirements = await t.pools.owner.transaction().execute((tx) => seedBuiltinFramework(tx, orgId));
});

afterAll(async () => {
  await t.close();
});

async function createControl(
  user: SeededUser,
  payload: Record<string, unknown>,
): Promise<{ statusCode: number; control: Control; body: string }> {
  const res = await t.http.inject({
    method: 'POST',
    url: '/api/v1/controls',
    headers: bearer(user),
    payload,
  });
  return { statusCode: res.statusCode, control: res.json<Control>(), body: res.body };
}

async function getDetail(id: string, user: SeededUser = manager): Promise<Detail> {
  const res = await injectAs(t, user, 'GET', `/api/v1/controls/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Detail>();
}

async function listControls(query: string, user: SeededUser = manager) {
  const res = await injectAs(t, user, 'GET', `/api/v1/controls${query}`);
  return res;
}

describe('creating controls', () => {
  it('creates a control with its requirements, audited, and records its first status', async () => {
    const req11 = requirements.get('1.1') ?? '';
    const { statusCode, control, body } = await createControl(manager, {
      ref: 'POL-1',
      title: 'Policies are reviewed',
      description: 'Yearly review of every policy',
      ownerId: contributor.id,
      section: 1,
      implementationStatus: 'implemented',
      requirementIds: [req11],
    });
    expect(statusCode, body).toBe(201);
    expect(control).toMatchObject({
      ref: 'POL-1',
      title: 'Policies are reviewed',
      owner: { id: contributor.id, email: contributor.email },
      section: 1,
      implementationStatus: 'implemented',
      status: 'not_proved',
      archived: false,
      requirementCount: 1,
      checkCount: 0,
      taskCount: 0,
      evidenceCount: 0,
    });
    expect(await auditActionsOf(t, control.id)).toEqual(['control.created']);
    const day = await t.pools.owner
      .selectFrom('control_status_days')
      .select(['day', 'status'])
      .where('control_id', '=', control.id)
      .execute();
    expect(day).toEqual([{ day: todayUtc(), status: 'not_proved' }]);
  });

  it('refuses a reference already taken (409) and bad input naming the fields (400)', async () => {
    const taken = await createControl(manager, { ref: 'POL-1', title: 'Again' });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('control.ref_taken');

    const bad = await createControl(manager, { ref: 'has space', title: '' });
    expect(bad.statusCode).toBe(400);
    const paths = JSON.parse(bad.body) as { errors: { path: string }[] };
    expect(paths.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['ref', 'title']));
  });

  it('refuses an owner from another organisation and unknown requirements', async () => {
    const otherOrg = await seedOrg(t);
    const stranger = await seedUser(t, otherOrg, 'admin');
    const owner = await createControl(manager, {
      ref: 'X-1',
      title: 'X',
      ownerId: stranger.id,
    });
    expect(owner.statusCode).toBe(400);
    expect(owner.body).toContain('"path":"ownerId"');

    const missing = randomUUID();
    const requirement = await createControl(manager, {
      ref: 'X-2',
      title: 'X',
      requirementIds: [missing],
    });
    expect(requirement.statusCode).toBe(400);
    expect(requirement.body).toContain('"path":"requirementIds"');
    expect(requirement.body).toContain(missing);
    const none = await t.pools.owner
      .selectFrom('controls')
      .select('id')
      .where('ref', 'in', ['X-1', 'X-2'])
      .execute();
    expect(none).toEqual([]);
  });

  it('is refused to contributors, auditors and employees', async () => {
    for (const user of [contributor, auditor, employee]) {
      const res = await createControl(user, { ref: 'NOPE-1', title: 'No' });
      expect(res.statusCode).toBe(403);
    }
  });
});

describe('listing controls', () => {
  let a: string;
  let b: string;
  let archived: string;

  beforeAll(async () => {
    a = await seedControl(t, orgId, {
      ref: 'LST-2',
      title: 'Encrypted backups',
      section: 4,
      ownerId: manager.id,
    });
    b = await seedControl(t, orgId, { ref: 'LST-10', title: 'Access reviews', section: 4 });
    archived = await seedControl(t, orgId, { ref: 'LST-3', title: 'Old control', section: 4 });
    await t.pools.owner
      .updateTable('controls')
      .set({ archived_at: new Date(), status: 'failing' })
      .where('id', '=', archived)
      .execute();
    await t.pools.owner
      .updateTable('controls')
      .set({ status: 'passing' })
      .where('id', '=', a)
      .execute();
    await t.pools.owner
      .insertInto('control_requirements')
      .values({ org_id: orgId, control_id: b, requirement_id: requirements.get('4.1') ?? '' })
      .execute();
  });

  it('lists live controls sorted by section and reference, with counts', async () => {
    const res = await listControls('?section=4');
    expect(res.statusCode, res.body).toBe(200);
    const { items, asOf } = res.json<{ items: Control[]; asOf: string | null }>();
    expect(asOf).toBeNull();
    expect(items.map((c) => c.ref)).toEqual(['LST-2', 'LST-10']);
    expect(items[0]?.owner?.id).toBe(manager.id);
    expect(items[1]?.requirementCount).toBe(1);
  });

  it('filters by status, owner, framework, text, and can include archived controls', async () => {
    const ids = async (query: string) =>
      (await listControls(query)).json<{ items: Control[] }>().items.map((c) => c.ref);
    expect(await ids('?section=4&status=passing')).toEqual(['LST-2']);
    expect(await ids(`?section=4&ownerId=${manager.id}`)).toEqual(['LST-2']);
    const framework = await t.pools.owner
      .selectFrom('frameworks')
      .select('id')
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    expect(await ids(`?section=4&frameworkId=${framework.id}`)).toEqual(['LST-10']);
    expect(await ids('?q=BACKUP')).toEqual(['LST-2']);
    expect(await ids('?q=%25')).toEqual([]);
    expect(await ids('?section=4&includeArchived=true')).toEqual(['LST-2', 'LST-3', 'LST-10']);
  });

  it('answers 304 to a list still current, and the new list once a control is added', async () => {
    const first = await listControls('?section=4');
    const etag = first.headers.etag;
    expect(typeof etag).toBe('string');
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const current = await t.http.inject({
      method: 'GET',
      url: '/api/v1/controls?section=4',
      headers: { ...bearer(manager), 'if-none-match': String(etag) },
    });
    expect(current.statusCode).toBe(304);
    expect(current.body).toBe('');
    // Another query is another list, with its own tag.
    const other = await t.http.inject({
      method: 'GET',
      url: '/api/v1/controls?section=4&includeArchived=true',
      headers: { ...bearer(manager), 'if-none-match': String(etag) },
    });
    expect(other.statusCode).toBe(200);
    const created = await createControl(manager, { ref: 'LST-20', title: 'Logging', section: 4 });
    expect(created.statusCode, created.body).toBe(201);
    const changed = await t.http.inject({
      method: 'GET',
      url: '/api/v1/controls?section=4',
      headers: { ...bearer(manager), 'if-none-match': String(etag) },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    const refs = changed.json<{ items: Control[] }>().items.map((c) => c.ref);
    expect(refs).toEqual(['LST-2', 'LST-10', 'LST-20']);
    // The same list again, unconditionally: the stored copy, identical.
    expect((await listControls('?section=4')).body).toBe(changed.body);
    // Archived again, so the lists of the following tests stay as they were.
    const archivedAgain = await injectAs(
      t,
      manager,
      'PATCH',
      `/api/v1/controls/${created.control.id}`,
      { archived: true },
    );
    expect(archivedAgain.statusCode, archivedAgain.body).toBe(200);
  });

  it('refuses a bad filter (400) and employees (403); auditors may read', async () => {
    expect((await listControls('?section=99')).statusCode).toBe(400);
    expect((await listControls('?asOf=yesterday')).statusCode).toBe(400);
    expect((await listControls('', employee)).statusCode).toBe(403);
    expect((await listControls('', auditor)).statusCode).toBe(200);
  });

  it('shows each control as it was on a past day, falling back to the latest earlier day', async () => {
    const today = todayUtc();
    const d10 = addDays(today, -10);
    const d5 = addDays(today, -5);
    // The column is insert-only in the table types; a test back-dates it with plain SQL.
    await sql`UPDATE controls SET created_at = ${`${addDays(today, -30)}T00:00:00Z`}::timestamptz
               WHERE id IN (${a}, ${b})`.execute(t.pools.owner);
    await t.pools.owner
      .insertInto('control_status_days')
      .values([
        { org_id: orgId, control_id: a, day: d10, status: 'failing', reason: 'Backup failed' },
        { org_id: orgId, control_id: a, day: d5, status: 'due', reason: 'Runs out soon' },
        { org_id: orgId, control_id: b, day: d5, status: 'passing', reason: 'Reviewed' },
      ])
      .execute();
    const at = async (day: string, extra = '') => {
      const res = await listControls(`?section=4&asOf=${day}${extra}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: Control[]; asOf: string }>();
    };
    const onD10 = await at(d10);
    expect(onD10.asOf).toBe(d10);
    expect(onD10.items.map((c) => [c.ref, c.status, c.statusReason])).toEqual([
      ['LST-2', 'failing', 'Backup failed'],
      ['LST-10', 'not_proved', 'No status was recorded by that day'],
    ]);
    const later = await at(addDays(today, -7));
    expect(later.items.find((c) => c.ref === 'LST-2')?.status).toBe('failing');
    const onD5 = await at(d5);
    expect(onD5.items.map((c) => c.status)).toEqual(['due', 'passing']);
    expect((await at(d5, '&status=passing')).items.map((c) => c.ref)).toEqual(['LST-10']);
    // Controls created after the day did not exist yet.
    expect((await at(addDays(today, -40))).items).toEqual([]);
  });

  it('exports the list as CSV with quoting and formula neutralisation', async () => {
    await seedControl(t, orgId, {
      ref: 'CSV-1',
      title: '=HYPERLINK("http://evil.test","click")',
      section: 13,
    });
    await seedControl(t, orgId, { ref: 'CSV-2', title: 'Plain, with comma', section: 13 });
    const res = await injectAs(t, auditor, 'GET', '/api/v1/controls.csv?section=13');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="controls-.+\.csv"/);
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('ref,title,section,status,reason,owner,implementation,requirements');
    expect(lines[1]).toBe(
      'CSV-1,"\'=HYPERLINK(""http://evil.test"",""click"")",13,not_proved,,,planned,',
    );
    expect(lines[2]).toBe('CSV-2,"Plain, with comma",13,not_proved,,,planned,');
    expect(lines[3]).toBe('');

    const withRequirements = await injectAs(t, manager, 'GET', '/api/v1/controls.csv?section=4');
    const row = withRequirements.body.split('\r\n').find((l) => l.startsWith('LST-10,'));
    expect(row).toBe('LST-10,Access reviews,4,not_proved,,,planned,4.1');
    const owned = withRequirements.body.split('\r\n').find((l) => l.startsWith('LST-2,'));
    expect(owned).toContain(`Test security_manager <${manager.email}>`);

    const forbidden = await injectAs(t, employee, 'GET', '/api/v1/controls.csv');
    expect(forbidden.statusCode).toBe(403);
  });
});

describe('a control in detail', () => {
  it('shows requirements, checks, tasks, evidence, promises, references and history', async () => {
    const created = await createControl(manager, {
      ref: 'DET-1',
      title: 'Detailed',
      requirementIds: [requirements.get('1.1'), requirements.get('3.1')],
    });
    const id = created.control.id;
    await seedCheck(t, orgId, 'det.check', [id]);
    const taskId = await seedTask(t, orgId, id, {
      title: 'Review',
      nextDueOn: addDays(todayUtc(), 20),
      ownerId: manager.id,
    });
    const other = await seedControl(t, orgId, { ref: 'DET-2' });
    const lineage = randomUUID();
    for (const version of [1, 2]) {
      const evidence = await t.pools.owner
        .insertInto('evidence')
        .values({
          id: version === 1 ? lineage : randomUUID(),
          org_id: orgId,
          lineage_id: lineage,
          version,
          kind: 'link',
          title: `Review minutes v${String(version)}`,
          url: 'https://example.test/minutes',
          collected_at: new Date(),
          effective_from: todayUtc(),
          effective_to: addDays(todayUtc(), 90),
          supplied_by: 'test',
          task_id: taskId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.pools.owner
        .insertInto('evidence_controls')
        .values([
          { org_id: orgId, evidence_id: evidence.id, control_id: id },
          { org_id: orgId, evidence_id: evidence.id, control_id: other },
        ])
        .execute();
    }
    // A deleted item linked to the control counts for nothing.
    const deleted = await t.pools.owner
      .insertInto('evidence')
      .values({
        org_id: orgId,
        lineage_id: randomUUID(),
        version: 1,
        kind: 'link',
        title: 'Withdrawn',
        url: 'https://example.test/old',
        collected_at: new Date(),
        effective_from: todayUtc(),
        effective_to: todayUtc(),
        supplied_by: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.pools.owner
      .insertInto('evidence_controls')
      .values({ org_id: orgId, evidence_id: deleted.id, control_id: id })
      .execute();
    await t.pools.owner
      .updateTable('evidence')
      .set({ deleted_at: new Date() })
      .where('id', '=', deleted.id)
      .execute();
    const annex = await t.pools.owner
      .insertInto('annexes')
      .values({ org_id: orgId, name: 'DPA', source: 'paste', sha256: 'x', content: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const promise = await t.pools.owner
      .insertInto('promises')
      .values({
        org_id: orgId,
        annex_id: annex.id,
        ref: 'P1',
        section_number: 1,
        section_title: 'Gov',
        body: 'We review policies',
        sort_order: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const unconfirmed = await t.pools.owner
      .insertInto('promises')
      .values({
        org_id: orgId,
        annex_id: annex.id,
        ref: 'P2',
        section_number: 1,
        section_title: 'Gov',
        body: 'Only suggested',
        sort_order: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.pools.owner
      .insertInto('promise_controls')
      .values([
        { org_id: orgId, promise_id: promise.id, control_id: id, is_confirmed: true },
        { org_id: orgId, promise_id: unconfirmed.id, control_id: id, is_confirmed: false },
      ])
      .execute();
    await t.pools.owner
      .insertInto('control_status_days')
      .values([
        { org_id: orgId, control_id: id, day: addDays(todayUtc(), -200), status: 'failing' },
        { org_id: orgId, control_id: id, day: addDays(todayUtc(), -3), status: 'due' },
      ])
      .execute();

    const detail = await getDetail(id, auditor);
    expect(detail.control).toMatchObject({
      ref: 'DET-1',
      requirementCount: 2,
      checkCount: 1,
      taskCount: 1,
      evidenceCount: 1,
    });
    expect(detail.requirements.map((r) => [r.ref, r.frameworkName])).toEqual([
      ['1.1', 'Security measures annex'],
      ['3.1', 'Security measures annex'],
    ]);
    expect(detail.checks).toEqual([
      expect.objectContaining({ key: 'det.check', latestStatus: null }),
    ]);
    expect(detail.tasks).toEqual([
      expect.objectContaining({
        id: taskId,
        title: 'Review',
        control: expect.objectContaining({ id, ref: 'DET-1' }) as unknown,
        owner: expect.objectContaining({ id: manager.id }) as unknown,
      }),
    ]);
    expect(detail.evidence).toHaveLength(1);
    expect(detail.evidence[0]).toMatchObject({
      lineageId: lineage,
      version: 2,
      isSuperseded: false,
      kind: 'link',
      taskId,
    });
    expect(detail.evidence[0]?.controls.map((c) => c.ref).sort()).toEqual(['DET-1', 'DET-2']);
    expect(detail.promises).toEqual([
      { id: promise.id, annexId: annex.id, ref: 'P1', body: 'We review policies' },
    ]);
    expect(detail.references.length).toBeGreaterThan(2);
    expect(detail.references[0]).toMatchObject({ framework: 'soc2' });
    expect(detail.references.every((r) => r.title.length > 0)).toBe(true);
    const keys = detail.references.map((r) => `${r.framework}|${r.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    // The last 90 days only, oldest first.
    expect(detail.history.map((h) => h.status)).toEqual(['due', 'not_proved']);
  });

  it('answers 404 for an unknown control and 403 to employees', async () => {
    const missing = await injectAs(t, manager, 'GET', `/api/v1/controls/${randomUUID()}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ code: string }>().code).toBe('control.not_found');
    const id = await seedControl(t, orgId);
    const forbidden = await injectAs(t, employee, 'GET', `/api/v1/controls/${id}`);
    expect(forbidden.statusCode).toBe(403);
  });
});

describe('changing controls', () => {
  it('updates fields, audits the change, and archiving takes it out of readiness', async () => {
    // A second live control keeps the section in the day's readiness after the first is archived.
    await seedControl(t, orgId, { ref: 'UPD-0', title: 'Stays', section: 2 });
    const id = await seedControl(t, orgId, { ref: 'UPD-1', title: 'Before', section: 2 });
    const res = await injectAs(t, manager, 'PATCH', `/api/v1/controls/${id}`, {
      title: 'After',
      ownerId: manager.id,
      implementationStatus: 'partial',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Control>()).toMatchObject({
      title: 'After',
      owner: { id: manager.id },
      implementationStatus: 'partial',
    });
    const archive = await injectAs(t, manager, 'PATCH', `/api/v1/controls/${id}`, {
      archived: true,
    });
    expect(archive.statusCode, archive.body).toBe(200);
    expect(archive.json<Control>().archived).toBe(true);
    expect(await auditActionsOf(t, id)).toEqual([
      'control.updated',
      'control.updated',
      'control.archived',
    ]);
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('target_id', '=', id)
      .where('action', '=', 'control.updated')
      .orderBy('seq')
      .executeTakeFirstOrThrow();
    expect(event.changes).toMatchObject({ title: { from: 'Before', to: 'After' } });
    const readiness = await t.pools.owner
      .selectFrom('readiness_days')
      .select(['total'])
      .where('org_id', '=', orgId)
      .where('scope', '=', 'section:2')
      .where('day', '=', todayUtc())
      .executeTakeFirstOrThrow();
    expect(readiness.total).toBe(1);
    const listed = await listControls('?section=2');
    expect(listed.json<{ items: Control[] }>().items.map((c) => c.ref)).not.toContain('UPD-1');
  });

  it('refuses a taken reference, an unknown control, bad input and non-managers', async () => {
    const id = await seedControl(t, orgId, { ref: 'UPD-2' });
    await seedControl(t, orgId, { ref: 'UPD-3' });
    const patch = (user: SeededUser, target: string, payload: Record<string, unknown>) =>
      t.http.inject({
        method: 'PATCH',
        url: `/api/v1/controls/${target}`,
        headers: bearer(user),
        payload,
      });
    expect((await patch(manager, id, { ref: 'UPD-3' })).statusCode).toBe(409);
    expect((await patch(manager, randomUUID(), { title: 'x' })).statusCode).toBe(404);
    expect((await patch(manager, id, { section: 14 })).statusCode).toBe(400);
    expect((await patch(manager, id, { color: 'red' })).statusCode).toBe(400);
    expect((await patch(contributor, id, { title: 'x' })).statusCode).toBe(403);
  });

  it('replaces the requirements a control satisfies', async () => {
    const id = await seedControl(t, orgId, { ref: 'REQ-1' });
    const put = (user: SeededUser, requirementIds: string[]) =>
      injectAs(t, user, 'PUT', `/api/v1/controls/${id}/requirements`, { requirementIds });
    const first = await put(manager, [
      requirements.get('2.1') ?? '',
      requirements.get('2.2') ?? '',
    ]);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<Detail>().requirements.map((r) => r.ref)).toEqual(['2.1', '2.2']);
    const second = await put(manager, [requirements.get('2.2') ?? '']);
    expect(second.json<Detail>().requirements.map((r) => r.ref)).toEqual(['2.2']);
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('target_id', '=', id)
      .where('action', '=', 'control.requirements_updated')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(event.changes).toMatchObject({ added: [], removed: [requirements.get('2.1')] });
    expect((await put(manager, [randomUUID()])).statusCode).toBe(400);
    expect((await put(auditor, [])).statusCode).toBe(403);
  });
});

describe('checks', () => {
  let controlId: string;

  it('links checks to a control by key; an unknown key is refused by name', async () => {
    controlId = await seedControl(t, orgId, { ref: 'CHK-1', title: 'Checked control' });
    const created = await injectAs(t, manager, 'POST', '/api/v1/checks', {
      key: 'backups.restore_test',
      name: 'Backup restore test',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<{ key: string; controls: unknown[] }>()).toMatchObject({
      key: 'backups.restore_test',
      controls: [],
    });
    const put = (checkKeys: string[], user: SeededUser = manager) =>
      injectAs(t, user, 'PUT', `/api/v1/controls/${controlId}/checks`, { checkKeys });
    const unknown = await put(['backups.restore_test', 'no.such-check']);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ detail: string; errors: { path: string }[] }>()).toMatchObject({
      detail: 'No such check: "no.such-check"',
      errors: [{ path: 'checkKeys.1' }],
    });
    expect((await put(['backups.restore_test'], contributor)).statusCode).toBe(403);
    const linked = await put(['backups.restore_test']);
    expect(linked.statusCode, linked.body).toBe(200);
    const detail = linked.json<Detail>();
    expect(detail.checks.map((c) => c.key)).toEqual(['backups.restore_test']);
    expect(detail.control.status).toBe('not_proved');
    expect(detail.control.statusReason).toContain('Backup restore test');
    expect(await auditActionsOf(t, controlId)).toContain('control.checks_updated');
  });

  it('declares checks: duplicate keys (409), bad keys and unknown controls (400), managers only', async () => {
    const post = (payload: Record<string, unknown>, user: SeededUser = manager) =>
      t.http.inject({ method: 'POST', url: '/api/v1/checks', headers: bearer(user), payload });
    const duplicate = await post({ key: 'backups.restore_test', name: 'Again' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json<{ code: string }>().code).toBe('check.key_taken');
    expect((await post({ key: 'Upper Case', name: 'x' })).statusCode).toBe(400);
    const missing = await post({ key: 'x.y', name: 'x', controlIds: [randomUUID()] });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('"path":"controlIds"');
    expect((await post({ key: 'x.z', name: 'x' }, auditor)).statusCode).toBe(403);
    const withControl = await post({ key: 'x.linked', name: 'Linked', controlIds: [controlId] });
    expect(withControl.statusCode).toBe(201);
    const list = await injectAs(t, auditor, 'GET', '/api/v1/checks');
    expect(list.statusCode).toBe(200);
    const items = list.json<{ items: { key: string; controls: { id: string }[] }[] }>().items;
    expect(items.find((c) => c.key === 'x.linked')?.controls.map((c) => c.id)).toEqual([controlId]);
    expect((await injectAs(t, employee, 'GET', '/api/v1/checks')).statusCode).toBe(403);
    // Only one check proves the control from here on.
    await injectAs(t, manager, 'PUT', `/api/v1/controls/${controlId}/checks`, {
      checkKeys: ['backups.restore_test'],
    });
  });

  it('turns the control failing on a failed result and passing on a passing one', async () => {
    const report = (
      status: 'pass' | 'fail',
      user: SeededUser = contributor,
      key = 'backups.restore_test',
    ) =>
      injectAs(t, user, 'POST', `/api/v1/checks/${key}/results`, {
        status,
        summary: `restore ${status}ed`,
        details: { seconds: 42 },
      });
    const failed = await report('fail');
    expect(failed.statusCode, failed.body).toBe(201);
    const result = failed.json<{ id: string; evidenceId: string; checkKey: string }>();
    expect(result.checkKey).toBe('backups.restore_test');
    let detail = await getDetail(controlId);
    expect(detail.control.status).toBe('failing');
    expect(detail.control.statusReason).toContain('restore failed');
    expect(detail.checks[0]?.latestStatus).toBe('fail');
    const evidence = await t.pools.owner
      .selectFrom('evidence')
      .selectAll()
      .where('id', '=', result.evidenceId)
      .executeTakeFirstOrThrow();
    expect(evidence).toMatchObject({
      kind: 'check_result',
      lineage_id: result.evidenceId,
      version: 1,
      check_result_id: result.id,
      title: 'Backup restore test: fail',
      effective_from: todayUtc(),
      effective_to: todayUtc(),
      supplied_by_user_id: contributor.id,
    });
    expect(evidence.supplied_by.length).toBeGreaterThan(0);
    const links = await t.pools.owner
      .selectFrom('evidence_controls')
      .select('control_id')
      .where('evidence_id', '=', result.evidenceId)
      .execute();
    expect(links).toEqual([{ control_id: controlId }]);
    expect(detail.evidence.map((e) => e.id)).toContain(result.evidenceId);

    const passed = await report('pass');
    expect(passed.statusCode).toBe(201);
    detail = await getDetail(controlId);
    expect(detail.control.status).toBe('passing');
    const audit = await auditActionsOf(t, controlId);
    expect(audit.filter((a) => a === 'control.status_changed')).toHaveLength(2);

    const unknown = await report('pass', contributor, 'no.such-check');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ code: string }>().code).toBe('check.not_found');
    expect((await report('pass', auditor)).statusCode).toBe(403);
    const bad = await injectAs(
      t,
      contributor,
      'POST',
      '/api/v1/checks/backups.restore_test/results',
      { status: 'maybe' },
    );
    expect(bad.statusCode).toBe(400);
  });

  it('keeps a later result as the latest when an older one arrives', async () => {
    const post = (status: 'pass' | 'fail', observedAt: string) =>
      injectAs(t, contributor, 'POST', '/api/v1/checks/backups.restore_test/results', {
        status,
        observedAt,
      });
    const late = await post('fail', new Date(Date.now() - 3 * 86_400_000).toISOString());
    expect(late.statusCode).toBe(201);
    const detail = await getDetail(controlId);
    expect(detail.checks[0]?.latestStatus).toBe('pass');
    expect(detail.control.status).toBe('passing');
  });
});

describe('default controls of a new organisation', () => {
  it('seeds every default control with its requirements and checks', async () => {
    const org = await seedOrg(t);
    const owner = await seedUser(t, org, 'owner');
    const controls = await t.pools.owner.transaction().execute(async (tx) => {
      const ids = await seedBuiltinFramework(tx, org);
      return seedDefaultControls(tx, org, ids, owner.id);
    });
    expect(controls.size).toBe(defaultControls.length);
    const res = await listControls('', owner);
    const items = res.json<{ items: Control[] }>().items;
    expect(items).toHaveLength(defaultControls.length);
    const first = defaultControls[0];
    const seeded = items.find((c) => c.ref === first?.ref);
    expect(seeded).toMatchObject({
      title: first?.title,
      section: first?.section,
      owner: { id: owner.id },
      requirementCount: first?.requirementRefs.length,
      checkCount: first?.checks.length,
    });
    const keys = new Set(defaultControls.flatMap((c) => c.checks.map((k) => k.key)));
    const checks = await t.pools.owner
      .selectFrom('checks')
      .select('key')
      .where('org_id', '=', org)
      .execute();
    expect(new Set(checks.map((c) => c.key))).toEqual(keys);
    const links = await t.pools.owner
      .selectFrom('control_requirements')
      .select('control_id')
      .where('org_id', '=', org)
      .execute();
    expect(links).toHaveLength(defaultControls.reduce((n, c) => n + c.requirementRefs.length, 0));
  });
});

describe('paging the control list', () => {
  let pagedOrg: string;
  let pager: SeededUser;
  let owners: SeededUser[];
  const statuses = ['passing', 'failing', 'due', 'not_proved'] as const;

  interface Page {
    items: Control[];
    total: number;
    nextCursor: string | null;
  }

  async function page(query: string, user: SeededUser = pager) {
    const res = await injectAs(t, user, 'GET', `/api/v1/controls${query}`);
    return res;
  }

  /** Every page of a query, following the cursors. */
  async function walk(query: string, limit: number): Promise<{ pages: Page[]; refs: string[] }> {
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const joiner = query === '' ? '?' : `${query}&`;
      const after: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const res = await page(`${joiner}limit=${String(limit)}${after}`);
      expect(res.statusCode, res.body).toBe(200);
      const current = res.json<Page>();
      expect(current.items.length).toBeLessThanOrEqual(limit);
      pages.push(current);
      cursor = current.nextCursor;
    } while (cursor !== null);
    return { pages, refs: pages.flatMap((p) => p.items.map((c) => c.ref)) };
  }

  beforeAll(async () => {
    pagedOrg = await seedOrg(t, 'Paged Org');
    pager = await seedUser(t, pagedOrg, 'security_manager');
    owners = [await seedUser(t, pagedOrg, 'contributor'), pager];
    // 23 controls over 3 sections and none, with references that sort as numbers: P-1 .. P-23.
    for (let n = 1; n <= 23; n++) {
      const id = await seedControl(t, pagedOrg, {
        ref: `P-${String(n)}`,
        title: `Control ${String(24 - n)}${n === 7 ? ' backup' : ''}`,
        section: n % 4 === 0 ? null : (n % 3) + 1,
        ownerId: n % 5 === 0 ? null : (owners[n % 2]?.id ?? null),
      });
      await sql`UPDATE controls SET status = ${statuses[n % 4] ?? 'passing'},
        archived_at = ${n === 23 ? new Date() : null}
        WHERE id = ${id}`.execute(t.pools.owner);
    }
  });

  it('walks every live control once, in section then natural reference order, across pages', async () => {
    const { pages, refs } = await walk('', 5);
    expect(pages).toHaveLength(5);
    expect(pages.every((p) => p.total === 22)).toBe(true);
    expect(pages.at(-1)?.nextCursor).toBeNull();
    expect(new Set(refs).size).toBe(22);
    const all = (await page('?limit=500')).json<Page>();
    expect(all.nextCursor).toBeNull();
    expect(all.items.map((c) => c.ref)).toEqual(refs);
    const expected = all.items
      .map((c) => ({ section: c.section, ref: c.ref }))
      .sort(
        (a, b) =>
          (a.section ?? 99) - (b.section ?? 99) || Number(a.ref.slice(2)) - Number(b.ref.slice(2)),
      )
      .map((c) => c.ref);
    expect(refs).toEqual(expected);
    // The first page of the default list holds 50 and shows counts like the detail does.
    const first = (await page('')).json<Page>();
    expect(first.items).toHaveLength(22);
    expect(first.items[0]).toMatchObject({ requirementCount: 0, evidenceCount: 0 });
  });

  it('keeps its place when a control is added before the cursor', async () => {
    const first = (await page('?sort=ref&limit=10')).json<Page>();
    expect(first.items.map((c) => c.ref).slice(0, 3)).toEqual(['P-1', 'P-2', 'P-3']);
    expect(first.items.at(-1)?.ref).toBe('P-10');
    const added = await injectAs(t, pager, 'POST', '/api/v1/controls', {
      ref: 'P-0',
      title: 'Added meanwhile',
      section: 1,
    });
    expect(added.statusCode, added.body).toBe(201);
    const next = (
      await page(`?sort=ref&limit=10&cursor=${encodeURIComponent(first.nextCursor ?? '')}`)
    ).json<Page>();
    expect(next.items[0]?.ref).toBe('P-11');
    expect(next.total).toBe(23);
    const archived = await injectAs(
      t,
      pager,
      'PATCH',
      `/api/v1/controls/${added.json<Control>().id}`,
      { archived: true },
    );
    expect(archived.statusCode, archived.body).toBe(200);
  });

  it('sorts by title, status (worst first), owner and reference, both ways', async () => {
    const refs = async (query: string) => (await walk(query, 4)).refs;
    const byTitle = await refs('?sort=title');
    // Titles run "Control 1" (P-23, archived) .. "Control 23" (P-1), compared as numbers.
    expect(byTitle.slice(0, 3)).toEqual(['P-22', 'P-21', 'P-20']);
    expect(await refs('?sort=title&order=desc')).toEqual([...byTitle].reverse());
    const byStatus = (await walk('?sort=status', 6)).pages.flatMap((p) =>
      p.items.map((c) => c.status),
    );
    const rank = { failing: 0, due: 1, not_proved: 2, passing: 3 };
    expect(byStatus).toEqual([...byStatus].sort((a, b) => rank[a] - rank[b]));
    expect(byStatus[0]).toBe('failing');
    const byOwner = (await walk('?sort=owner&order=desc', 7)).pages.flatMap((p) =>
      p.items.map((c) => c.owner?.name ?? ''),
    );
    expect(byOwner).toEqual(
      [...byOwner].sort((a, b) => b.localeCompare(a, 'en', { numeric: true })),
    );
    expect(byOwner.at(-1)).toBe('');
    const byRef = await refs('?sort=ref&order=desc');
    expect(byRef.slice(0, 3)).toEqual(['P-22', 'P-21', 'P-20']);
    const byChange = await refs('?sort=changed');
    expect(new Set(byChange).size).toBe(22);
  });

  it('filters by section, status, owner, framework and text, with totals to match', async () => {
    const total = async (query: string) => (await page(query)).json<Page>().total;
    const check = async (query: string, keep: (c: Control) => boolean) => {
      const { refs } = await walk(query, 3);
      const everything = (await page('?limit=500')).json<Page>().items;
      expect(refs.sort()).toEqual(
        everything
          .filter(keep)
          .map((c) => c.ref)
          .sort(),
      );
      expect(await total(query)).toBe(refs.length);
    };
    await check('?section=2', (c) => c.section === 2);
    await check('?status=failing', (c) => c.status === 'failing');
    await check(`?ownerId=${owners[0]?.id ?? ''}`, (c) => c.owner?.id === owners[0]?.id);
    await check('?q=backup&sort=title', (c) => c.title.includes('backup'));
    await check('?section=3&status=passing&sort=status', (c) => {
      return c.section === 3 && c.status === 'passing';
    });
    expect(await total('?includeArchived=true')).toBe(24);
    const mapped = await t.pools.owner
      .transaction()
      .execute((tx) => seedBuiltinFramework(tx, pagedOrg));
    const linked = await t.pools.owner
      .selectFrom('controls')
      .select('id')
      .where('org_id', '=', pagedOrg)
      .where('ref', 'in', ['P-4', 'P-9'])
      .execute();
    await t.pools.owner
      .insertInto('control_requirements')
      .values(
        linked.map((c) => ({
          org_id: pagedOrg,
          control_id: c.id,
          requirement_id: mapped.get('2.1') ?? '',
        })),
      )
      .execute();
    const framework = await t.pools.owner
      .selectFrom('frameworks')
      .select('id')
      .where('org_id', '=', pagedOrg)
      .executeTakeFirstOrThrow();
    expect((await walk(`?frameworkId=${framework.id}`, 1)).refs).toEqual(['P-9', 'P-4']);
  });

  it('refuses bad paging and sorting, naming the field', async () => {
    const fieldOf = async (query: string) => {
      const res = await page(query);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      return JSON.stringify(res.json());
    };
    expect(await fieldOf('?limit=0')).toContain('limit');
    expect(await fieldOf('?limit=501')).toContain('limit');
    expect(await fieldOf('?limit=ten')).toContain('limit');
    expect(await fieldOf('?sort=colour')).toContain('sort');
    expect(await fieldOf('?order=sideways')).toContain('order');
    expect(await fieldOf('?cursor=not-a-cursor')).toContain('cursor');
    const first = (await page('?sort=title&limit=2')).json<Page>();
    // A cursor continues the order it was made for only.
    expect(
      await fieldOf(`?sort=ref&limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`),
    ).toContain('cursor');
    const forged = Buffer.from(
      JSON.stringify({ s: 'section', o: 'asc', k: ['x', 'P-1', 'not-a-uuid'] }),
    ).toString('base64url');
    expect(await fieldOf(`?cursor=${forged}`)).toContain('cursor');
    expect((await page('?limit=2', employee)).statusCode).toBe(403);
  });

  it('keeps each organisation to its own controls, and its cursors to its own rows', async () => {
    const mine = (await page('?limit=500')).json<Page>();
    expect(mine.items.every((c) => c.ref.startsWith('P-'))).toBe(true);
    const first = (await page('?limit=3')).json<Page>();
    const elsewhere = await injectAs(
      t,
      manager,
      'GET',
      `/api/v1/controls?limit=3&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
    );
    expect(elsewhere.statusCode).toBe(200);
    expect(elsewhere.json<Page>().items.some((c) => c.ref.startsWith('P-'))).toBe(false);
  });
});

describe('module records linked to a control', () => {
  interface LinkedRecord {
    kind: string;
    id: string;
    ref: string;
    title: string;
    status: string;
    path: string;
  }

  async function post<T>(user: SeededUser, url: string, payload: Record<string, unknown>) {
    const res = await t.http.inject({ method: 'POST', url, headers: bearer(user), payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<T>();
  }

  async function linkedRecords(user: SeededUser, controlId: string): Promise<LinkedRecord[]> {
    const res = await injectAs(t, user, 'GET', `/api/v1/controls/${controlId}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ linkedRecords: LinkedRecord[] }>().linkedRecords;
  }

  /** Create a policy and a risk linked to the control through their own APIs. */
  async function linkPolicyAndRisk(user: SeededUser, controlId: string, label: string) {
    const { policy } = await post<{ policy: { id: string } }>(user, '/api/v1/policies', {
      key: `linked-${label.toLowerCase()}`,
      title: `${label} access policy`,
      controlIds: [controlId],
    });
    const risk = await post<{ id: string; ref: string }>(user, '/api/v1/risks', {
      title: `${label} credentials leak`,
      category: 'Access',
      inherentLikelihood: 4,
      inherentImpact: 5,
      residualLikelihood: 2,
      residualImpact: 3,
    });
    await post(user, `/api/v1/risks/${risk.id}/controls`, { controlIds: [controlId] });
    return { policyId: policy.id, riskId: risk.id, riskRef: risk.ref };
  }

  it('lists the policies and risks linked to the control, never another org’s', async () => {
    const controlId = await seedControl(t, orgId, { title: 'Access is reviewed' });
    expect(await linkedRecords(auditor, controlId)).toEqual([]);

    const ours = await linkPolicyAndRisk(manager, controlId, 'Ours');

    const otherOrg = await seedOrg(t, 'Other Org');
    const otherManager = await seedUser(t, otherOrg, 'security_manager');
    const otherControlId = await seedControl(t, otherOrg, { title: 'Their control' });
    const theirs = await linkPolicyAndRisk(otherManager, otherControlId, 'Theirs');

    const records = await linkedRecords(auditor, controlId);
    expect(records).toEqual([
      {
        kind: 'policy',
        id: ours.policyId,
        ref: 'linked-ours',
        title: 'Ours access policy',
        status: 'Not published · v1 draft',
        path: `/policies/${ours.policyId}`,
      },
      {
        kind: 'risk',
        id: ours.riskId,
        ref: ours.riskRef,
        title: 'Ours credentials leak',
        status: 'Open · score 6',
        path: `/risks/${ours.riskId}`,
      },
    ]);
    const ids = records.map((r) => r.id);
    expect(ids).not.toContain(theirs.policyId);
    expect(ids).not.toContain(theirs.riskId);

    // The other org sees only its own records, and cannot read this org's control at all.
    expect((await linkedRecords(otherManager, otherControlId)).map((r) => r.id)).toEqual([
      theirs.policyId,
      theirs.riskId,
    ]);
    const foreign = await injectAs(t, otherManager, 'GET', `/api/v1/controls/${controlId}`);
    expect(foreign.statusCode).toBe(404);
  });

  it('drops a risk from the list once it is unlinked', async () => {
    const controlId = await seedControl(t, orgId, { title: 'Laptops are encrypted' });
    const risk = await post<{ id: string }>(manager, '/api/v1/risks', {
      title: 'Lost laptop',
      category: 'Devices',
      inherentLikelihood: 3,
      inherentImpact: 3,
    });
    await post(manager, `/api/v1/risks/${risk.id}/controls`, { controlIds: [controlId] });
    expect(await linkedRecords(auditor, controlId)).toMatchObject([
      { kind: 'risk', id: risk.id, status: 'Open · score 9' },
    ]);
    const unlink = await injectAs(
      t,
      manager,
      'DELETE',
      `/api/v1/risks/${risk.id}/controls/${controlId}`,
    );
    expect(unlink.statusCode, unlink.body).toBeLessThan(300);
    expect(await linkedRecords(auditor, controlId)).toEqual([]);
  });
});
