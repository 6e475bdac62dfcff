import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import type { TestApp } from '../../../test/harness.ts';
import { startMailTestApp, type CaughtMail, type MailTestApp } from '../../../test/mail-catcher.ts';
import { addDays, todayUtc } from '../controls/index.ts';

let mail: MailTestApp;
let t: TestApp;
let orgId: string;
let manager: SeededUser;

beforeAll(async () => {
  mail = await startMailTestApp();
  t = mail.app;
  orgId = await seedOrg(t, 'Northwind Data');
  manager = await seedUser(t, orgId, 'security_manager');
});

afterAll(async () => {
  await mail.close();
});

async function mailTo(to: string, subject: RegExp): Promise<CaughtMail> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = mail.catcher.messages.find((m) => m.to === to && subject.test(m.subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${String(subject)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function post(url: string, payload?: unknown) {
  const res = await t.http.inject({
    method: 'POST',
    url,
    headers: bearer(manager),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<Record<string, unknown>>();
}

/** Training mail queued for delivery (the queue is read, not the inbox, so there is no wait). */
async function queuedMail(): Promise<number> {
  const result = await sql<{ n: string }>`
    SELECT count(*) AS n FROM pgboss.job
    WHERE name = 'mail.send' AND data->>'to' LIKE '%@northwind.test'`.execute(t.pools.owner);
  return Number(result.rows[0]?.n ?? 0);
}

async function auditCount(action: string): Promise<number> {
  const rows = await t.pools.owner
    .selectFrom('audit_events')
    .select('id')
    .where('org_id', '=', orgId)
    .where('action', '=', action)
    .execute();
  return rows.length;
}

describe('training.daily', () => {
  it('reminds people of training coming due and escalates overdue training to their manager, once', async () => {
    const boss = await post('/api/v1/people', {
      displayName: 'Bea Boss',
      email: 'bea@northwind.test',
      department: 'Sales',
    });
    const soon = await post('/api/v1/people', {
      displayName: 'Sam Soon',
      email: 'sam@northwind.test',
      department: 'Sales',
      managerId: boss.id,
    });
    const late = await post('/api/v1/people', {
      displayName: 'Ray Report',
      email: 'ray@northwind.test',
      department: 'Sales',
      managerId: boss.id,
      startDate: addDays(todayUtc(), -100),
    });
    const created = (await post('/api/v1/training/modules', {
      templateKey: 'reporting_security_incident',
      audience: 'departments',
      audienceValues: ['Sales'],
    })) as { module: { id: string; draft: { id: string } } };
    const published = await post(`/api/v1/training/versions/${created.module.draft.id}/publish`);
    expect(published.assigned).toBe(3);
    // Dates cannot be moved back through the API: one assignment is due in 5 days, one overdue.
    await t.pools.owner
      .updateTable('training_assignments')
      .set({ due_on: addDays(todayUtc(), 5) })
      .where('person_id', '=', soon.id as string)
      .execute();
    await t.pools.owner
      .updateTable('training_assignments')
      .set({ due_on: addDays(todayUtc(), -2) })
      .where('person_id', '=', late.id as string)
      .execute();

    const job = t.jobs.find((j) => j.name === 'training.daily');
    if (!job) throw new Error('no training.daily job');
    await job.handler({});

    const reminder = await mailTo(
      'sam@northwind.test',
      /^Security training due: Reporting a security incident$/,
    );
    expect(reminder.text).toContain(`due in 7 days, on ${addDays(todayUtc(), 5)}`);
    expect(reminder.text).toContain('https://steward.example.test/my-tasks');
    const overdue = await mailTo('ray@northwind.test', /^Overdue security training$/);
    expect(overdue.text).toContain('overdue since');
    const escalation = await mailTo(
      'bea@northwind.test',
      /^Overdue security training in your team \(1\)$/,
    );
    expect(escalation.text).toContain('Ray Report: Reporting a security incident');
    expect(escalation.text).not.toContain('Sam Soon');
    expect(await auditCount('training.reminded')).toBe(1);
    expect(await auditCount('training.escalated')).toBe(1);

    // The next run finds every stage already reminded and the escalation already sent.
    const queued = await queuedMail();
    await job.handler({});
    expect(await auditCount('training.reminded')).toBe(1);
    expect(await queuedMail()).toBe(queued);
    expect(await auditCount('training.escalated')).toBe(1);
    const check = await t.pools.owner
      .selectFrom('checks')
      .select('id')
      .where('org_id', '=', orgId)
      .execute();
    // A bare org declares no training checks, so the job records none.
    expect(check).toHaveLength(0);
  });
});
