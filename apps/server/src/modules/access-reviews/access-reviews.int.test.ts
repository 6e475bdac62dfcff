import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, injectAs, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { readPdf } from '../../../test/pdf-reader.ts';
import { runAccessReviewDay } from './access-reviews.jobs.ts';

let t: TestApp;
let orgId: string;
let manager: SeededUser;
let systemOwner: SeededUser;
let reviewer2: SeededUser;
let employee: SeededUser;
let auditor: SeededUser;

async function call(user: SeededUser, method: string, url: string, payload?: unknown) {
  const res = await injectAs(t, user, method as 'GET', url, payload);
  return {
    status: res.statusCode,
    body: res.body,
    json: () => res.json<Record<string, unknown>>(),
  };
}

interface Item {
  id: string;
  externalId: string;
  decision: string | null;
  verification: string;
  verifiedBy: string | null;
  reviewer: { id: string };
  reviewerSource: string;
  entitlements: { kind: string; name: string }[];
}

async function createSystem(name: string, ownerUserId: string | null): Promise<string> {
  const res = await call(manager, 'POST', '/api/v1/systems', {
    name,
    environment: 'production',
    holdsCustomerData: true,
    signInMethod: 'local',
    connectorKind: 'push',
    ownerUserId,
  });
  expect(res.status, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

async function push(systemId: string, accounts: unknown[]): Promise<void> {
  const res = await call(manager, 'PUT', `/api/v1/systems/${systemId}/accounts`, { accounts });
  expect(res.status, res.body).toBe(200);
}

/**
 * The production database's accounts: a privileged admin (with `admin` added to it), Alice with
 * two roles, and the system owner's own.
 */
function databaseAccounts(admin: Record<string, unknown> = {}): unknown[] {
  return [
    {
      externalId: 'app_admin',
      ...admin,
      privileged: true,
      entitlements: [{ kind: 'role', name: 'superuser', privileged: true }],
    },
    {
      externalId: 'alice',
      email: 'alice@example.test',
      entitlements: [
        { kind: 'role', name: 'readonly' },
        { kind: 'role', name: 'writer' },
      ],
    },
    // The system owner's own account must go to someone else.
    { externalId: 'owner-self', email: systemOwner.email },
  ];
}

/** Launch a campaign as `user`. */
function launch(user: SeededUser, body: Record<string, unknown>) {
  return call(user, 'POST', '/api/v1/access-reviews', body);
}

async function items(user: SeededUser, campaignId: string, query = ''): Promise<Item[]> {
  const res = await call(user, 'GET', `/api/v1/access-reviews/${campaignId}/items${query}`);
  expect(res.status, res.body).toBe(200);
  return (res.json() as { items: Item[] }).items;
}

async function checkStatus(key: string): Promise<string | null> {
  const row = await t.pools.owner
    .selectFrom('checks')
    .select('latest_status')
    .where('org_id', '=', orgId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.latest_status ?? null;
}

let db: string;
let crm: string;
let campaignId: string;

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t, 'Reviewing Org', { withProgram: true });
  manager = await seedUser(t, orgId, 'security_manager');
  systemOwner = await seedUser(t, orgId, 'contributor');
  // An employee owns the CRM: reviewers need no permission beyond their own share.
  reviewer2 = await seedUser(t, orgId, 'employee');
  employee = await seedUser(t, orgId, 'employee');
  auditor = await seedUser(t, orgId, 'auditor');
  db = await createSystem('Production database', systemOwner.id);
  crm = await createSystem('Customer CRM', reviewer2.id);
  await push(db, databaseAccounts());
  await push(crm, [{ externalId: 'bob', email: 'bob@example.test' }]);
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('launching a campaign', () => {
  it('refuses bad input, unknown systems and roles without systems.manage', async () => {
    const refusals: {
      user: SeededUser;
      body: Record<string, unknown>;
      status: number;
      mentions?: string;
    }[] = [
      {
        user: manager,
        body: { name: 'Q4', systemIds: [], dueOn: '2099-01-01' },
        status: 400,
        mentions: 'systemIds',
      },
      {
        user: manager,
        body: { name: 'Q4', systemIds: [db], dueOn: '2000-01-01' },
        status: 400,
        mentions: 'dueOn',
      },
      {
        user: manager,
        body: {
          name: 'Q4',
          systemIds: ['00000000-0000-4000-8000-000000000000'],
          dueOn: '2099-01-01',
        },
        status: 400,
        mentions: 'No such system',
      },
      {
        user: systemOwner,
        body: { name: 'Q4', systemIds: [db], dueOn: '2099-01-01' },
        status: 403,
      },
      {
        user: manager,
        body: { name: 'Q4', systemIds: [db], dueOn: '2099-01-01', surprise: true },
        status: 400,
      },
    ];
    for (const refusal of refusals) {
      const res = await launch(refusal.user, refusal.body);
      expect(res.status).toBe(refusal.status);
      if (refusal.mentions !== undefined) expect(res.body).toContain(refusal.mentions);
    }
  });

  it('snapshots every account with its entitlements and assigns reviewers', async () => {
    const res = await launch(manager, {
      name: 'Quarterly review',
      systemIds: [db, crm],
      dueOn: '2099-01-01',
    });
    expect(res.status, res.body).toBe(201);
    const campaign = res.json() as {
      id: string;
      progress: { items: number; decided: number };
      reviewers: { id: string; progress: { items: number } }[];
    };
    campaignId = campaign.id;
    expect(campaign.progress).toMatchObject({ items: 4, decided: 0 });
    const all = await items(manager, campaignId);
    const byAccount = new Map(all.map((i) => [i.externalId, i]));
    expect(byAccount.get('alice')?.entitlements.map((e) => e.name)).toEqual(['readonly', 'writer']);
    expect(byAccount.get('alice')).toMatchObject({
      reviewer: { id: systemOwner.id },
      reviewerSource: 'system_owner',
    });
    expect(byAccount.get('bob')).toMatchObject({ reviewer: { id: reviewer2.id } });
    // Never the holder: the system owner's own account goes to the campaign's owner.
    expect(byAccount.get('owner-self')).toMatchObject({
      reviewer: { id: manager.id },
      reviewerSource: 'campaign_owner',
    });
    const events = await t.pools.owner
      .selectFrom('audit_events')
      .select(['action', 'changes'])
      .where('org_id', '=', orgId)
      .where('action', '=', 'access_review.launched')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.changes).toMatchObject({ items: 4 });
  });

  it('keeps the snapshot when the system changes afterwards', async () => {
    await push(db, [...databaseAccounts(), { externalId: 'newcomer', email: 'new@example.test' }]);
    const all = await items(manager, campaignId);
    expect(all.map((i) => i.externalId).sort()).toEqual([
      'alice',
      'app_admin',
      'bob',
      'owner-self',
    ]);
  });
});

describe('reviewing', () => {
  it('shows a reviewer without systems.read only their own share', async () => {
    const mine = await items(reviewer2, campaignId);
    expect(mine.map((i) => i.externalId)).toEqual(['bob']);
    const everything = await items(reviewer2, campaignId, `?reviewer=${systemOwner.id}`);
    expect(everything.map((i) => i.externalId)).toEqual(['bob']);
    const list = await call(reviewer2, 'GET', '/api/v1/access-reviews');
    expect((list.json() as { items: unknown[] }).items).toHaveLength(1);
    const detail = await call(reviewer2, 'GET', `/api/v1/access-reviews/${campaignId}`);
    expect((detail.json() as { progress: { items: number } }).progress.items).toBe(1);
    const ownShare = await items(systemOwner, campaignId, '?reviewer=me');
    expect(ownShare.map((i) => i.externalId).sort()).toEqual(['alice', 'app_admin']);
    const outsider = await call(employee, 'GET', `/api/v1/access-reviews/${campaignId}`);
    expect(outsider.status).toBe(404);
    const auditorView = await call(auditor, 'GET', `/api/v1/access-reviews/${campaignId}`);
    expect(auditorView.status).toBe(200);
  });

  it('requires a reason to revoke, and refuses others’ items and one’s own access', async () => {
    const mine = await items(systemOwner, campaignId, '?reviewer=me');
    const alice = mine.find((i) => i.externalId === 'alice');
    const noReason = await call(
      systemOwner,
      'POST',
      `/api/v1/access-reviews/${campaignId}/decisions`,
      {
        itemIds: [alice?.id],
        decision: 'revoke',
      },
    );
    expect(noReason.status).toBe(400);
    expect(noReason.body).toContain('reason');
    const all = await items(manager, campaignId);
    const bob = all.find((i) => i.externalId === 'bob');
    const notMine = await call(
      systemOwner,
      'POST',
      `/api/v1/access-reviews/${campaignId}/decisions`,
      {
        itemIds: [bob?.id],
        decision: 'keep',
      },
    );
    expect(notMine.status).toBe(403);
    expect(notMine.body).toContain('access_review.not_reviewer');
    const own = all.find((i) => i.externalId === 'owner-self');
    const self = await call(systemOwner, 'POST', `/api/v1/access-reviews/${campaignId}/decisions`, {
      itemIds: [own?.id],
      decision: 'keep',
    });
    expect(self.status).toBe(403);
    expect(self.body).toContain('access_review.self_review');
  });

  it('decides in bulk with a filter, only on undecided items of the reviewer', async () => {
    const res = await call(systemOwner, 'POST', `/api/v1/access-reviews/${campaignId}/decisions`, {
      filter: { privileged: true },
      decision: 'revoke',
      reason: 'No standing superuser on production',
    });
    expect(res.status, res.body).toBe(200);
    expect(res.json()).toEqual({ decided: 1 });
    const keep = await call(systemOwner, 'POST', `/api/v1/access-reviews/${campaignId}/decisions`, {
      filter: { decision: 'undecided' },
      decision: 'keep',
    });
    expect(keep.json()).toEqual({ decided: 1 });
    const mine = await items(systemOwner, campaignId, '?reviewer=me');
    expect(mine.map((i) => [i.externalId, i.decision, i.verification]).sort()).toEqual([
      ['alice', 'keep', 'not_needed'],
      ['app_admin', 'revoke', 'pending'],
    ]);
  });

  it('refuses to close while decisions or verifications are missing', async () => {
    const res = await call(manager, 'POST', `/api/v1/access-reviews/${campaignId}/close`);
    expect(res.status).toBe(409);
    expect(res.body).toContain('without a decision');
  });

  it('verifies a revocation when the next sync shows the account disabled', async () => {
    const rest = (await items(manager, campaignId)).filter((i) => i.decision === null);
    const decided = await call(manager, 'POST', `/api/v1/access-reviews/${campaignId}/decisions`, {
      itemIds: rest.filter((i) => i.externalId === 'owner-self').map((i) => i.id),
      decision: 'keep',
    });
    expect(decided.status, decided.body).toBe(200);
    const bob = rest.find((i) => i.externalId === 'bob');
    const changed = await call(
      reviewer2,
      'POST',
      `/api/v1/access-reviews/${campaignId}/decisions`,
      {
        itemIds: [bob?.id],
        decision: 'change',
        reason: 'Read only is enough',
      },
    );
    expect(changed.status, changed.body).toBe(200);
    await push(db, databaseAccounts({ status: 'disabled' }));
    const after = await items(manager, campaignId);
    expect(after.find((i) => i.externalId === 'app_admin')).toMatchObject({
      verification: 'verified',
      verifiedBy: 'sync',
    });
    expect(after.find((i) => i.externalId === 'bob')?.verification).toBe('pending');
  });

  it('verifies a change with evidence from the system owner, then closes with its report', async () => {
    const bob = (await items(manager, campaignId)).find((i) => i.externalId === 'bob');
    const evidence = await t.http.inject({
      method: 'POST',
      url: '/api/v1/evidence',
      headers: { ...bearer(manager), 'content-type': 'multipart/form-data; boundary=XYZ' },
      payload:
        '--XYZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nCRM role change\r\n' +
        '--XYZ\r\nContent-Disposition: form-data; name="url"\r\n\r\nhttps://tickets.example.test/42\r\n--XYZ--\r\n',
    });
    expect(evidence.statusCode, evidence.body).toBe(201);
    const evidenceId = evidence.json<{ id: string }>().id;
    const stranger = await call(
      employee,
      'POST',
      `/api/v1/access-reviews/${campaignId}/items/${bob?.id ?? ''}/verification`,
      { evidenceId },
    );
    expect(stranger.status).toBe(403);
    const verified = await call(
      reviewer2,
      'POST',
      `/api/v1/access-reviews/${campaignId}/items/${bob?.id ?? ''}/verification`,
      { evidenceId },
    );
    expect(verified.status, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ verification: 'verified', verifiedBy: 'evidence' });

    const notAllowed = await call(
      systemOwner,
      'POST',
      `/api/v1/access-reviews/${campaignId}/close`,
    );
    expect(notAllowed.status).toBe(403);
    const closed = await call(manager, 'POST', `/api/v1/access-reviews/${campaignId}/close`);
    expect(closed.status, closed.body).toBe(200);
    const body = closed.json() as { status: string; reportEvidenceId: string };
    expect(body.status).toBe('closed');
    const report = await t.pools.owner
      .selectFrom('evidence')
      .select(['title', 'task_id'])
      .where('id', '=', body.reportEvidenceId)
      .executeTakeFirstOrThrow();
    expect(report.title).toBe('Access review report: Quarterly review');
    expect(report.task_id).not.toBeNull();
    const csv = await call(auditor, 'GET', `/api/v1/access-reviews/${campaignId}/report.csv`);
    expect(csv.status).toBe(200);
    expect(csv.body.split('\n')[0]).toContain('system,account');
    expect(csv.body).toContain('No standing superuser on production');
    expect(await checkStatus('access_reviews.completed')).toBe('pass');
    expect(await checkStatus('access_reviews.revocations_applied')).toBe('pass');
    const again = await call(manager, 'POST', `/api/v1/access-reviews/${campaignId}/decisions`, {
      filter: {},
      decision: 'keep',
    });
    expect(again.status).toBe(409);
  });
});

