import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { withOrg } from '../../platform/db/pools.ts';
import { addDays, addMonths, todayUtc } from '../controls/index.ts';
import { runReviewDay } from './index.ts';

interface Action {
  id: string;
  title: string;
  status: string;
  isOverdue: boolean;
  dueOn: string;
  owner: { id: string } | null;
}

interface Review {
  id: string;
  title: string;
  meetingOn: string;
  status: string;
  attendees: { userId: string | null; personId: string | null; name: string; role: string }[];
  agenda: {
    sinceReviewOn: string | null;
    sections: { section: number; total: number }[];
    readiness: { total: number };
    openHighRisks: { count: number | null; note: string };
    incidents: { count: number | null; note: string };
    openActions: { count: number; overdue: number };
    overdueTasks: { count: number };
    slaBreaches: { count: number };
  };
  minutes: string;
  decisions: string[];
  actions: Action[];
  notes: { body: string; author: { id: string } | null }[];
  evidenceId: string | null;
  heldAt: string | null;
}

let t: TestApp;
let orgA: string;
let orgB: string;
let owner: SeededUser;
let manager: SeededUser;
let contributor: SeededUser;
let auditor: SeededUser;
let employee: SeededUser;
let adminB: SeededUser;
const today = todayUtc();

beforeAll(async () => {
  t = await createTestApp();
  orgA = await seedOrg(t, 'Acme Cloud', { withProgram: true });
  orgB = await seedOrg(t, 'Beta Ltd', { withProgram: true });
  owner = await seedUser(t, orgA, 'owner');
  manager = await seedUser(t, orgA, 'security_manager');
  contributor = await seedUser(t, orgA, 'contributor');
  auditor = await seedUser(t, orgA, 'auditor');
  employee = await seedUser(t, orgA, 'employee');
  adminB = await seedUser(t, orgB, 'admin');
});

afterAll(async () => {
  await t.close();
});

