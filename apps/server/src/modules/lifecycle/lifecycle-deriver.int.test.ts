import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { createLifecycleDeriver, deriveBatchSize } from './lifecycle-deriver.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

/** People of the directory with their creation queued, as a process that stopped left them. */
async function queueNewPeople(orgId: string, count: number, prefix: string): Promise<string[]> {
  const people = await t.pools.owner
    .insertInto('people')
    .values(
      Array.from({ length: count }, (_, i) => ({
        org_id: orgId,
        display_name: `${prefix} ${String(i).padStart(4, '0')}`,
        email: `${prefix}${String(i)}@deriver.test`,
        source: 'manual' as const,
      })),
    )
    .returning('id')
    .execute();
  await t.pools.owner
    .insertInto('lifecycle_pending')
    .values(
      people.map((p) => ({
        org_id: orgId,
        person_id: p.id,
        kind: 'created',
        changes: JSON.stringify({ status: { from: null, to: 'active' } }),
      })),
    )
    .execute();
  return people.map((p) => p.id);
}

async function joinersOf(orgId: string) {
  return t.pools.owner
    .selectFrom('lifecycle_checklists')
    .select(['person_id', 'status'])
    .where('org_id', '=', orgId)
    .where('kind', '=', 'joiner')
    .execute();
}

async function pendingOf(orgId: string) {
  return t.pools.owner
    .selectFrom('lifecycle_pending')
    .select('id')
    .where('org_id', '=', orgId)
    .execute();
}

async function derivedEventsOf(orgId: string) {
  return t.pools.owner
    .selectFrom('audit_events')
    .select('changes')
    .where('org_id', '=', orgId)
    .where('action', '=', 'lifecycle.changes_derived')
    .orderBy('seq')
    .execute();
}

describe('the lifecycle deriver', () => {
  it('derives changes a stopped process left queued, in batches, once each', async () => {
    const orgId = await seedOrg(t, 'Deriver Batches');
    const ids = await queueNewPeople(orgId, deriveBatchSize + 40, 'batch');
    expect(await t.lifecycleDeriver.drain(orgId)).toBe(deriveBatchSize + 40);
    const joiners = await joinersOf(orgId);
    expect(joiners).toHaveLength(ids.length);
    expect(new Set(joiners.map((j) => j.person_id))).toEqual(new Set(ids));
    expect(await pendingOf(orgId)).toEqual([]);
    const batches = (await derivedEventsOf(orgId)).map((e) => e.changes);
    expect(batches).toEqual([
      expect.objectContaining({ changes: deriveBatchSize, checklistsOpened: deriveBatchSize }),
      expect.objectContaining({ changes: 40, checklistsOpened: 40 }),
    ]);
    // Nothing left: a second drain writes nothing, not even an audit event.
    expect(await t.lifecycleDeriver.drain(orgId)).toBe(0);
    expect(await derivedEventsOf(orgId)).toHaveLength(2);
  });

  it('lets one process at a time derive an org, so no change is derived twice', async () => {
    const orgId = await seedOrg(t, 'Deriver Processes');
    const ids = await queueNewPeople(orgId, 120, 'race');
    const errors: unknown[] = [];
    const other = createLifecycleDeriver({
      db: t.pools.app,
      auditWriter: t.auditWriter,
      onError: (error) => errors.push(error),
    });
    const [mine, theirs] = await Promise.all([t.lifecycleDeriver.drain(orgId), other.drain(orgId)]);
    expect(mine + theirs).toBe(120);
    expect(errors).toEqual([]);
    const joiners = await joinersOf(orgId);
    expect(joiners).toHaveLength(ids.length);
    expect(new Set(joiners.map((j) => j.person_id)).size).toBe(ids.length);
    expect(await pendingOf(orgId)).toEqual([]);
  });

  it('is caught up by the minute job for every org', async () => {
    const orgA = await seedOrg(t, 'Deriver Job A');
    const orgB = await seedOrg(t, 'Deriver Job B');
    await queueNewPeople(orgA, 4, 'joba');
    await queueNewPeople(orgB, 3, 'jobb');
    const job = t.jobs.find((j) => j.name === 'lifecycle.derive');
    if (!job) throw new Error('no lifecycle.derive job');
    await job.handler({});
    expect(await joinersOf(orgA)).toHaveLength(4);
    expect(await joinersOf(orgB)).toHaveLength(3);
    expect(await pendingOf(orgA)).toEqual([]);
    expect(await pendingOf(orgB)).toEqual([]);
  });

  it('keeps an org’s queue to itself', async () => {
    const orgA = await seedOrg(t, 'Deriver Org A');
    const orgB = await seedOrg(t, 'Deriver Org B');
    await queueNewPeople(orgA, 3, 'a');
    await queueNewPeople(orgB, 2, 'b');
    expect(await t.lifecycleDeriver.drain(orgA)).toBe(3);
    expect(await joinersOf(orgB)).toEqual([]);
    expect(await pendingOf(orgB)).toHaveLength(2);
    expect(await t.lifecycleDeriver.drain(orgB)).toBe(2);
    expect(await joinersOf(orgB)).toHaveLength(2);
  });
});
