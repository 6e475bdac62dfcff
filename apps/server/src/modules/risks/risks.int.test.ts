import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import {
  seedActor,
  seedOrg,
  seedUser,
  injectAs,
  statusAs,
  type SeededUser,
} from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { controlStatusOf, latestCheckOf } from '../../../test/record-queries.ts';
import { seedCheck, seedControl } from '../../../test/program-factories.ts';
import { addDays, addMonths, todayUtc } from '../controls/index.ts';
import { countOpenHighRisks, runRiskDay } from './index.ts';

interface Risk {
  id: string;
  ref: string;
  title: string;
  status: string;
  treatment: string;
  score: number;
  band: string;
  inherentScore: number;
  residualScore: number | null;
  reviewOn: string;
  lastReviewedOn: string | null;
  isReviewOverdue: boolean;
  isTreatmentOverdue: boolean;
  acceptance: { id: string; status: string; expiresOn: string } | null;
  controlCount: number;
  owner: { id: string } | null;
}

interface RiskDetail extends Risk {
  description: string;
  controls: { id: string; ref: string }[];
  acceptances: { id: string; status: string }[];
  history: {
    kind: string;
    changes: Record<string, { from: unknown; to: unknown }>;
    note: string;
    actor: { userId: string | null };
  }[];
}

interface Acceptance {
  id: string;
  riskId: string;
  status: string;
  expiresOn: string;
  requestedBy: { id: string } | null;
  decidedBy: { id: string } | null;
}

interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}

let t: TestApp;
let orgA: string;
let orgB: string;
let owner: SeededUser;
let admin: SeededUser;
let manager: SeededUser;
let contributor: SeededUser;
let auditor: SeededUser;
let employee: SeededUser;
let adminB: SeededUser;
let checkedControl: string;
let otherControl: string;
let reviewControl: string;
let assessmentControl: string;
const today = todayUtc();

beforeAll(async () => {
  t = await createTestApp();
  orgA = await seedOrg(t, 'Acme Cloud');
  orgB = await seedOrg(t);
  owner = await seedUser(t, orgA, 'owner');
  admin = await seedUser(t, orgA, 'admin');
  manager = await seedUser(t, orgA, 'security_manager');
  contributor = await seedUser(t, orgA, 'contributor');
  auditor = await seedUser(t, orgA, 'auditor');
  employee = await seedUser(t, orgA, 'employee');
  adminB = await seedUser(t, orgB, 'admin');
  checkedControl = await seedControl(t, orgA, { ref: 'GOV-03', title: 'Risk register' });
  otherControl = await seedControl(t, orgA, { ref: 'ACC-01', title: 'Access control' });
  reviewControl = await seedControl(t, orgA, { ref: 'GOV-03R', title: 'Register review' });
  assessmentControl = await seedControl(t, orgA, { ref: 'GOV-03A', title: 'Risk assessment' });
  await seedCheck(t, orgA, 'risks.acceptances_current', [checkedControl]);
  await seedCheck(t, orgA, 'risks.treatments_on_track', [checkedControl]);
  for (const [key, controlId, cadence] of [
    ['risks.register_review', reviewControl, 3],
    ['risks.annual_assessment', assessmentControl, 12],
  ] as const) {
    await t.pools.owner
      .insertInto('evidence_tasks')
      .values({
        org_id: orgA,
        control_id: controlId,
        key,
        title:
          key === 'risks.register_review'
            ? 'Quarterly risk register review'
            : 'Annual risk assessment',
        cadence_months: cadence,
        grace_days: 14,
        next_due_on: addDays(today, -1),
      })
      .execute();
  }
});

afterAll(async () => {
  await t.close();
});

async function call(
  user: SeededUser,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  return injectAs(t, user, method, url, payload);
}

