import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { seedActor, seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { seedCheck, seedControl, seedTask } from '../../../test/program-factories.ts';
import { refreshControlStatuses } from './status-refresh.ts';

let t: TestApp;
let orgId: string;
const today = '2026-06-15';

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t);
});

afterAll(async () => {
  await t.close();
});

function refresh(ids: string[] | 'all') {
  const uow = createUnitOfWork({
    db: t.pools.app,
    auditWriter: t.auditWriter,
    orgId,
    actor: seedActor,
  });
  return uow.write(async ({ tx, audit }) => {
    const changes = await refreshControlStatuses({ tx, audit }, orgId, ids, { today });
    await audit({ action: 'program.status_recorded', targetType: 'org', targetId: orgId });
    return changes;
  });
}

async function addLinkEvidence(
  controlId: string,
  from: string,
  to: string,
  version = 1,
  lineageId?: string,
) {
  const id = randomUUID();
  await t.pools.owner
    .insertInto('evidence')
    .values({
      id,
      org_id: orgId,
      lineage_id: lineageId ?? id,
      version,
      kind: 'link',
      title: 'Access review record',
      url: 'https://example.test/review',
      collected_at: new Date(),
      effective_from: from,
      effective_to: to,
      supplied_by: 'test',
    })
    .execute();
  await t.pools.owner
    .insertInto('evidence_controls')
    .values({ org_id: orgId, evidence_id: id, control_id: controlId })
    .execute();
  return id;
}

async function statusOf(controlId: string) {
  return t.pools.owner
    .selectFrom('controls')
    .select(['status', 'status_reason'])
    .where('id', '=', controlId)
    .executeTakeFirstOrThrow();
}

describe('refreshControlStatuses', () => {
  it('turns an overdue control failing, then passing once evidence covers today, audited and recorded per day', async () => {
    const controlId = await seedControl(t, orgId, { ref: 'AC-05', section: 2 });
    await seedTask(t, orgId, controlId, { title: 'Access review', nextDueOn: '2026-04-01' });
    const first = await refresh([controlId]);
    expect(first).toEqual([
      expect.objectContaining({ controlId, from: 'not_proved', to: 'failing' }),
    ]);
    expect((await statusOf(controlId)).status_reason).toContain('"Access review" is overdue');

    const lineage = await addLinkEvidence(controlId, '2026-01-01', '2026-03-01');
    expect(await refresh([controlId])).toEqual([]);
    await addLinkEvidence(controlId, '2026-06-01', '2026-12-31', 2, lineage);
    const second = await refresh([controlId]);
    expect(second).toEqual([expect.objectContaining({ from: 'failing', to: 'passing' })]);

    const events = await t.pools.owner
      .selectFrom('audit_events')
      .select(['action', 'changes'])
      .where('org_id', '=', orgId)
      .where('action', '=', 'control.status_changed')
      .orderBy('seq')
      .execute();
    expect(events.map((e) => (e.changes as { to: string }).to)).toEqual(['failing', 'passing']);

    const day = await t.pools.owner
      .selectFrom('control_status_days')
      .select(['status'])
      .where('control_id', '=', controlId)
      .where('day', '=', today)
      .executeTakeFirstOrThrow();
    expect(day.status).toBe('passing');
  });

  it('ignores superseded versions: a newer version that does not cover today removes coverage', async () => {
    const controlId = await seedControl(t, orgId, { ref: 'ENC-09', section: 3 });
    const lineage = await addLinkEvidence(controlId, '2026-06-01', '2026-12-31');
    expect(await refresh([controlId])).toEqual([
      expect.objectContaining({ controlId, to: 'passing' }),
    ]);
    await addLinkEvidence(controlId, '2025-01-01', '2025-12-31', 2, lineage);
    expect(await refresh([controlId])).toEqual([
      expect.objectContaining({ controlId, from: 'passing', to: 'not_proved' }),
    ]);
  });

  it('follows check results and rolls readiness up per section', async () => {
    const a = await seedControl(t, orgId, { ref: 'NET-01', section: 4 });
    const b = await seedControl(t, orgId, { ref: 'NET-02', section: 4 });
    const checkId = await seedCheck(t, orgId, 'network.segmented', [a]);
    await addLinkEvidence(b, '2026-01-01', '2026-12-31');
    await t.pools.owner
      .updateTable('checks')
      .set({
        latest_status: 'fail',
        latest_summary: 'flat network',
        latest_observed_at: new Date(),
      })
      .where('id', '=', checkId)
      .execute();
    await refresh('all');
    expect((await statusOf(a)).status).toBe('failing');
    expect((await statusOf(b)).status).toBe('passing');
    const section = await t.pools.owner
      .selectFrom('readiness_days')
      .select(['passing', 'total'])
      .where('org_id', '=', orgId)
      .where('scope', '=', 'section:4')
      .where('day', '=', today)
      .executeTakeFirstOrThrow();
    expect(section).toEqual({ passing: 1, total: 2 });
  });
});