async function call(
  user: SeededUser,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  url: string,
  payload?: unknown,
) {
  return t.http.inject({
    method,
    url,
    headers: bearer(user),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

async function createHeldReview(user: SeededUser, meetingOn: string): Promise<Review> {
  const created = await call(user, 'POST', '/api/v1/management-reviews', {
    meetingOn,
    attendees: [{ userId: user.id, role: 'Chair' }],
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json<Review>().id;
  const edited = await call(user, 'PATCH', `/api/v1/management-reviews/${id}`, {
    minutes: 'Reviewed the program.',
  });
  expect(edited.statusCode, edited.body).toBe(200);
  const held = await call(user, 'POST', `/api/v1/management-reviews/${id}/hold`);
  expect(held.statusCode, held.body).toBe(200);
  return held.json<Review>();
}

async function checkOf(orgId: string, key: string) {
  return withOrg(t.pools.app, orgId, (tx) =>
    tx
      .selectFrom('checks')
      .select(['id', 'latest_status', 'latest_summary'])
      .where('key', '=', key)
      .executeTakeFirst(),
  );
}

async function controlOfTask(orgId: string, taskKey: string) {
  return withOrg(t.pools.app, orgId, (tx) =>
    tx
      .selectFrom('evidence_tasks as t')
      .innerJoin('controls as c', 'c.id', 't.control_id')
      .select(['c.id', 'c.status', 'c.status_reason', 't.id as task_id', 't.cadence_months'])
      .where('t.key', '=', taskKey)
      .executeTakeFirstOrThrow(),
  );
}

describe('management reviews', () => {
  let reviewId: string;
  let actionId: string;

  it('creates a draft whose agenda is built from live figures', async () => {
    const person = await call(manager, 'POST', '/api/v1/people', {
      displayName: 'Rita Finance',
      department: 'Finance',
    });
    expect(person.statusCode, person.body).toBe(201);
    const res = await call(manager, 'POST', '/api/v1/management-reviews', {
      meetingOn: today,
      title: 'Q4 security review',
      attendees: [
        { userId: owner.id, role: 'CEO, chair' },
        { userId: manager.id, role: 'Security lead' },
        { personId: person.json<{ id: string }>().id, role: 'CFO' },
        { name: 'Outside counsel' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const review = res.json<Review>();
    reviewId = review.id;
    expect(review.status).toBe('draft');
    expect(review.attendees.map((a) => a.name)).toEqual([
      'Test owner',
      'Test security_manager',
      'Rita Finance',
      'Outside counsel',
    ]);
    expect(review.attendees[2]?.personId).not.toBeNull();
    expect(review.agenda.sections).toHaveLength(13);
    expect(review.agenda.readiness.total).toBeGreaterThan(0);
    expect(review.agenda.incidents.count).toBeNull();
    expect(review.agenda.incidents.note).toMatch(/No incident register/);
    expect(review.agenda.openHighRisks.count).toBe(0);
    expect(review.agenda.sinceReviewOn).toBeNull();
    expect(review.agenda.openActions.count).toBe(0);
    const events = await withOrg(t.pools.app, orgA, (tx) =>
      tx.selectFrom('audit_events').select('action').where('target_id', '=', reviewId).execute(),
    );
    expect(events.map((e) => e.action)).toContain('management_review.created');
  });

  it('lets readers see reviews and refuses writes without risks.manage', async () => {
    expect((await call(auditor, 'GET', '/api/v1/management-reviews')).statusCode).toBe(200);
    expect(
      (await call(contributor, 'GET', `/api/v1/management-reviews/${reviewId}`)).statusCode,
    ).toBe(200);
    const employeeRead = await call(employee, 'GET', '/api/v1/management-reviews');
    expect(employeeRead.statusCode).toBe(403);
    const forbidden = await call(contributor, 'POST', '/api/v1/management-reviews', {
      meetingOn: today,
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json<{ code: string }>().code).toBe('auth.forbidden');
    const auditorEdit = await call(auditor, 'PATCH', `/api/v1/management-reviews/${reviewId}`, {
      minutes: 'x',
    });
    expect(auditorEdit.statusCode).toBe(403);
    const auditorHold = await call(auditor, 'POST', `/api/v1/management-reviews/${reviewId}/hold`);
    expect(auditorHold.statusCode).toBe(403);
    const auditorSettings = await call(auditor, 'PUT', '/api/v1/management-reviews/settings', {
      cadenceMonths: 6,
    });
    expect(auditorSettings.statusCode).toBe(403);
  });

  it('names the field of bad input', async () => {
    const badDate = await call(manager, 'POST', '/api/v1/management-reviews', {
      meetingOn: 'next tuesday',
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('meetingOn');
    const unknownUser = await call(manager, 'POST', '/api/v1/management-reviews', {
      meetingOn: today,
      attendees: [{ userId: adminB.id }],
    });
    expect(unknownUser.statusCode).toBe(400);
    expect(unknownUser.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'attendees.0.userId',
    );
    const both = await call(manager, 'POST', '/api/v1/management-reviews', {
      meetingOn: today,
      attendees: [{ userId: owner.id, name: 'Someone' }],
    });
    expect(both.statusCode).toBe(400);
    const badAction = await call(
      manager,
      'POST',
      `/api/v1/management-reviews/${reviewId}/actions`,
      {
        title: '',
        dueOn: today,
      },
    );
    expect(badAction.statusCode).toBe(400);
    expect(badAction.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('title');
    const badCadence = await call(manager, 'PUT', '/api/v1/management-reviews/settings', {
      cadenceMonths: 0,
    });
    expect(badCadence.statusCode).toBe(400);
    expect(badCadence.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('cadenceMonths');
    const count = await withOrg(t.pools.app, orgA, (tx) =>
      tx
        .selectFrom('management_reviews')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    );
    expect(Number(count.n)).toBe(1);
  });

  it('edits a draft and its action items, and refuses to hold it without minutes', async () => {
    const noMinutes = await call(manager, 'POST', `/api/v1/management-reviews/${reviewId}/hold`);
    expect(noMinutes.statusCode).toBe(400);
    expect(noMinutes.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('minutes');
    const res = await call(manager, 'PATCH', `/api/v1/management-reviews/${reviewId}`, {
      minutes: '## Discussion\n\nReadiness is improving. <script>alert(1)</script>',
      decisions: ['Fund a second security engineer', 'Accept the VPN risk until March'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Review>().decisions).toHaveLength(2);
    const action = await call(manager, 'POST', `/api/v1/management-reviews/${reviewId}/actions`, {
      title: 'Hire a security engineer',
      ownerId: owner.id,
      dueOn: addDays(today, -1),
    });
    expect(action.statusCode, action.body).toBe(201);
    actionId = action.json<Action>().id;
    expect(action.json<Action>().isOverdue).toBe(true);
    const moved = await call(manager, 'PATCH', `/api/v1/management-review-actions/${actionId}`, {
      title: 'Hire a senior security engineer',
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json<Action>().title).toBe('Hire a senior security engineer');
    const future = await call(manager, 'POST', '/api/v1/management-reviews', {
      meetingOn: addDays(today, 10),
      attendees: [{ userId: manager.id }],
    });
    const futureId = future.json<Review>().id;
    await call(manager, 'PATCH', `/api/v1/management-reviews/${futureId}`, { minutes: 'Planned' });
    const early = await call(manager, 'POST', `/api/v1/management-reviews/${futureId}/hold`);
    expect(early.statusCode).toBe(400);
    expect(early.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('meetingOn');
  });

  it('holds a review: evidence for the task, the oversight check passes', async () => {
    const res = await call(manager, 'POST', `/api/v1/management-reviews/${reviewId}/hold`);
    expect(res.statusCode, res.body).toBe(200);
    const review = res.json<Review>();
    expect(review.status).toBe('held');
    expect(review.evidenceId).not.toBeNull();
    const control = await controlOfTask(orgA, 'governance.management_review');
    expect(control.cadence_months).toBe(3);
    const evidence = await withOrg(t.pools.app, orgA, (tx) =>
      tx
        .selectFrom('evidence')
        .select(['kind', 'url', 'task_id', 'effective_from', 'effective_to'])
        .where('id', '=', review.evidenceId ?? '')
        .executeTakeFirstOrThrow(),
    );
    expect(evidence.kind).toBe('link');
    expect(evidence.url).toContain(`/management-reviews/${reviewId}`);
    expect(evidence.task_id).toBe(control.task_id);
    expect(evidence.effective_to).toBe(addMonths(today, 3));
    const completions = await withOrg(t.pools.app, orgA, (tx) =>
      tx
        .selectFrom('task_completions')
        .select('evidence_ids')
        .where('task_id', '=', control.task_id)
        .execute(),
    );
    expect(completions.map((c) => c.evidence_ids)).toContainEqual([review.evidenceId]);
    const check = await checkOf(orgA, 'governance.management_review');
    expect(check?.latest_status).toBe('pass');
    expect(check?.latest_summary).toContain(`held on ${today}`);
    const links = await withOrg(t.pools.app, orgA, (tx) =>
      tx
        .selectFrom('control_checks')
        .select('control_id')
        .where('check_id', '=', check?.id ?? '')
        .execute(),
    );
    expect(links.map((l) => l.control_id)).toEqual([control.id]);
  });

  it('keeps a held review immutable except action status, and takes notes', async () => {
    const edit = await call(manager, 'PATCH', `/api/v1/management-reviews/${reviewId}`, {
      minutes: 'Rewritten',
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.json<{ code: string }>().code).toBe('management_review.held');
    const add = await call(manager, 'POST', `/api/v1/management-reviews/${reviewId}/actions`, {
      title: 'Late addition',
      dueOn: today,
    });
    expect(add.statusCode).toBe(409);
    const retitle = await call(manager, 'PATCH', `/api/v1/management-review-actions/${actionId}`, {
      title: 'Changed',
    });
    expect(retitle.statusCode).toBe(409);
    expect(retitle.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('title');
    const done = await call(manager, 'PATCH', `/api/v1/management-review-actions/${actionId}`, {
      status: 'done',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<Action>().status).toBe('done');
    const reopened = await call(manager, 'PATCH', `/api/v1/management-review-actions/${actionId}`, {
      status: 'open',
    });
    expect(reopened.json<Action>().isOverdue).toBe(true);
    const note = await call(manager, 'POST', `/api/v1/management-reviews/${reviewId}/notes`, {
      body: 'Correction: the VPN risk acceptance runs until April.',
    });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json<Review>().notes[0]?.body).toMatch(/Correction/);
    const emptyNote = await call(manager, 'POST', `/api/v1/management-reviews/${reviewId}/notes`, {
      body: ' ',
    });
    expect(emptyNote.statusCode).toBe(400);
    expect(emptyNote.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('body');
    // The database itself refuses a change to a held record.
    await expect(
      withOrg(t.pools.app, orgA, (tx) =>
        tx
          .updateTable('management_reviews')
          .set({ minutes: 'forged' })
          .where('id', '=', reviewId)
          .execute(),
      ),
    ).rejects.toThrow(/held management review/);
  });

  it('freezes the agenda: a later review sees the open action, the earlier one does not', async () => {
    const res = await call(manager, 'POST', '/api/v1/management-reviews', { meetingOn: today });
    expect(res.statusCode).toBe(201);
    const later = res.json<Review>();
    expect(later.agenda.sinceReviewOn).toBe(today);
    expect(later.agenda.openActions).toMatchObject({ count: 1, overdue: 1 });
    const earlier = await call(auditor, 'GET', `/api/v1/management-reviews/${reviewId}`);
    expect(earlier.json<Review>().agenda.openActions.count).toBe(0);
    const list = await call(auditor, 'GET', '/api/v1/management-reviews?status=held');
    const body = list.json<{
      overview: {
        lastHeldOn: string;
        nextDueOn: string;
        isOverdue: boolean;
        overdueActions: number;
      };
      items: { id: string }[];
    }>();
    expect(body.items.map((i) => i.id)).toEqual([reviewId]);
    expect(body.overview).toMatchObject({
      lastHeldOn: today,
      nextDueOn: addMonths(today, 3),
      isOverdue: false,
      overdueActions: 1,
    });
  });

  it('exports the record as Markdown', async () => {
    const res = await call(auditor, 'GET', `/api/v1/management-reviews/${reviewId}/export`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/markdown/);
    expect(res.body).toContain('# Q4 security review');
    expect(res.body).toContain('No incident register');
    expect(res.body).toContain('1. Fund a second security engineer');
    expect(res.body).toContain('Correction: the VPN risk acceptance runs until April.');
    expect(
      (await call(employee, 'GET', `/api/v1/management-reviews/${reviewId}/export`)).statusCode,
    ).toBe(403);
  });

  it('keeps each org to its own reviews', async () => {
    const other = await call(adminB, 'GET', `/api/v1/management-reviews/${reviewId}`);
    expect(other.statusCode).toBe(404);
    const list = await call(adminB, 'GET', '/api/v1/management-reviews');
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
    const action = await call(adminB, 'PATCH', `/api/v1/management-review-actions/${actionId}`, {
      status: 'done',
    });
    expect(action.statusCode).toBe(404);
    const hold = await call(adminB, 'POST', `/api/v1/management-reviews/${reviewId}/hold`);
    expect(hold.statusCode).toBe(404);
  });

  it('fails the oversight check when the last review is older than the cadence', async () => {
    await createHeldReview(adminB, addMonths(today, -4));
    const failing = await checkOf(orgB, 'governance.management_review');
    expect(failing?.latest_status).toBe('fail');
    expect(failing?.latest_summary).toMatch(/overdue/);
    const control = await controlOfTask(orgB, 'governance.management_review');
    expect(control.status).toBe('failing');
    // The daily job changes nothing while nothing changed.
    await runReviewDay({ db: t.pools.app, auditWriter: t.auditWriter }, orgB);
    expect((await checkOf(orgB, 'governance.management_review'))?.latest_status).toBe('fail');
    const settings = await call(adminB, 'PUT', '/api/v1/management-reviews/settings', {
      cadenceMonths: 6,
    });
    expect(settings.statusCode, settings.body).toBe(200);
    expect((await checkOf(orgB, 'governance.management_review'))?.latest_status).toBe('pass');
    expect((await controlOfTask(orgB, 'governance.management_review')).cadence_months).toBe(6);
    const read = await call(adminB, 'GET', '/api/v1/management-reviews/settings');
    expect(read.json<{ cadenceMonths: number }>().cadenceMonths).toBe(6);
  });

  it('turns the check failing from the daily job once the cadence runs out', async () => {
    const later = new Date(`${addMonths(today, 7)}T06:00:00Z`);
    await runReviewDay({ db: t.pools.app, auditWriter: t.auditWriter }, orgA, later);
    const check = await checkOf(orgA, 'governance.management_review');
    expect(check?.latest_status).toBe('fail');
    expect(check?.latest_summary).toContain(`next was due by ${addMonths(today, 3)}`);
  });
});

describe('my action items', () => {
  interface MyAction extends Action {
    reviewId: string;
    reviewTitle: string;
    reviewMeetingOn: string;
  }

  async function addAction(reviewId: string, title: string, ownerId: string, dueOn: string) {
    const res = await call(manager, 'POST', `/api/v1/management-reviews/${reviewId}/actions`, {
      title,
      ownerId,
      dueOn,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Action>().id;
  }

  async function mine(user: SeededUser): Promise<MyAction[]> {
    const res = await call(user, 'GET', '/api/v1/me/management-review-actions');
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: MyAction[] }>().items;
  }

  it('lists the open actions of held reviews to their owner, whatever the role', async () => {
    const draft = await call(manager, 'POST', '/api/v1/management-reviews', {
      title: 'Next quarter',
      meetingOn: today,
      attendees: [{ userId: manager.id }],
    });
    expect(draft.statusCode, draft.body).toBe(201);
    await addAction(draft.json<Review>().id, 'Not decided yet', employee.id, addDays(today, 3));

    const created = await call(manager, 'POST', '/api/v1/management-reviews', {
      title: 'Security steering, Q4',
      meetingOn: today,
      attendees: [{ userId: manager.id, role: 'Chair' }],
    });
    const reviewId = created.json<Review>().id;
    const later = await addAction(reviewId, 'Run a phishing drill', employee.id, addDays(today, 5));
    const late = await addAction(reviewId, 'Rotate the VPN keys', employee.id, addDays(today, -2));
    const dropped = await addAction(reviewId, 'Buy a new scanner', employee.id, addDays(today, 9));
    const theirs = await addAction(reviewId, 'Review IAM roles', contributor.id, today);
    expect(await mine(employee)).toEqual([]);

    await call(manager, 'PATCH', `/api/v1/management-reviews/${reviewId}`, {
      minutes: 'Agreed the actions.',
    });
    const held = await call(manager, 'POST', `/api/v1/management-reviews/${reviewId}/hold`);
    expect(held.statusCode, held.body).toBe(200);
    const cancelled = await call(manager, 'PATCH', `/api/v1/management-review-actions/${dropped}`, {
      status: 'cancelled',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);

    const items = await mine(employee);
    expect(items.map((a) => a.id)).toEqual([late, later]);
    expect(items[0]).toMatchObject({
      reviewId,
      reviewTitle: 'Security steering, Q4',
      reviewMeetingOn: today,
      title: 'Rotate the VPN keys',
      status: 'open',
      isOverdue: true,
      owner: { id: employee.id },
    });
    expect(items[1]?.isOverdue).toBe(false);
    expect((await mine(contributor)).map((a) => a.id)).toEqual([theirs]);

    const done = await call(manager, 'PATCH', `/api/v1/management-review-actions/${later}`, {
      status: 'done',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect((await mine(employee)).map((a) => a.id)).toEqual([late]);

    // Another organisation's user sees none of them; without credentials there is no list.
    expect(await mine(adminB)).toEqual([]);
    const anonymous = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me/management-review-actions',
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