describe('reminders and isolation', () => {
  it('reminds reviewers before the due date and escalates to the owner once overdue', async () => {
    const res = await launch(manager, {
      name: 'Second review',
      systemIds: [crm],
      dueOn: '2099-01-08',
    });
    expect(res.status, res.body).toBe(201);
    const sent: string[] = [];
    const deps = {
      db: t.pools.app,
      auditWriter: t.auditWriter,
      publicUrl: new URL('http://steward.test'),
      outbox: {
        send: (m: { to: string; subject: string }) => {
          sent.push(`${m.to}: ${m.subject}`);
          return Promise.resolve();
        },
      },
    };
    expect(await runAccessReviewDay(deps, orgId, new Date('2099-01-01T08:00:00Z'))).toEqual({
      reminders: 1,
      escalations: 0,
    });
    expect(await runAccessReviewDay(deps, orgId, new Date('2099-01-01T09:00:00Z'))).toEqual({
      reminders: 0,
      escalations: 0,
    });
    expect(await runAccessReviewDay(deps, orgId, new Date('2099-01-09T08:00:00Z'))).toEqual({
      reminders: 0,
      escalations: 1,
    });
    expect(sent.some((s) => s.startsWith(`${reviewer2.email}:`))).toBe(true);
    expect(sent.some((s) => s.startsWith(`${manager.email}:`) && s.includes('overdue'))).toBe(true);
  });

  it('keeps campaigns to their organisation', async () => {
    const other = await seedOrg(t, 'Other Org');
    const otherManager = await seedUser(t, other, 'security_manager');
    const res = await call(otherManager, 'GET', `/api/v1/access-reviews/${campaignId}`);
    expect(res.status).toBe(404);
    const list = await call(otherManager, 'GET', '/api/v1/access-reviews');
    expect((list.json() as { items: unknown[] }).items).toHaveLength(0);
    const decide = await call(
      otherManager,
      'POST',
      `/api/v1/access-reviews/${campaignId}/decisions`,
      {
        filter: {},
        decision: 'keep',
      },
    );
    expect(decide.status).toBe(404);
  });
});

