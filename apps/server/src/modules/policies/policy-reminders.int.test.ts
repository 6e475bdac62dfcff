import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, seedUser, injectAs, type SeededUser } from '../../../test/factories.ts';
import type { TestApp } from '../../../test/harness.ts';
import { startMailTestApp, type CaughtMail, type MailTestApp } from '../../../test/mail-catcher.ts';
import { addDays, todayUtc } from '../controls/index.ts';

let mail: MailTestApp;
let t: TestApp;
let orgId: string;
let writer: SeededUser;
let approver: SeededUser;
let late: SeededUser;
let prompt: SeededUser;
let boss: SeededUser;
let versionId: string;
const today = todayUtc();

beforeAll(async () => {
  mail = await startMailTestApp();
  t = mail.app;
  orgId = await seedOrg(t, 'Reminder Org');
  writer = await seedUser(t, orgId, 'security_manager');
  approver = await seedUser(t, orgId, 'admin');
  late = await seedUser(t, orgId, 'employee');
  prompt = await seedUser(t, orgId, 'employee');
  // The line manager is outside the audience: only their report's lateness concerns them.
  boss = await seedUser(t, orgId, 'contributor');
  const bossPerson = await t.pools.owner
    .insertInto('people')
    .values({
      org_id: orgId,
      display_name: 'Bea Boss',
      email: 'bea.boss@reminder.example',
      source: 'manual',
      user_id: boss.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.pools.owner
    .insertInto('people')
    .values([
      {
        org_id: orgId,
        display_name: 'Late Larry',
        source: 'manual',
        user_id: late.id,
        manager_id: bossPerson.id,
      },
      { org_id: orgId, display_name: 'Prompt Pat', source: 'manual', user_id: prompt.id },
    ])
    .execute();
  const created = await call(writer, 'POST', '/api/v1/policies', {
    key: 'acceptable-use',
    title: 'Acceptable Use Policy',
    body: '# Acceptable use\n\nLock your screen.\n',
    approverIds: [approver.id],
    audience: 'roles',
    audienceValues: ['employee'],
  });
  versionId = created.json<{ versions: { id: string }[] }>().versions[0]?.id ?? '';
  await call(writer, 'POST', `/api/v1/policy-versions/${versionId}/submit`);
  await call(approver, 'POST', `/api/v1/policy-versions/${versionId}/approve`, {
    isMaterial: true,
  });
  const published = await call(writer, 'POST', `/api/v1/policy-versions/${versionId}/publish`);
  expect(published.json()).toMatchObject({ requested: 2 });
});

afterAll(async () => {
  await mail.close();
});

function call(user: SeededUser, method: 'GET' | 'POST', url: string, payload?: object) {
  return injectAs(t, user, method, url, payload);
}

function runDaily(): Promise<void> {
  const job = t.jobs.find((j) => j.name === 'policies.daily');
  if (!job) throw new Error('no policies.daily job');
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

async function queuedMail(): Promise<number> {
  const result = await sql<{ n: string }>`
    SELECT count(*) AS n FROM pgboss.job WHERE name = 'mail.send'`.execute(t.pools.owner);
  return Number(result.rows[0]?.n ?? 0);
}

async function notices() {
  return t.pools.owner
    .selectFrom('policy_acknowledgement_notices as n')
    .innerJoin('policy_acknowledgements as a', 'a.id', 'n.acknowledgement_id')
    .select(['a.user_id', 'n.stage', 'n.recipient_email', 'n.manager_person_id'])
    .where('n.org_id', '=', orgId)
    .orderBy('n.sent_at')
    .orderBy('n.stage')
    .execute();
}

async function setDue(dueOn: string): Promise<void> {
  // Only open requests can move; an acknowledgement is a record.
  await t.pools.owner
    .updateTable('policy_acknowledgements')
    .set({ due_on: dueOn })
    .where('version_id', '=', versionId)
    .where('acknowledged_at', 'is', null)
    .execute();
}

describe('acknowledgement reminders and escalation', () => {
  it('tells each person of the request once, recorded and audited', async () => {
    await runDaily();
    const asked = await mailTo(late.email, /^Please acknowledge: Acceptable Use Policy$/);
    expect(asked.text).toContain('https://steward.example.test/my-tasks');
    expect(asked.text).toContain(addDays(today, 30));
    await mailTo(prompt.email, /^Please acknowledge: Acceptable Use Policy$/);
    expect((await notices()).map((n) => n.stage)).toEqual(['requested', 'requested']);
    const events = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('org_id', '=', orgId)
      .where('action', '=', 'policy.reminders_sent')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.changes).toMatchObject({ notices: { requested: 2 }, mails: 2 });

    const queued = await queuedMail();
    await runDaily();
    expect(await queuedMail()).toBe(queued);
    expect(await notices()).toHaveLength(2);
  });

  it('reminds a week before the deadline, then the day before, never twice', async () => {
    await setDue(addDays(today, 7));
    await runDaily();
    const week = await mailTo(late.email, /^Reminder to acknowledge: Acceptable Use Policy$/);
    expect(week.text).toContain('in 7 days');
    await mailTo(prompt.email, /^Reminder to acknowledge/);
    const queued = await queuedMail();
    await runDaily();
    expect(await queuedMail()).toBe(queued);

    await setDue(addDays(today, 1));
    await runDaily();
    const last = await mailTo(late.email, /^Due soon: acknowledge Acceptable Use Policy$/);
    expect(last.text).toContain('due tomorrow');
    expect((await notices()).filter((n) => n.user_id === late.id).map((n) => n.stage)).toEqual([
      'requested',
      'reminder',
      'final_reminder',
    ]);
  });

  it('once overdue, mails the person and escalates to their manager, once', async () => {
    const ack = await call(prompt, 'POST', `/api/v1/me/policies/${versionId}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    await setDue(addDays(today, -1));
    await runDaily();
    await mailTo(late.email, /^Overdue: acknowledge Acceptable Use Policy$/);
    const escalation = await mailTo('bea.boss@reminder.example', /overdue policy acknowledgements/);
    expect(escalation.subject).toBe('Late Larry has overdue policy acknowledgements');
    expect(escalation.text).toContain(late.email);
    expect(escalation.text).toContain('Acceptable Use Policy');
    const rows = await notices();
    expect(rows.filter((n) => n.stage === 'escalation')).toEqual([
      expect.objectContaining({
        user_id: late.id,
        recipient_email: 'bea.boss@reminder.example',
      }),
    ]);
    // Whoever acknowledged hears nothing more; nobody without a manager is escalated.
    expect(rows.filter((n) => n.user_id === prompt.id).map((n) => n.stage)).toEqual([
      'requested',
      'reminder',
      'final_reminder',
    ]);

    // Coverage follows the requests: one acknowledged (on time), one open past its deadline.
    const policies = await call(writer, 'GET', '/api/v1/policies');
    expect(
      policies.json<{ items: { coverage: unknown }[] }>().items.map((p) => p.coverage),
    ).toEqual([{ requested: 2, acknowledged: 1, overdue: 1, percent: 50 }]);

    const queued = await queuedMail();
    await runDaily();
    await setDue(addDays(today, -10));
    await runDaily();
    expect(await queuedMail()).toBe(queued);
    expect(await notices()).toHaveLength(rows.length);
    expect(mail.catcher.messages.filter((m) => m.to === 'bea.boss@reminder.example')).toHaveLength(
      1,
    );
  });

  it('keeps coverage counts equal to the requests they count', async () => {
    const counted = await t.pools.owner
      .selectFrom('policy_coverage_counts')
      .select(['due_on', 'requested', 'acknowledged', 'on_time'])
      .where('version_id', '=', versionId)
      .where('requested', '<>', 0)
      .orderBy('due_on')
      .execute();
    const live = await sql<{
      due_on: string;
      requested: number;
      acknowledged: number;
      on_time: number;
    }>`
      SELECT to_char(due_on, 'YYYY-MM-DD') AS due_on, count(*)::int AS requested,
             count(acknowledged_at)::int AS acknowledged,
             count(*) FILTER (WHERE (acknowledged_at AT TIME ZONE 'UTC')::date <= due_on)::int AS on_time
        FROM policy_acknowledgements WHERE version_id = ${versionId}
       GROUP BY due_on ORDER BY due_on`.execute(t.pools.owner);
    expect(counted).toEqual(live.rows);
  });

  it('keeps the record of what was sent: the database refuses changes and deletions', async () => {
    await expect(
      sql`UPDATE policy_acknowledgement_notices SET stage = 'requested'`.execute(t.pools.app),
    ).rejects.toThrow(/permission denied/);
    await expect(
      sql`DELETE FROM policy_acknowledgement_notices`.execute(t.pools.app),
    ).rejects.toThrow(/permission denied/);
  });
});
