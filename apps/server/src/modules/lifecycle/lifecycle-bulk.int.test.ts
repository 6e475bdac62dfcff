import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { bearer, seedActor, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { deriveFromPersonChanges } from './index.ts';

let t: TestApp;
let orgId: string;
let manager: SeededUser;

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t, 'Bulk Lifecycle Org');
  manager = await seedUser(t, orgId, 'admin');
});

afterAll(async () => {
  await t.close();
});

async function importCsv(csv: string): Promise<void> {
  const boundary = `----csv${randomUUID()}`;
  const res = await t.http.inject({
    method: 'POST',
    url: '/api/v1/people/import',
    headers: { ...bearer(manager), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
  });
  expect(res.statusCode, res.body).toBe(200);
}

async function checklists(kind: string) {
  return t.pools.owner
    .selectFrom('lifecycle_checklists as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .innerJoin('lifecycle_events as e', 'e.id', 'c.event_id')
    .select(['c.id', 'c.status', 'c.cancel_reason', 'p.email', 'p.id as person_id', 'e.change_seq'])
    .where('c.org_id', '=', orgId)
    .where('c.kind', '=', kind)
    .orderBy('p.email')
    .execute();
}

describe('checklists opened for many people at once', () => {
  it('opens one joiner checklist per person of an import, with the items that apply to each', async () => {
    const rows = Array.from(
      { length: 25 },
      (_, i) =>
        `person${String(i).padStart(2, '0')}@bulk.test,Person ${String(i)},${i % 2 === 0 ? 'intern' : 'employee'}`,
    );
    await importCsv(`email,name,employment_type\n${rows.join('\n')}\n`);
    const joiners = await checklists('joiner');
    expect(joiners).toHaveLength(25);
    expect(new Set(joiners.map((c) => c.status))).toEqual(new Set(['open']));
    // Each event points at the person's own directory change.
    const changes = await t.pools.owner
      .selectFrom('person_changes')
      .select(['person_id', 'seq'])
      .where('org_id', '=', orgId)
      .execute();
    const changeOf = new Map(changes.map((c) => [c.person_id, c.seq]));
    for (const c of joiners) expect(c.change_seq).toBe(changeOf.get(c.person_id));
    // Screening applies to employees, not interns (the default joiner template).
    const counts = await t.pools.owner
      .selectFrom('lifecycle_items as i')
      .innerJoin('lifecycle_checklists as c', 'c.id', 'i.checklist_id')
      .innerJoin('people as p', 'p.id', 'c.person_id')
      .select(['p.employment_type', (eb) => eb.fn.countAll<string>().as('n')])
      .where('c.org_id', '=', orgId)
      .groupBy(['p.id', 'p.employment_type'])
      .execute();
    const byType = (type: string) =>
      new Set(counts.filter((c) => c.employment_type === type).map((c) => Number(c.n)));
    expect(byType('employee').size).toBe(1);
    expect(byType('intern').size).toBe(1);
    expect([...byType('employee')][0]).toBeGreaterThan([...byType('intern')][0] ?? 0);
    // More than 20 at once: one audit event names them all.
    const events = await t.pools.owner
      .selectFrom('audit_events')
      .select(['action', 'changes'])
      .where('org_id', '=', orgId)
      .where('action', 'in', ['lifecycle.checklists_opened', 'lifecycle.checklist_opened'])
      .execute();
    expect(events).toEqual([
      {
        action: 'lifecycle.checklists_opened',
        changes: { count: 25, byKind: { joiner: 25, mover: 0, leaver: 0 } },
      },
    ]);
  });

  it('applies several changes of one person in order: leaving, then returning', async () => {
    const person = await t.pools.owner
      .selectFrom('people')
      .select('id')
      .where('email', '=', 'person00@bulk.test')
      .executeTakeFirstOrThrow();
    const uow = createUnitOfWork({
      db: t.pools.app,
      auditWriter: t.auditWriter,
      orgId,
      actor: seedActor,
    });
    await uow.write((scope) =>
      deriveFromPersonChanges(scope, orgId, [
        { personId: person.id, kind: 'deactivated', changes: {} },
        { personId: person.id, kind: 'reactivated', changes: {} },
      ]),
    );
    const mine = async (kind: string) =>
      (await checklists(kind)).filter((c) => c.person_id === person.id);
    // The joiner checklist of the import ended when they left; the leaver one when they returned.
    expect((await mine('leaver')).map((c) => [c.status, c.cancel_reason])).toEqual([
      ['cancelled', 'The person returned'],
    ]);
    expect((await mine('joiner')).map((c) => [c.status, c.cancel_reason]).sort()).toEqual([
      ['cancelled', 'The person left'],
      ['open', null],
    ]);
  });
});
