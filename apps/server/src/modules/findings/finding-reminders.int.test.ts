import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailOutbox } from '../../platform/mail/mail.jobs.ts';
import { bearer, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { postScan, type ReportUpload } from '../../../test/findings-factories.ts';
import type { TestApp } from '../../../test/harness.ts';
import { startMailTestApp, type CaughtMail, type MailTestApp } from '../../../test/mail-catcher.ts';
import { runDailyFindingsWork } from './findings.jobs.ts';

let mail: MailTestApp;
let t: TestApp;
let orgId: string;
let manager: SeededUser;
let owner: SeededUser;

beforeAll(async () => {
  mail = await startMailTestApp();
  t = mail.app;
  orgId = await seedOrg(t, 'Reminder Org', { withProgram: true });
  manager = await seedUser(t, orgId, 'security_manager');
  owner = await seedUser(t, orgId, 'contributor');
});

afterAll(async () => {
  await mail.close();
});

function genericReport(findings: { title: string; severity: string }[]): ReportUpload {
  return {
    name: 'findings.json',
    content: JSON.stringify({
      findings: findings.map((f) => ({ ...f, url: `https://app.example.test/${f.title}` })),
    }),
  };
}

async function createAsset(name: string, ownerId: string | null): Promise<string> {
  const res = await t.http.inject({
    method: 'POST',
    url: '/api/v1/assets',
    headers: bearer(manager),
    payload: { name, kind: 'web_application', ownerId },
  });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string }>().id;
}

async function findingIds(assetId: string): Promise<Map<string, string>> {
  const rows = await t.pools.owner
    .selectFrom('findings')
    .select(['id', 'title'])
    .where('asset_id', '=', assetId)
    .execute();
  return new Map(rows.map((r) => [r.title, r.id]));
}

async function setDue(id: string | undefined, due: Date): Promise<void> {
  await t.pools.owner
    .updateTable('findings')
    .set({ due_at: due })
    .where('id', '=', id ?? '')
    .execute();
}