async function createRisk(
  values: Record<string, unknown> = {},
  user = manager,
): Promise<RiskDetail> {
  const res = await call(user, 'POST', '/api/v1/risks', {
    title: 'Stolen laptop exposes customer data',
    category: 'Data protection',
    inherentLikelihood: 3,
    inherentImpact: 4,
    ...values,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<RiskDetail>();
}

async function auditEvents(action: string, targetId?: string) {
  let query = t.pools.owner
    .selectFrom('audit_events')
    .select(['target_id', 'changes'])
    .where('org_id', '=', orgA)
    .where('action', '=', action);
  if (targetId) query = query.where('target_id', '=', targetId);
  return query.orderBy('seq').execute();
}

function jobDeps() {
  return { db: t.pools.app, auditWriter: t.auditWriter };
}

describe('creating risks', () => {
  it('gives refs in order, records the creation in history and the audit log', async () => {
    const first = await createRisk({ ownerUserId: manager.id, controlIds: [otherControl] });
    const second = await createRisk({ title: 'Phishing leads to account takeover' });
    expect(first.ref).toBe('R-001');
    expect(second.ref).toBe('R-002');
    expect(first.owner?.id).toBe(manager.id);
    expect(first.score).toBe(12);
    expect(first.band).toBe('significant');
    expect(first.status).toBe('open');
    expect(first.treatment).toBe('mitigate');
    expect(first.reviewOn).toBe(addMonths(today, 12));
    expect(first.controls.map((c) => c.id)).toEqual([otherControl]);
    expect(first.history).toHaveLength(1);
    expect(first.history[0]?.kind).toBe('created');
    expect(first.history[0]?.changes.inherentLikelihood).toEqual({ from: null, to: 3 });
    expect(first.history[0]?.actor.userId).toBe(manager.id);
    const events = await auditEvents('risk.created', first.id);
    expect(events).toHaveLength(1);
    const rows = await t.pools.owner
      .selectFrom('risk_changes')
      .select('kind')
      .where('risk_id', '=', first.id)
      .execute();
    expect(rows).toEqual([{ kind: 'created' }]);
  });

  it('feeds both register checks, which turn the control passing', async () => {
    expect((await latestCheckOf(t, orgA, 'risks.acceptances_current')).latest_status).toBe('pass');
    expect((await latestCheckOf(t, orgA, 'risks.treatments_on_track')).latest_status).toBe('pass');
    expect(await controlStatusOf(t, checkedControl)).toBe('passing');
  });

  it('refuses ratings out of range, naming the field', async () => {
    for (const [field, value] of [
      ['inherentLikelihood', 0],
      ['inherentLikelihood', 6],
      ['inherentImpact', 6],
      ['residualLikelihood', 0],
      ['inherentImpact', 2.5],
    ] as const) {
      const res = await call(manager, 'POST', '/api/v1/risks', {
        title: 'Out of range',
        category: 'Infrastructure',
        inherentLikelihood: 3,
        inherentImpact: 3,
        ...(field.startsWith('residual') ? { residualImpact: 2 } : {}),
        [field]: value,
      });
      expect(res.statusCode, res.body).toBe(400);
      const problem = res.json<Problem>();
      expect(problem.code).toBe('request.invalid');
      expect(problem.errors?.map((e) => e.path)).toContain(field);
    }
    const count = await t.pools.owner
      .selectFrom('risks')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('title', '=', 'Out of range')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('refuses one residual rating without the other, unknown owners and controls', async () => {
    const base = { title: 'Bad', category: 'People', inherentLikelihood: 2, inherentImpact: 2 };
    const half = await call(manager, 'POST', '/api/v1/risks', { ...base, residualLikelihood: 2 });
    expect(half.statusCode).toBe(400);
    expect(half.json<Problem>().errors?.[0]?.path).toBe('residualImpact');
    const noOwner = await call(manager, 'POST', '/api/v1/risks', {
      ...base,
      ownerUserId: adminB.id,
    });
    expect(noOwner.statusCode).toBe(400);
    expect(noOwner.json<Problem>().errors?.[0]?.path).toBe('ownerUserId');
    const noControl = await call(manager, 'POST', '/api/v1/risks', {
      ...base,
      controlIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(noControl.statusCode).toBe(400);
    expect(noControl.json<Problem>().errors?.[0]?.path).toBe('controlIds.0');
    const missing = await call(manager, 'POST', '/api/v1/risks', { title: 'x' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<Problem>().errors?.map((e) => e.path)).toEqual(
      expect.arrayContaining(['category', 'inherentLikelihood', 'inherentImpact']),
    );
  });

  it('is refused to roles without risks.manage', async () => {
    for (const user of [contributor, auditor, employee]) {
      const res = await call(user, 'POST', '/api/v1/risks', {
        title: 'No',
        category: 'People',
        inherentLikelihood: 1,
        inherentImpact: 1,
      });
      expect(res.statusCode).toBe(403);
    }
  });
});

describe('the register list', () => {
  let high: RiskDetail;
  let low: RiskDetail;

  beforeAll(async () => {
    high = await createRisk({
      title: 'Ransomware encrypts production',
      category: 'Infrastructure',
      inherentLikelihood: 4,
      inherentImpact: 5,
      treatment: 'transfer',
    });
    low = await createRisk({
      title: 'Office badge reader fails',
      category: 'Physical',
      inherentLikelihood: 2,
      inherentImpact: 2,
      treatment: 'avoid',
      residualLikelihood: 1,
      residualImpact: 1,
    });
  });

  it('sorts by score by default and filters by band, treatment, category and text', async () => {
    const all = await call(auditor, 'GET', '/api/v1/risks');
    expect(all.statusCode).toBe(200);
    const page = all.json<{ items: Risk[]; total: number }>();
    expect(page.items[0]?.id).toBe(high.id);
    expect(page.items.at(-1)?.id).toBe(low.id);
    expect(page.total).toBe(page.items.length);

    const byBand = await call(auditor, 'GET', '/api/v1/risks?band=high');
    expect(byBand.json<{ items: Risk[] }>().items.map((r) => r.id)).toEqual([high.id]);
    const byTreatment = await call(auditor, 'GET', '/api/v1/risks?treatment=avoid,transfer');
    expect(
      byTreatment
        .json<{ items: Risk[] }>()
        .items.map((r) => r.id)
        .sort(),
    ).toEqual([high.id, low.id].sort());
    const byCategory = await call(auditor, 'GET', '/api/v1/risks?category=physical');
    expect(byCategory.json<{ items: Risk[] }>().items.map((r) => r.id)).toEqual([low.id]);
    const byText = await call(auditor, 'GET', '/api/v1/risks?q=ransom');
    expect(byText.json<{ items: Risk[] }>().items.map((r) => r.id)).toEqual([high.id]);
    const byRef = await call(auditor, 'GET', '/api/v1/risks?sort=ref&order=asc&limit=2');
    const refs = byRef.json<{ items: Risk[]; total: number }>();
    expect(refs.items.map((r) => r.ref)).toEqual(['R-001', 'R-002']);
    expect(refs.total).toBeGreaterThanOrEqual(4);
    const byOwner = await call(auditor, 'GET', `/api/v1/risks?ownerUserId=${manager.id}`);
    expect(byOwner.json<{ items: Risk[] }>().items.map((r) => r.ref)).toEqual(['R-001']);
  });

  it('filters by heat-map cell: residual cells place unrated risks at their inherent cell', async () => {
    const inherent = await call(
      auditor,
      'GET',
      '/api/v1/risks?heat=inherent&likelihood=2&impact=2',
    );
    expect(inherent.json<{ items: Risk[] }>().items.map((r) => r.id)).toEqual([low.id]);
    const residual = await call(
      auditor,
      'GET',
      '/api/v1/risks?heat=residual&likelihood=1&impact=1',
    );
    expect(residual.json<{ items: Risk[] }>().items.map((r) => r.id)).toEqual([low.id]);
    const unrated = await call(auditor, 'GET', '/api/v1/risks?heat=residual&likelihood=4&impact=5');
    expect(unrated.json<{ items: Risk[] }>().items.map((r) => r.id)).toEqual([high.id]);
  });

  it('refuses unknown filters and values', async () => {
    const badBand = await call(auditor, 'GET', '/api/v1/risks?band=extreme');
    expect(badBand.statusCode).toBe(400);
    const badSort = await call(auditor, 'GET', '/api/v1/risks?sort=owner');
    expect(badSort.statusCode).toBe(400);
    expect(badSort.json<Problem>().errors?.[0]?.path).toBe('querystring.sort');
    const unknown = await call(auditor, 'GET', '/api/v1/risks?colour=red');
    expect(unknown.statusCode).toBe(400);
  });

  it('is refused to employees', async () => {
    expect(await statusAs(t, employee, 'GET', '/api/v1/risks')).toBe(403);
  });

  it('gives the heat map of live risks, inherent and residual', async () => {
    const res = await call(contributor, 'GET', '/api/v1/risks/heat-map');
    expect(res.statusCode).toBe(200);
    const map = res.json<{
      inherent: number[][];
      residual: number[][];
      unrated: number;
      total: number;
      openHigh: number;
    }>();
    expect(map.inherent[3]?.[4]).toBe(1);
    expect(map.residual[0]?.[0]).toBe(1);
    expect(map.inherent[1]?.[1]).toBe(1);
    expect(map.residual[1]?.[1]).toBe(0);
    const sum = (grid: number[][]) => grid.flat().reduce((a, b) => a + b, 0);
    expect(sum(map.inherent)).toBe(map.total);
    expect(sum(map.residual)).toBe(map.total);
    expect(map.openHigh).toBe(1);
    expect(await statusAs(t, employee, 'GET', '/api/v1/risks/heat-map')).toBe(403);
  });

  it('exports the register as CSV with the same filters, formula cells neutralised', async () => {
    await createRisk({ title: '=HYPERLINK("x")', category: 'Compliance' });
    const res = await call(auditor, 'GET', '/api/v1/risks/export?sort=ref&order=asc');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toContain('ref,title,category,status');
    expect(lines[1]).toMatch(/^R-001,/);
    expect(res.body).not.toContain(',=HYPERLINK');
    const filtered = await call(auditor, 'GET', '/api/v1/risks/export?band=high');
    expect(filtered.body.trim().split('\r\n')).toHaveLength(2);
    expect(await statusAs(t, employee, 'GET', '/api/v1/risks/export')).toBe(403);
  });

  it('counts open high risks for the management review', async () => {
    const uow = createUnitOfWork({
      db: t.pools.app,
      auditWriter: t.auditWriter,
      orgId: orgA,
      actor: seedActor,
    });
    expect(await uow.read((tx) => countOpenHighRisks(tx))).toBe(1);
    const rated = await call(manager, 'PATCH', `/api/v1/risks/${high.id}`, {
      residualLikelihood: 2,
      residualImpact: 5,
    });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(await uow.read((tx) => countOpenHighRisks(tx))).toBe(0);
    const uowB = createUnitOfWork({
      db: t.pools.app,
      auditWriter: t.auditWriter,
      orgId: orgB,
      actor: seedActor,
    });
    expect(await uowB.read((tx) => countOpenHighRisks(tx))).toBe(0);
  });
});

describe('risk detail and updates', () => {
  it('records each changed field with before and after, and the note', async () => {
    const risk = await createRisk();
    const res = await call(manager, 'PATCH', `/api/v1/risks/${risk.id}`, {
      inherentImpact: 5,
      residualLikelihood: 2,
      residualImpact: 3,
      title: risk.title,
      note: 'Laptops now encrypted',
    });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json<RiskDetail>();
    expect(detail.score).toBe(6);
    expect(detail.inherentScore).toBe(15);
    expect(detail.history[0]?.kind).toBe('updated');
    expect(detail.history[0]?.note).toBe('Laptops now encrypted');
    expect(detail.history[0]?.changes).toEqual({
      inherentImpact: { from: 4, to: 5 },
      residualLikelihood: { from: null, to: 2 },
      residualImpact: { from: null, to: 3 },
    });
    const again = await call(manager, 'PATCH', `/api/v1/risks/${risk.id}`, { inherentImpact: 5 });
    expect(again.json<RiskDetail>().history).toHaveLength(2);
    const got = await call(auditor, 'GET', `/api/v1/risks/${risk.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json<RiskDetail>().history.map((h) => h.kind)).toEqual(['updated', 'created']);
    expect((await auditEvents('risk.updated', risk.id)).length).toBe(1);
  });

  it('refuses a rating out of range, unknown fields, and a lone residual rating', async () => {
    const risk = await createRisk();
    const six = await call(manager, 'PATCH', `/api/v1/risks/${risk.id}`, { residualImpact: 6 });
    expect(six.statusCode).toBe(400);
    expect(six.json<Problem>().errors?.[0]?.path).toBe('residualImpact');
    const lone = await call(manager, 'PATCH', `/api/v1/risks/${risk.id}`, { residualImpact: 2 });
    expect(lone.statusCode).toBe(400);
    expect(lone.json<Problem>().errors?.[0]?.path).toBe('residualLikelihood');
    const accepted = await call(manager, 'PATCH', `/api/v1/risks/${risk.id}`, {
      status: 'accepted',
    });
    expect(accepted.statusCode).toBe(400);
    const unknown = await call(manager, 'PATCH', `/api/v1/risks/${risk.id}`, { score: 3 });
    expect(unknown.statusCode).toBe(400);
    const detail = await call(auditor, 'GET', `/api/v1/risks/${risk.id}`);
    expect(detail.json<RiskDetail>().history).toHaveLength(1);
  });

  it('closes a risk, then refuses changes until it is reopened', async () => {
    const risk = await createRisk();
    const closed = await call(manager, 'PATCH', `/api/v1/risks/${risk.id}`, { status: 'closed' });
    expect(closed.json<RiskDetail>().status).toBe('closed');
    const edit = await call(manager, 'PATCH', `/api/v1/risks/${risk.id}`, { title: 'Changed' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json<Problem>().code).toBe('risk.closed');
    const review = await call(manager, 'POST', `/api/v1/risks/${risk.id}/reviews`, {});
    expect(review.statusCode).toBe(409);
    const reopened = await call(manager, 'PATCH', `/api/v1/risks/${risk.id}`, {
      status: 'open',
      title: 'Changed',
    });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json<RiskDetail>().title).toBe('Changed');
  });

  it('answers 404 for an unknown risk and is refused without risks.manage', async () => {
    const absent = '00000000-0000-4000-8000-000000000000';
    expect(await statusAs(t, auditor, 'GET', `/api/v1/risks/${absent}`)).toBe(404);
    expect(await statusAs(t, manager, 'PATCH', `/api/v1/risks/${absent}`, { title: 'x' })).toBe(
      404,
    );
    const risk = await createRisk();
    expect(await statusAs(t, auditor, 'PATCH', `/api/v1/risks/${risk.id}`, { title: 'x' })).toBe(
      403,
    );
    expect(await statusAs(t, employee, 'GET', `/api/v1/risks/${risk.id}`)).toBe(403);
  });

  it('links and unlinks controls, with history', async () => {
    const risk = await createRisk();
    const linked = await call(manager, 'POST', `/api/v1/risks/${risk.id}/controls`, {
      controlIds: [otherControl, checkedControl, otherControl],
    });
    expect(linked.statusCode, linked.body).toBe(200);
    const detail = linked.json<RiskDetail>();
    expect(detail.controls.map((c) => c.ref)).toEqual(['ACC-01', 'GOV-03']);
    expect(detail.controlCount).toBe(2);
    expect(detail.history[0]?.kind).toBe('controls_linked');
    const unlinked = await call(
      manager,
      'DELETE',
      `/api/v1/risks/${risk.id}/controls/${otherControl}`,
    );
    expect(unlinked.statusCode, unlinked.body).toBe(200);
    expect(unlinked.json<RiskDetail>().controls.map((c) => c.ref)).toEqual(['GOV-03']);
    expect(unlinked.json<RiskDetail>().history[0]?.kind).toBe('control_unlinked');
    const relinked = await call(manager, 'POST', `/api/v1/risks/${risk.id}/controls`, {
      controlIds: [checkedControl],
    });
    expect(relinked.statusCode, relinked.body).toBe(200);
    expect(relinked.json<RiskDetail>().history).toHaveLength(3);
    const twice = await call(
      manager,
      'DELETE',
      `/api/v1/risks/${risk.id}/controls/${otherControl}`,
    );
    expect(twice.statusCode).toBe(400);
    const empty = await call(manager, 'POST', `/api/v1/risks/${risk.id}/controls`, {
      controlIds: [],
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<Problem>().errors?.[0]?.path).toBe('controlIds');
    const forbidden = await call(contributor, 'POST', `/api/v1/risks/${risk.id}/controls`, {
      controlIds: [otherControl],
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it('keeps the history append-only in the database', async () => {
    await expect(
      t.pools.owner.updateTable('risk_changes').set({ note: 'rewritten' }).execute(),
    ).rejects.toThrow(/append-only/);
  });
});

describe('reviews and the review cadence', () => {
  it('records a dated review even when nothing changes, moving the date by the cadence', async () => {
    const risk = await createRisk({ reviewOn: addDays(today, 10) });
    const res = await call(manager, 'POST', `/api/v1/risks/${risk.id}/reviews`, {
      note: 'No change this quarter',
    });
    expect(res.statusCode, res.body).toBe(201);
    const detail = res.json<RiskDetail>();
    expect(detail.reviewOn).toBe(addMonths(today, 12));
    expect(detail.lastReviewedOn).toBe(today);
    expect(detail.history[0]?.kind).toBe('reviewed');
    expect(detail.history[0]?.note).toBe('No change this quarter');
    expect((await auditEvents('risk.reviewed', risk.id)).length).toBe(1);

    const settings = await call(manager, 'PUT', '/api/v1/risks/settings', {
      reviewCadenceMonths: 6,
    });
    expect(settings.statusCode).toBe(200);
    const second = await call(manager, 'POST', `/api/v1/risks/${risk.id}/reviews`, {});
    expect(second.json<RiskDetail>().reviewOn).toBe(addMonths(today, 6));
    const read = await call(auditor, 'GET', '/api/v1/risks/settings');
    expect(read.json<{ reviewCadenceMonths: number }>().reviewCadenceMonths).toBe(6);
    await call(manager, 'PUT', '/api/v1/risks/settings', { reviewCadenceMonths: 12 });
  });

  it('refuses a cadence out of range and callers without the permission', async () => {
    const bad = await call(manager, 'PUT', '/api/v1/risks/settings', { reviewCadenceMonths: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors?.[0]?.path).toBe('reviewCadenceMonths');
    expect(
      await statusAs(t, auditor, 'PUT', '/api/v1/risks/settings', { reviewCadenceMonths: 6 }),
    ).toBe(403);
    const risk = await createRisk();
    expect(await statusAs(t, auditor, 'POST', `/api/v1/risks/${risk.id}/reviews`, {})).toBe(403);
  });

  it('fails the treatments check on an overdue review or treatment, and passes once fixed', async () => {
    const risk = await createRisk({ treatmentDueOn: addDays(today, 30) });
    await t.pools.owner
      .updateTable('risks')
      .set({ review_on: addDays(today, -1) })
      .where('id', '=', risk.id)
      .execute();
    await runRiskDay(jobDeps(), orgA);
    const failed = await latestCheckOf(t, orgA, 'risks.treatments_on_track');
    expect(failed.latest_status).toBe('fail');
    expect(failed.latest_summary).toBe(`Review overdue: ${risk.ref}`);
    expect(await controlStatusOf(t, checkedControl)).toBe('failing');
    const listed = await call(auditor, 'GET', '/api/v1/risks?overdue=true');
    expect(listed.json<{ items: Risk[] }>().items.map((r) => r.id)).toEqual([risk.id]);

    await call(manager, 'POST', `/api/v1/risks/${risk.id}/reviews`, {});
    expect((await latestCheckOf(t, orgA, 'risks.treatments_on_track')).latest_status).toBe('pass');
    expect(await controlStatusOf(t, checkedControl)).toBe('passing');

    await t.pools.owner
      .updateTable('risks')
      .set({ treatment_due_on: addDays(today, -2) })
      .where('id', '=', risk.id)
      .execute();
    await runRiskDay(jobDeps(), orgA);
    expect((await latestCheckOf(t, orgA, 'risks.treatments_on_track')).latest_summary).toContain(
      `Treatment overdue: ${risk.ref}`,
    );
    const done = await call(manager, 'PATCH', `/api/v1/risks/${risk.id}`, {
      treatmentCompletedOn: today,
    });
    expect(done.json<RiskDetail>().isTreatmentOverdue).toBe(false);
    expect((await latestCheckOf(t, orgA, 'risks.treatments_on_track')).latest_status).toBe('pass');
  });
});

describe('risk acceptances', () => {
  let risk: RiskDetail;
  let acceptance: Acceptance;

  beforeAll(async () => {
    risk = await createRisk({
      title: 'Legacy TLS on the partner endpoint',
      treatment: 'accept',
      controlIds: [checkedControl],
    });
  });

  it('refuses an expiry in the past or more than a year away, naming the field', async () => {
    for (const expiresOn of [today, addDays(addMonths(today, 12), 1)]) {
      const res = await call(admin, 'POST', `/api/v1/risks/${risk.id}/acceptances`, {
        justification: 'The partner retires the endpoint next year.',
        expiresOn,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json<Problem>().errors?.[0]?.path).toBe('expiresOn');
    }
    const short = await call(admin, 'POST', `/api/v1/risks/${risk.id}/acceptances`, {
      justification: 'ok',
      expiresOn: addMonths(today, 6),
    });
    expect(short.statusCode).toBe(400);
    expect(short.json<Problem>().errors?.[0]?.path).toBe('justification');
    expect(
      await statusAs(t, contributor, 'POST', `/api/v1/risks/${risk.id}/acceptances`, {
        justification: 'The partner retires the endpoint next year.',
        expiresOn: addMonths(today, 6),
      }),
    ).toBe(403);
  });

  it('records a request, one pending at a time', async () => {
    const res = await call(admin, 'POST', `/api/v1/risks/${risk.id}/acceptances`, {
      justification: 'The partner retires the endpoint next year.',
      expiresOn: addMonths(today, 12),
    });
    expect(res.statusCode, res.body).toBe(201);
    acceptance = res.json<Acceptance>();
    expect(acceptance.status).toBe('pending');
    expect(acceptance.requestedBy?.id).toBe(admin.id);
    const again = await call(manager, 'POST', `/api/v1/risks/${risk.id}/acceptances`, {
      justification: 'Asking a second time for the same risk.',
      expiresOn: addMonths(today, 3),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<Problem>().code).toBe('risk.acceptance_pending');
    const pending = await call(auditor, 'GET', '/api/v1/risks/acceptances?status=pending');
    expect(pending.json<{ items: Acceptance[] }>().items.map((a) => a.id)).toEqual([acceptance.id]);
  });

  it('never lets the requester decide, nor anyone without the executive permission', async () => {
    const own = await call(admin, 'POST', `/api/v1/risks/acceptances/${acceptance.id}/approve`, {});
    expect(own.statusCode).toBe(403);
    expect(own.json<Problem>().code).toBe('risk_acceptance.self_approval');
    const manage = await call(
      manager,
      'POST',
      `/api/v1/risks/acceptances/${acceptance.id}/approve`,
      {},
    );
    expect(manage.statusCode).toBe(403);
    expect(manage.json<Problem>().code).toBe('auth.forbidden');
    const row = await t.pools.owner
      .selectFrom('risk_register_acceptances')
      .select('status')
      .where('id', '=', acceptance.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    await expect(
      t.pools.owner
        .updateTable('risk_register_acceptances')
        .set({ status: 'approved', decided_by_user_id: admin.id, decided_at: new Date() })
        .where('id', '=', acceptance.id)
        .execute(),
    ).rejects.toThrow(/check/);
  });

  it('accepts the risk when another executive approves, once', async () => {
    const res = await call(owner, 'POST', `/api/v1/risks/acceptances/${acceptance.id}/approve`, {
      note: 'Accepted until the partner migrates',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Acceptance>().status).toBe('approved');
    expect(res.json<Acceptance>().decidedBy?.id).toBe(owner.id);
    const detail = (await call(auditor, 'GET', `/api/v1/risks/${risk.id}`)).json<RiskDetail>();
    expect(detail.status).toBe('accepted');
    expect(detail.acceptance?.status).toBe('approved');
    expect(detail.history[0]?.kind).toBe('acceptance_approved');
    expect(detail.history[0]?.changes.status).toEqual({ from: 'open', to: 'accepted' });
    const twice = await call(
      owner,
      'POST',
      `/api/v1/risks/acceptances/${acceptance.id}/reject`,
      {},
    );
    expect(twice.statusCode).toBe(409);
    expect(twice.json<Problem>().code).toBe('risk_acceptance.not_pending');
    const events = await auditEvents('risk.acceptance_decided', risk.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.changes).toMatchObject({ decision: 'approved', acceptanceId: acceptance.id });
  });

  it('reopens the risk and fails the check once the acceptance expires', async () => {
    await t.pools.owner
      .updateTable('risk_register_acceptances')
      .set({ expires_on: addDays(today, -1) })
      .where('id', '=', acceptance.id)
      .execute();
    await runRiskDay(jobDeps(), orgA);
    const detail = (await call(auditor, 'GET', `/api/v1/risks/${risk.id}`)).json<RiskDetail>();
    expect(detail.status).toBe('open');
    expect(detail.acceptances[0]?.status).toBe('expired');
    expect(detail.history[0]?.kind).toBe('acceptance_expired');
    expect(detail.history[0]?.actor.userId).toBeNull();
    const check = await latestCheckOf(t, orgA, 'risks.acceptances_current');
    expect(check.latest_status).toBe('fail');
    expect(check.latest_summary).toContain(risk.ref);
    expect(await controlStatusOf(t, checkedControl)).toBe('failing');
    expect((await auditEvents('risk.acceptance_expired', risk.id)).length).toBe(1);
  });

  it('passes again once a new acceptance is approved; a rejection changes nothing', async () => {
    const request = async () => {
      const res = await call(manager, 'POST', `/api/v1/risks/${risk.id}/acceptances`, {
        justification: 'Renewed: the migration slipped by a quarter.',
        expiresOn: addMonths(today, 3),
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<Acceptance>();
    };
    const first = await request();
    const rejected = await call(admin, 'POST', `/api/v1/risks/acceptances/${first.id}/reject`, {
      note: 'Fix it instead',
    });
    expect(rejected.json<Acceptance>().status).toBe('rejected');
    expect((await latestCheckOf(t, orgA, 'risks.acceptances_current')).latest_status).toBe('fail');
    const second = await request();
    const approved = await call(
      admin,
      'POST',
      `/api/v1/risks/acceptances/${second.id}/approve`,
      {},
    );
    expect(approved.statusCode).toBe(200);
    expect((await latestCheckOf(t, orgA, 'risks.acceptances_current')).latest_status).toBe('pass');
  });

  it('keeps acceptances and risks of another org out of reach', async () => {
    const list = await call(adminB, 'GET', '/api/v1/risks/acceptances');
    expect(list.json<{ items: Acceptance[] }>().items).toEqual([]);
    const approve = await call(
      adminB,
      'POST',
      `/api/v1/risks/acceptances/${acceptance.id}/approve`,
      {},
    );
    expect(approve.statusCode).toBe(404);
  });
});

describe('register reviews', () => {
  it('records a review as evidence of the review task, completing it', async () => {
    expect(await controlStatusOf(t, reviewControl)).not.toBe('passing');
    const res = await call(manager, 'POST', '/api/v1/risks/register-reviews', {
      kind: 'register_review',
      note: 'Quarterly review with the risk owners',
    });
    expect(res.statusCode, res.body).toBe(201);
    const review = res.json<{
      id: string;
      evidenceId: string | null;
      snapshot: { open: number };
    }>();
    expect(review.evidenceId).not.toBeNull();
    expect(review.snapshot.open).toBeGreaterThan(0);
    const evidence = await t.pools.owner
      .selectFrom('evidence')
      .select(['kind', 'task_id', 'url'])
      .where('id', '=', review.evidenceId ?? '')
      .executeTakeFirstOrThrow();
    expect(evidence.kind).toBe('link');
    expect(evidence.url).toContain(review.id);
    const task = await t.pools.owner
      .selectFrom('evidence_tasks')
      .select(['state', 'next_due_on'])
      .where('key', '=', 'risks.register_review')
      .where('org_id', '=', orgA)
      .executeTakeFirstOrThrow();
    expect(task.state).toBe('done');
    expect(await controlStatusOf(t, reviewControl)).toBe('passing');
    expect(await controlStatusOf(t, assessmentControl)).not.toBe('passing');
  });

  it('an annual assessment completes the assessment task too', async () => {
    const res = await call(manager, 'POST', '/api/v1/risks/register-reviews', {
      kind: 'annual_assessment',
      note: 'Yearly assessment presented to leadership',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await controlStatusOf(t, assessmentControl)).toBe('passing');
    const list = await call(auditor, 'GET', '/api/v1/risks/register-reviews');
    expect(list.json<{ items: { kind: string }[] }>().items.map((r) => r.kind)).toEqual([
      'annual_assessment',
      'register_review',
    ]);
  });

  it('refuses an empty note and callers without risks.manage', async () => {
    const empty = await call(manager, 'POST', '/api/v1/risks/register-reviews', {
      kind: 'register_review',
      note: ' ',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<Problem>().errors?.[0]?.path).toBe('note');
    const forbidden = await call(auditor, 'POST', '/api/v1/risks/register-reviews', {
      kind: 'register_review',
      note: 'No',
    });
    expect(forbidden.statusCode).toBe(403);
  });
});

describe('tenant isolation', () => {
  it('shows another org nothing of this register', async () => {
    const risk = await createRisk();
    const list = await call(adminB, 'GET', '/api/v1/risks');
    expect(list.json<{ items: Risk[]; total: number }>()).toEqual({ items: [], total: 0 });
    expect(await statusAs(t, adminB, 'GET', `/api/v1/risks/${risk.id}`)).toBe(404);
    expect(
      await statusAs(t, adminB, 'PATCH', `/api/v1/risks/${risk.id}`, { title: 'Taken over' }),
    ).toBe(404);
    const map = (await call(adminB, 'GET', '/api/v1/risks/heat-map')).json<{ total: number }>();
    expect(map.total).toBe(0);
    const csv = await call(adminB, 'GET', '/api/v1/risks/export');
    expect(csv.body.trim().split('\r\n')).toHaveLength(1);
    const own = await call(adminB, 'POST', '/api/v1/risks', {
      title: 'Their own',
      category: 'People',
      inherentLikelihood: 1,
      inherentImpact: 1,
      controlIds: [otherControl],
    });
    expect(own.statusCode).toBe(400);
    const mine = await call(adminB, 'POST', '/api/v1/risks', {
      title: 'Their own',
      category: 'People',
      inherentLikelihood: 1,
      inherentImpact: 1,
    });
    expect(mine.json<Risk>().ref).toBe('R-001');
  });
});