describe('the PDF report', () => {
  it('is stored as evidence at closing next to the CSV, and downloadable from the campaign', async () => {
    const campaign = await call(auditor, 'GET', `/api/v1/access-reviews/${campaignId}`);
    const { reportEvidenceId, reportPdfEvidenceId } = campaign.json() as {
      reportEvidenceId: string;
      reportPdfEvidenceId: string;
    };
    expect(reportPdfEvidenceId).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await t.pools.owner
      .selectFrom('evidence')
      .select(['id', 'title', 'task_id', 'media_type', 'file_name'])
      .where('id', 'in', [reportEvidenceId, reportPdfEvidenceId])
      .execute();
    const csvEvidence = stored.find((e) => e.id === reportEvidenceId);
    const pdfEvidence = stored.find((e) => e.id === reportPdfEvidenceId);
    expect(pdfEvidence).toMatchObject({
      title: 'Access review report (PDF): Quarterly review',
      media_type: 'application/pdf',
    });
    expect(pdfEvidence?.file_name).toMatch(/^access-review-\d{4}-\d{2}-\d{2}\.pdf$/);
    expect(pdfEvidence?.task_id).toBe(csvEvidence?.task_id);
    const audit = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('org_id', '=', orgId)
      .where('action', '=', 'access_review.closed')
      .where('target_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    expect(audit.changes).toMatchObject({ reportPdfEvidenceId });

    const storedFile = await t.http.inject({
      method: 'GET',
      url: `/api/v1/evidence/${reportPdfEvidenceId}/content`,
      headers: bearer(auditor),
    });
    expect(storedFile.statusCode).toBe(200);
    const evidenceText = readPdf(storedFile.rawPayload).pages.join('\n');
    expect(evidenceText).toContain('Access review report: Quarterly review');
    expect(evidenceText).toContain('Closed');

    const res = await t.http.inject({
      method: 'GET',
      url: `/api/v1/access-reviews/${campaignId}/report.pdf`,
      headers: bearer(auditor),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('access-review.pdf');
    expect(res.rawPayload.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    const pdf = readPdf(res.rawPayload);
    expect(pdf.info).toMatchObject({
      Title: 'Access review report: Quarterly review',
      Producer: 'Steward',
    });
    const text = pdf.pages.join('\n');
    // Cells wrap at spaces; compare with line breaks as spaces.
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of [
      'Scope 2 system(s): Customer CRM, Production database; 4 account(s)',
      `Owner Test security_manager <${manager.email}>`,
      'Due 2099-01-01',
      // Totals: accounts, kept, revoked, modified, verified, pending decision, pending verification.
      'Pending verification 4 2 1 1 2 0 0',
      reviewer2.email,
      'role: superuser (privileged)',
      'Revoke No standing superuser on production',
      'Modify Read only is enough',
      'by account sync',
      'by evidence',
    ]) {
      expect(flat).toContain(expected);
    }
    // Every decision is listed, one row per account, with its system.
    for (const account of [
      'app_admin No person linked Privileged Production database role: superuser (privileged) Test contributor Revoke No standing superuser on production',
      'alice',
      'owner-self',
      'bob',
    ]) {
      expect(flat).toContain(account);
    }
    expect(flat.match(/ Keep /g)).toHaveLength(2);
    expect(text).toMatch(/Page 1 of \d+/);
  });

  it('is an interim report while the campaign is open', async () => {
    const res = await launch(manager, {
      name: 'Interim review',
      systemIds: [crm],
      dueOn: '2099-12-31',
    });
    expect(res.status, res.body).toBe(201);
    const id = (res.json() as { id: string }).id;
    const report = await t.http.inject({
      method: 'GET',
      url: `/api/v1/access-reviews/${id}/report.pdf`,
      headers: bearer(manager),
    });
    expect(report.statusCode).toBe(200);
    const text = readPdf(report.rawPayload).pages.join('\n');
    expect(text).toContain('Interim report of an open campaign');
    expect(text).toContain('bob');
    expect(text).toContain('Pending');
  });

  it('is refused without systems.read, to another organisation and for a bad id', async () => {
    expect(
      (await call(employee, 'GET', `/api/v1/access-reviews/${campaignId}/report.pdf`)).status,
    ).toBe(403);
    const other = await seedOrg(t, 'PDF Other Org');
    const otherManager = await seedUser(t, other, 'security_manager');
    expect(
      (await call(otherManager, 'GET', `/api/v1/access-reviews/${campaignId}/report.pdf`)).status,
    ).toBe(404);
    expect((await call(manager, 'GET', '/api/v1/access-reviews/not-an-id/report.pdf')).status).toBe(
      400,
    );
  });
});