async function mailsTo(to: string, subject: RegExp, count = 1): Promise<CaughtMail[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = mail.catcher.messages.filter((m) => m.to === to && subject.test(m.subject));
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${String(subject)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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

function runDaily(now: Date) {
  return runDailyFindingsWork(
    {
      db: t.pools.app,
      auditWriter: t.auditWriter,
      outbox: createMailOutbox(t.jobQueue),
      publicUrl: t.config.publicUrl,
    },
    orgId,
    now,
  );
}

const day = 86_400_000;

describe('remediation reminders', () => {
  it('tells the asset owner about new critical findings of an import at once, and only once', async () => {
    await createAsset('payments-api', owner.id);
    const report = genericReport([
      { title: 'Remote code execution', severity: 'critical' },
      { title: 'Weak TLS', severity: 'medium' },
    ]);
    const res = await postScan(t, manager, { asset: 'payments-api' }, report);
    expect(res.statusCode).toBe(201);
    const [notice] = await mailsTo(owner.email, /^New critical finding on payments-api/);
    expect(notice?.text).toContain('Remote code execution');
    expect(notice?.text).not.toContain('Weak TLS');
    const recorded = await t.pools.owner
      .selectFrom('finding_reminders')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('stage', '=', 'new_critical')
      .execute();
    expect(recorded).toHaveLength(1);
    const audit = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('org_id', '=', orgId)
      .where('action', '=', 'scan.imported')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.changes).toMatchObject({ newCritical: 1 });

    // Re-importing the same report creates nothing, so it notifies nobody again.
    const again = await postScan(t, manager, { asset: 'payments-api' }, report);
    expect(again.json<{ created: number }>().created).toBe(0);
    const after = await t.pools.owner
      .selectFrom('finding_reminders')
      .select('id')
      .where('org_id', '=', orgId)
      .where('stage', '=', 'new_critical')
      .execute();
    expect(after).toHaveLength(1);
  });

  it('reminds owners 7 days and 1 day before the deadline and at breach, each stage once', async () => {
    const assetId = await createAsset('storefront', owner.id);
    const orphanId = await createAsset('unowned-host', null);
    await postScan(
      t,
      manager,
      { asset: 'storefront' },
      genericReport([
        { title: 'Week away', severity: 'high' },
        { title: 'Tomorrow', severity: 'high' },
        { title: 'Overdue', severity: 'high' },
        { title: 'Far away', severity: 'low' },
      ]),
    );
    await postScan(
      t,
      manager,
      { asset: 'unowned-host' },
      genericReport([{ title: 'Nobody owns me', severity: 'high' }]),
    );
    const ids = await findingIds(assetId);
    const orphan = await findingIds(orphanId);
    const now = new Date(Date.now() + 3650 * day);
    // Everything else in this org is due long before this `now`; close it so only these count.
    await t.pools.owner
      .updateTable('findings')
      .set({ state: 'fixed', fixed_at: new Date() })
      .where('org_id', '=', orgId)
      .where('asset_id', 'not in', [assetId, orphanId])
      .execute();
    await setDue(ids.get('Week away'), new Date(now.getTime() + 5 * day));
    await setDue(ids.get('Tomorrow'), new Date(now.getTime() + 12 * 3_600_000));
    await setDue(ids.get('Overdue'), new Date(now.getTime() - 2 * day));
    await setDue(ids.get('Far away'), new Date(now.getTime() + 40 * day));
    await setDue(orphan.get('Nobody owns me'), new Date(now.getTime() - day));

    const first = await runDaily(now);
    expect(first.reminders).toBe(3);
    const stages = await t.pools.owner
      .selectFrom('finding_reminders')
      .select(['finding_id', 'stage', 'recipient_user_id'])
      .where('org_id', '=', orgId)
      .where('stage', '!=', 'new_critical')
      .execute();
    expect(new Map(stages.map((s) => [s.finding_id, s.stage]))).toEqual(
      new Map([
        [ids.get('Week away'), 'due_in_7_days'],
        [ids.get('Tomorrow'), 'due_in_1_day'],
        [ids.get('Overdue'), 'breached'],
      ]),
    );
    expect(stages.every((s) => s.recipient_user_id === owner.id)).toBe(true);
    const [reminder] = await mailsTo(owner.email, /^SLA breached:/);
    expect(reminder?.subject).toBe(
      'SLA breached: 1 finding past due, 1 finding due within a day, 1 finding due within 7 days',
    );
    expect(reminder?.text).toContain(`/findings/${ids.get('Overdue') ?? ''}`);
    expect(reminder?.text).not.toContain('Far away');
    expect(await auditCount('finding.reminders_sent')).toBe(1);

    // The same day again: nothing new, nothing sent, nothing audited.
    expect((await runDaily(now)).reminders).toBe(0);
    expect(await auditCount('finding.reminders_sent')).toBe(1);

    // Four days later the week-away finding is due within a day and tomorrow's is breached.
    const later = new Date(now.getTime() + 4 * day + 13 * 3_600_000);
    const second = await runDaily(later);
    expect(second.reminders).toBe(2);
    const reached = await t.pools.owner
      .selectFrom('finding_reminders')
      .select(['finding_id', 'stage'])
      .where('org_id', '=', orgId)
      .where('stage', '!=', 'new_critical')
      .orderBy('id')
      .execute();
    expect(reached.slice(3)).toEqual(
      expect.arrayContaining([
        { finding_id: ids.get('Week away'), stage: 'due_in_1_day' },
        { finding_id: ids.get('Tomorrow'), stage: 'breached' },
      ]),
    );
    const breachMails = await mailsTo(owner.email, /^SLA breached:/, 2);
    expect(breachMails[1]?.subject).toBe(
      'SLA breached: 1 finding past due, 1 finding due within a day',
    );
    expect(await auditCount('finding.reminders_sent')).toBe(2);
  });
});
