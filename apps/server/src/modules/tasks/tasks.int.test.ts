import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { bearer, seedActor, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import type { TestApp } from '../../../test/harness.ts';
import { startMailTestApp, type CaughtMail, type MailTestApp } from '../../../test/mail-catcher.ts';
import { seedControl, seedTask } from '../../../test/program-factories.ts';
import { addDays, addMonths, todayUtc } from '../controls/index.ts';
import { defaultControls } from '../frameworks/index.ts';
import { seedDefaultTasks } from './index.ts';

let t: TestApp;
let mail: MailTestApp;
let orgId: string;
let manager: SeededUser;
let contributor: SeededUser;
let auditor: SeededUser;
let employee: SeededUser;
const today = todayUtc();

beforeAll(async () => {
  mail = await startMailTestApp();
  t = mail.app;
  orgId = await seedOrg(t, 'Tasks Org');
  manager = await seedUser(t, orgId, 'security_manager');
  contributor = await seedUser(t, orgId, 'contributor');
  auditor = await seedUser(t, orgId, 'auditor');
  employee = await seedUser(t, orgId, 'employee');
});

afterAll(async () => {
  await mail.close();
});

interface TaskBody {
  id: string;
  title: string;
  control: { id: string; ref: string; status: string };
  owner: { id: string; email: string } | null;
  cadenceMonths: number;
  graceDays: number;
  nextDueOn: string;
  state: string;
  lastCompletedAt: string | null;
  isActive: boolean;
}

interface TaskDetailBody {
  task: TaskBody;
  completions: { id: string; dueOn: string; completedBy: string; evidenceIds: string[] }[];
}

async function addLinkEvidence(
  by: SeededUser,
  fields: Record<string, string>,
): Promise<{ id: string; effectiveTo: string }> {
  const boundary = `----task${randomUUID()}`;
  const body = Object.entries({ url: 'https://example.test/evidence', ...fields })
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  const res = await t.http.inject({
    method: 'POST',
    url: '/api/v1/evidence',
    headers: { ...bearer(by), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `${body}--${boundary}--\r\n`,
  });
  if (res.statusCode !== 201) throw new Error(`evidence not added: ${res.body}`);
  return res.json<{ id: string; effectiveTo: string }>();
}

async function controlStatus(id: string): Promise<string> {
  const row = await t.pools.owner
    .selectFrom('controls')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.status;
}

async function taskRow(id: string) {
  return t.pools.owner
    .selectFrom('evidence_tasks')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function actionsFor(targetId: string): Promise<string[]> {
  const rows = await t.pools.owner
    .selectFrom('audit_events')
    .select('action')
    .where('target_id', '=', targetId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

async function auditCount(): Promise<number> {
  const row = await t.pools.owner
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Mail queued for delivery to these addresses (the queue is read, not the inbox, so no wait). */
async function queuedMailTo(addresses: string[]): Promise<number> {
  const result = await sql<{ n: string }>`
    SELECT count(*) AS n FROM pgboss.job
    WHERE name = 'mail.send' AND data->>'to' IN (${sql.join(addresses)})`.execute(t.pools.owner);
  return Number(result.rows[0]?.n ?? 0);
}

function runJob(name: string): Promise<void> {
  const job = t.jobs.find((j) => j.name === name);
  if (!job) throw new Error(`no job ${name}`);
  return job.handler({});
}

async function mailTo(to: string, subject: RegExp): Promise<CaughtMail> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = mail.catcher.messages.find((m) => m.to === to && subject.test(m.subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${String(subject)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('tasks API', () => {
  it('creates a task with its state, audited; lists it as the owner’s', async () => {
    const controlId = await seedControl(t, orgId, { ref: 'TK-1' });
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: bearer(manager),
      payload: {
        controlId,
        title: 'Quarterly access review',
        ownerId: contributor.id,
        cadenceMonths: 3,
        nextDueOn: addDays(today, 10),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const task = res.json<TaskBody>();
    expect(task).toMatchObject({
      state: 'due',
      graceDays: 14,
      control: { id: controlId, ref: 'TK-1' },
      owner: { id: contributor.id, email: contributor.email },
    });
    expect(await actionsFor(task.id)).toEqual(['task.created']);

    const mine = await t.http.inject({
      method: 'GET',
      url: '/api/v1/tasks?mine=true',
      headers: bearer(contributor),
    });
    expect(mine.json<{ items: TaskBody[] }>().items.map((i) => i.id)).toEqual([task.id]);
    const notMine = await t.http.inject({
      method: 'GET',
      url: '/api/v1/tasks?mine=true',
      headers: bearer(manager),
    });
    expect(notMine.json<{ items: TaskBody[] }>().items.map((i) => i.id)).not.toContain(task.id);
    const byControl = await t.http.inject({
      method: 'GET',
      url: `/api/v1/tasks?controlId=${controlId}&state=due`,
      headers: bearer(auditor),
    });
    expect(byControl.json<{ items: TaskBody[] }>().items.map((i) => i.id)).toEqual([task.id]);
  });

  it('refuses bad input naming the field, and forbids roles without the permission', async () => {
    const controlId = await seedControl(t, orgId);
    const bad = await t.http.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: bearer(manager),
      payload: { controlId, title: '', cadenceMonths: 0, nextDueOn: '2026-02-30' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['title', 'cadenceMonths', 'nextDueOn']),
    );
    const unknown = await t.http.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: bearer(manager),
      payload: { controlId: randomUUID(), title: 'x', cadenceMonths: 1, nextDueOn: today },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('controlId');
    const badOwner = await t.http.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: bearer(manager),
      payload: { controlId, title: 'x', cadenceMonths: 1, nextDueOn: today, ownerId: randomUUID() },
    });
    expect(badOwner.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('ownerId');
    for (const user of [contributor, auditor, employee]) {
      const res = await t.http.inject({
        method: 'POST',
        url: '/api/v1/tasks',
        headers: bearer(user),
        payload: { controlId, title: 'x', cadenceMonths: 1, nextDueOn: today },
      });
      expect(res.statusCode).toBe(403);
    }
    const taskId = await seedTask(t, orgId, controlId, { nextDueOn: today });
    const complete = await t.http.inject({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/complete`,
      headers: bearer(auditor),
      payload: { evidenceIds: [randomUUID()] },
    });
    expect(complete.statusCode).toBe(403);
    const list = await t.http.inject({
      method: 'GET',
      url: '/api/v1/tasks',
      headers: bearer(employee),
    });
    expect(list.statusCode).toBe(403);
    const missing = await t.http.inject({
      method: 'GET',
      url: `/api/v1/tasks/${randomUUID()}`,
      headers: bearer(auditor),
    });
    expect(missing.statusCode).toBe(404);
  });

  it('updates a task: the state follows the new due date and the change is audited', async () => {
    const controlId = await seedControl(t, orgId);
    const taskId = await seedTask(t, orgId, controlId, { nextDueOn: addDays(today, 200) });
    const res = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/tasks/${taskId}`,
      headers: bearer(manager),
      payload: { nextDueOn: addDays(today, -30), graceDays: 5, ownerId: contributor.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TaskBody>()).toMatchObject({ state: 'overdue', graceDays: 5 });
    expect(await controlStatus(controlId)).toBe('failing');
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('target_id', '=', taskId)
      .where('action', '=', 'task.updated')
      .executeTakeFirstOrThrow();
    expect(event.changes).toMatchObject({
      nextDueOn: { to: addDays(today, -30) },
      graceDays: { from: 14, to: 5 },
      state: { from: 'upcoming', to: 'overdue' },
    });
  });
});

describe('tasks tenant isolation', () => {
  it('never shows or changes another org’s task, nor completes one with its evidence', async () => {
    const other = await seedUser(t, await seedOrg(t, 'Other Tasks Org'), 'security_manager');
    const controlId = await seedControl(t, orgId);
    const taskId = await seedTask(t, orgId, controlId, { nextDueOn: today, title: 'Org A task' });
    for (const request of [
      { method: 'GET' as const, url: `/api/v1/tasks/${taskId}` },
      { method: 'PATCH' as const, url: `/api/v1/tasks/${taskId}`, payload: { title: 'Taken' } },
    ]) {
      const res = await t.http.inject({ ...request, headers: bearer(other) });
      expect(res.statusCode).toBe(404);
    }
    const list = await t.http.inject({
      method: 'GET',
      url: '/api/v1/tasks',
      headers: bearer(other),
    });
    expect(list.json<{ items: TaskBody[] }>().items.map((i) => i.id)).not.toContain(taskId);
    const foreignEvidence = await addLinkEvidence(other, { title: 'Other org evidence' });
    const res = await t.http.inject({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/complete`,
      headers: bearer(manager),
      payload: { evidenceIds: [foreignEvidence.id] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('evidenceIds.0');
  });
});

describe('completing tasks', () => {
  it('records the occurrence and schedules the next one a cadence after its due date', async () => {
    const controlId = await seedControl(t, orgId, { ref: 'TK-C' });
    const dueOn = addDays(today, 5);
    const taskId = await seedTask(t, orgId, controlId, { nextDueOn: dueOn, cadenceMonths: 3 });
    const evidence = await addLinkEvidence(contributor, {
      title: 'Access review export',
      effectiveFrom: addDays(today, -400),
      effectiveTo: addDays(today, -300),
    });
    const bad = await t.http.inject({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/complete`,
      headers: bearer(contributor),
      payload: { evidenceIds: [evidence.id, randomUUID()] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('evidenceIds.1');

    const res = await t.http.inject({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/complete`,
      headers: bearer(contributor),
      payload: { evidenceIds: [evidence.id], note: 'Reviewed with IT' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json<TaskDetailBody>();
    expect(detail.task.nextDueOn).toBe(addMonths(dueOn, 3));
    expect(detail.task.lastCompletedAt).not.toBeNull();
    expect(detail.task.state).toBe('done');
    expect(detail.completions).toHaveLength(1);
    expect(detail.completions[0]).toMatchObject({
      dueOn,
      evidenceIds: [evidence.id],
      completedBy: expect.stringContaining(contributor.email) as string,
    });
    expect(await actionsFor(taskId)).toContain('task.completed');
    const link = await t.pools.owner
      .selectFrom('evidence_controls')
      .select('control_id')
      .where('evidence_id', '=', evidence.id)
      .execute();
    expect(link.map((l) => l.control_id)).toEqual([controlId]);
  });

  it('refuses deleted evidence', async () => {
    const controlId = await seedControl(t, orgId);
    const taskId = await seedTask(t, orgId, controlId, { nextDueOn: today });
    const evidence = await addLinkEvidence(manager, { title: 'Soon deleted' });
    await t.pools.owner
      .updateTable('evidence')
      .set({ deleted_at: new Date() })
      .where('id', '=', evidence.id)
      .execute();
    const res = await t.http.inject({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/complete`,
      headers: bearer(manager),
      payload: { evidenceIds: [evidence.id] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { message: string }[] }>().errors[0]?.message).toMatch(/deleted/);
  });

  it('an overdue task fails its control; evidence for it covering today passes it and completes the task', async () => {
    const controlId = await seedControl(t, orgId, { ref: 'TK-OD' });
    const dueOn = addDays(today, -40);
    const taskId = await seedTask(t, orgId, controlId, {
      nextDueOn: dueOn,
      cadenceMonths: 12,
      graceDays: 7,
    });
    await runJob('tasks.refresh-states');
    expect((await taskRow(taskId)).state).toBe('overdue');
    expect(await controlStatus(controlId)).toBe('failing');

    const evidence = await addLinkEvidence(contributor, { title: 'DR test report', taskId });
    expect(evidence.effectiveTo).toBe(addMonths(today, 12));
    expect(await controlStatus(controlId)).toBe('passing');
    const task = await taskRow(taskId);
    // Completed 40 days late: the regular date (due + 12 months) is still ahead, so it is kept.
    expect(task.next_due_on).toBe(addMonths(dueOn, 12));
    expect(task.state).toBe('done');
    const completion = await t.pools.owner
      .selectFrom('task_completions')
      .selectAll()
      .where('task_id', '=', taskId)
      .executeTakeFirstOrThrow();
    expect(completion).toMatchObject({ due_on: dueOn, evidence_ids: [evidence.id] });
    expect(await actionsFor(taskId)).toEqual(['task.updated', 'task.completed']);

    // More evidence in the same cycle does not move the schedule again.
    await addLinkEvidence(contributor, { title: 'DR test addendum', taskId });
    expect((await taskRow(taskId)).next_due_on).toBe(addMonths(dueOn, 12));
  });
});

describe('task jobs', () => {
  it('refresh-states audits only changed tasks and writes nothing when nothing changed', async () => {
    const controlId = await seedControl(t, orgId);
    const taskId = await seedTask(t, orgId, controlId, { nextDueOn: addDays(today, 3) });
    await runJob('tasks.refresh-states');
    expect((await taskRow(taskId)).state).toBe('due');
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select(['changes', 'actor_type', 'actor_label'])
      .where('target_id', '=', taskId)
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      changes: { state: { from: 'upcoming', to: 'due' } },
      actor_type: 'system',
      actor_label: 'tasks.refresh-states',
    });
    const before = await auditCount();
    await runJob('tasks.refresh-states');
    expect(await auditCount()).toBe(before);
  });

  it('reminds the owner by email with a link to the task, once per day, audited', async () => {
    const owner = await seedUser(t, orgId, 'contributor');
    const controlId = await seedControl(t, orgId, { ref: 'TK-R', title: 'Vendors reviewed' });
    const weekTask = await seedTask(t, orgId, controlId, {
      title: 'Vendor review',
      nextDueOn: addDays(today, 7),
      ownerId: owner.id,
    });
    const lateTask = await seedTask(t, orgId, controlId, {
      title: 'Pentest',
      nextDueOn: addDays(today, -20),
      graceDays: 7,
      ownerId: owner.id,
    });
    await runJob('tasks.send-reminders');
    const week = await mailTo(owner.email, /^Due in 7 days: Vendor review$/);
    expect(week.text).toContain(`https://steward.example.test/tasks/${weekTask}`);
    expect(week.text).toContain('TK-R');
    expect(week.html).toContain(`href="https://steward.example.test/tasks/${weekTask}"`);
    const late = await mailTo(owner.email, /^Overdue: Pentest$/);
    expect(late.text).toContain(`https://steward.example.test/tasks/${lateTask}`);
    expect((await taskRow(weekTask)).last_reminded_on).toBe(today);
    expect(await actionsFor(weekTask)).toContain('task.reminded');

    const reminded = await t.pools.owner
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'task.reminded')
      .executeTakeFirstOrThrow();
    await runJob('tasks.send-reminders');
    const again = await t.pools.owner
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', '=', 'task.reminded')
      .executeTakeFirstOrThrow();
    expect(again.n).toBe(reminded.n);
  });

  it('mails a daily digest to control owners with something to say, unless digests are off', async () => {
    const digestOrg = await seedOrg(t, 'Digest Org');
    const owner = await seedUser(t, digestOrg, 'contributor');
    const quiet = await seedUser(t, digestOrg, 'contributor');
    const failing = await seedControl(t, digestOrg, { ref: 'DG-1', ownerId: owner.id });
    await seedControl(t, digestOrg, { ref: 'DG-2', ownerId: quiet.id });
    await t.pools.owner
      .updateTable('controls')
      .set({ status: 'failing', status_reason: 'Check "backups" failed' })
      .where('id', '=', failing)
      .execute();
    const upcoming = await seedTask(t, digestOrg, failing, {
      title: 'Restore test',
      nextDueOn: addDays(today, 12),
      ownerId: owner.id,
    });
    await runJob('tasks.send-reminders');
    const digest = await mailTo(owner.email, /^Steward daily digest/);
    expect(digest.subject).toBe('Steward daily digest: 1 control and 1 task need you');
    expect(digest.text).toContain(`https://steward.example.test/controls/${failing}`);
    expect(digest.text).toContain(`https://steward.example.test/tasks/${upcoming}`);
    expect(digest.text).toContain('Check "backups" failed');

    await t.pools.owner
      .insertInto('program_settings')
      .values({ org_id: digestOrg, is_digest_enabled: false })
      .execute();
    const queuedBefore = await queuedMailTo([owner.email, quiet.email]);
    expect(queuedBefore).toBe(2);
    await runJob('tasks.send-reminders');
    await runJob('tasks.send-reminders');
    expect(await queuedMailTo([owner.email, quiet.email])).toBe(queuedBefore);
    expect(mail.catcher.messages.some((m) => m.to === quiet.email)).toBe(false);
  });
});

describe('seeding default tasks', () => {
  it('inserts the catalogue’s tasks for the seeded controls, first due dates spread from 30 days', async () => {
    const seedOrgId = await seedOrg(t, 'Seeded Org');
    const controlIds = new Map<string, string>();
    for (const control of defaultControls) {
      controlIds.set(control.ref, await seedControl(t, seedOrgId, { ref: control.ref }));
    }
    const uow = createUnitOfWork({
      db: t.pools.app,
      auditWriter: t.auditWriter,
      orgId: seedOrgId,
      actor: seedActor,
    });
    const count = await uow.write(async ({ tx, audit }) => {
      const n = await seedDefaultTasks(tx, seedOrgId, controlIds, manager.id, today);
      await audit({ action: 'program.seeded', targetType: 'org', targetId: seedOrgId });
      return n;
    });
    const expected = defaultControls.reduce((n, c) => n + c.tasks.length, 0);
    expect(count).toBe(expected);
    const rows = await t.pools.owner
      .selectFrom('evidence_tasks')
      .select(['next_due_on', 'key', 'cadence_months', 'state'])
      .where('org_id', '=', seedOrgId)
      .execute();
    expect(rows).toHaveLength(expected);
    for (const row of rows) {
      expect(row.next_due_on >= addDays(today, 30)).toBe(true);
      expect(row.next_due_on <= addDays(today, 180)).toBe(true);
      expect(row.key).not.toBeNull();
    }
    expect(new Set(rows.map((r) => r.next_due_on)).size).toBeGreaterThan(5);
  });
});
