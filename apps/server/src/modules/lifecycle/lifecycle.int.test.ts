import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { createMailOutbox } from '../../platform/mail/mail.jobs.ts';
import {
  bearer,
  seedActor,
  seedOrg,
  seedUser,
  type SeededUser,
  injectAs,
} from '../../../test/factories.ts';
import type { TestApp } from '../../../test/harness.ts';
import { auditActionsOf, latestCheckOf } from '../../../test/record-queries.ts';
import { startMailTestApp, type MailTestApp } from '../../../test/mail-catcher.ts';
import {
  scimHeaders,
  scimUser,
  seedScimToken,
  type SeededScimToken,
} from '../../../test/people-factories.ts';
import { seedCheck, seedControl } from '../../../test/program-factories.ts';
import { todayUtc } from '../controls/index.ts';
import { onAccountsSynced, runLifecycleSweep } from './index.ts';

let mail: MailTestApp;
let t: TestApp;
let orgA: string;
let orgB: string;
let manager: SeededUser;
let contributor: SeededUser;
let systemOwner: SeededUser;
let auditor: SeededUser;
let employee: SeededUser;
let adminB: SeededUser;
let scimToken: SeededScimToken;

beforeAll(async () => {
  mail = await startMailTestApp();
  t = mail.app;
  orgA = await seedOrg(t, 'Lifecycle Org');
  orgB = await seedOrg(t, 'Other Org');
  manager = await seedUser(t, orgA, 'security_manager');
  contributor = await seedUser(t, orgA, 'contributor');
  systemOwner = await seedUser(t, orgA, 'contributor');
  auditor = await seedUser(t, orgA, 'auditor');
  employee = await seedUser(t, orgA, 'employee');
  adminB = await seedUser(t, orgB, 'admin');
  scimToken = await seedScimToken(t, orgA, 'Entra ID');
  const controlId = await seedControl(t, orgA, { ref: 'AC-04', title: 'Joiner, mover, leaver' });
  await seedCheck(t, orgA, 'people.leavers_deprovisioned', [controlId]);
  await seedCheck(t, orgA, 'people.movers_access_adjusted', [controlId]);
});

afterAll(async () => {
  await mail.close();
});

interface ChecklistBody {
  id: string;
  kind: string;
  status: string;
  reason: string;
  person: { id: string; displayName: string };
  details: Record<string, unknown>;
  isOverdue: boolean;
  itemCount: number;
  openItemCount: number;
  dueAt: string;
}

interface ItemBody {
  id: string;
  type: string;
  title: string;
  status: string;
  canClose: boolean;
  closedVia: string | null;
  evidenceId: string | null;
  account: { id: string } | null;
}

async function createPerson(by: SeededUser, body: Record<string, unknown>): Promise<string> {
  const res = await injectAs(t, by, 'POST', '/api/v1/people', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function checklistsOf(personId: string, by: SeededUser = manager): Promise<ChecklistBody[]> {
  const res = await injectAs(
    t,
    by,
    'GET',
    `/api/v1/lifecycle/checklists?status=all&personId=${personId}`,
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: ChecklistBody[] }>().items;
}

async function detail(id: string, by: SeededUser = manager) {
  const res = await injectAs(t, by, 'GET', `/api/v1/lifecycle/checklists/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ checklist: ChecklistBody; items: ItemBody[] }>();
}

function complete(by: SeededUser, itemId: string, body: Record<string, unknown>) {
  return injectAs(t, by, 'POST', `/api/v1/lifecycle/items/${itemId}/complete`, body);
}

async function seedSystemWithAccount(
  personId: string,
  values: { name: string; ownerId: string | null; username: string },
): Promise<{ systemId: string; accountId: string }> {
  const system = await t.pools.owner
    .insertInto('systems')
    .values({
      org_id: orgA,
      name: values.name,
      owner_user_id: values.ownerId,
      environment: 'production',
      sign_in_method: 'local',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    systemId: system.id,
    accountId: await seedAccount(system.id, personId, values.username),
  };
}

/** An account `username` on `systemId`, linked by hand to `personId`; its id. */
async function seedAccount(systemId: string, personId: string, username: string): Promise<string> {
  const account = await t.pools.owner
    .insertInto('system_accounts')
    .values({
      org_id: orgA,
      system_id: systemId,
      external_id: username,
      username,
      person_id: personId,
      link_method: 'manual',
      digest: 'seed',
      first_seen_at: new Date(),
      last_seen_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return account.id;
}

/** What the systems module does in a sync's transaction: update accounts, then call the hook. */
async function syncDisabling(systemId: string, accountIds: string[]): Promise<string> {
  const uow = createUnitOfWork({
    db: t.pools.app,
    auditWriter: t.auditWriter,
    orgId: orgA,
    actor: seedActor,
  });
  return uow.write(async (scope) => {
    const sync = await scope.tx
      .insertInto('system_syncs')
      .values({
        org_id: orgA,
        system_id: systemId,
        source: 'postgresql',
        status: 'succeeded',
        started_at: new Date(),
        actor_label: null,
        finished_at: new Date(),
        error: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (accountIds.length > 0) {
      await scope.tx
        .updateTable('system_accounts')
        .set({ status: 'disabled', disabled_at: new Date(), last_sync_id: sync.id })
        .where('id', 'in', accountIds)
        .execute();
    }
    await onAccountsSynced(scope, { orgId: orgA, systemId, syncId: sync.id });
    await scope.audit({
      action: 'person.updated',
      targetType: 'system',
      targetId: systemId,
      changes: { sync: sync.id },
    });
    return sync.id;
  });
}

async function addLinkEvidence(by: SeededUser): Promise<string> {
  const boundary = `----lc${randomUUID()}`;
  const fields = { url: 'https://example.test/ticket/42', title: 'Account disabled' };
  const body = Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  const res = await t.http.inject({
    method: 'POST',
    url: '/api/v1/evidence',
    headers: { ...bearer(by), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `${body}--${boundary}--\r\n`,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

function sweep(): Promise<void> {
  return runLifecycleSweep(
    {
      db: t.pools.app,
      auditWriter: t.auditWriter,
      outbox: createMailOutbox(t.jobQueue),
      publicUrl: t.config.publicUrl,
    },
    orgA,
  );
}

describe('joiner', () => {
  it('opens a joiner checklist for a new person, with screening for an employee', async () => {
    const id = await createPerson(manager, {
      displayName: 'Jo Joiner',
      email: 'jo@acme.test',
      employmentType: 'employee',
      department: 'Sales',
    });
    const [checklist] = await checklistsOf(id);
    expect(checklist).toMatchObject({
      kind: 'joiner',
      status: 'open',
      reason: 'Added to the directory',
    });
    const { items } = await detail(checklist?.id ?? '');
    expect(items.map((i) => i.title)).toContain('Complete background screening');
    expect(items.every((i) => i.canClose)).toBe(true);
    expect(await auditActionsOf(t, checklist?.id ?? '')).toEqual(['lifecycle.checklist_opened']);
    const intern = await createPerson(manager, {
      displayName: 'Ian Intern',
      employmentType: 'intern',
    });
    const [internList] = await checklistsOf(intern);
    const internItems = (await detail(internList?.id ?? '')).items.map((i) => i.title);
    expect(internItems).not.toContain('Complete background screening');
  });

  it('opens joiners for a SCIM push and a CSV import', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: scimHeaders(scimToken),
      payload: scimUser('sam@acme.test', { emails: [{ value: 'sam@acme.test', primary: true }] }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const samId = res.json<{ id: string }>().id;
    // An identity provider's changes are derived after they commit, in the background.
    await t.lifecycleDeriver.idle();
    expect((await checklistsOf(samId)).map((c) => c.kind)).toEqual(['joiner']);
    const queued = await t.pools.owner.selectFrom('lifecycle_pending').select('id').execute();
    expect(queued).toEqual([]);
    const derived = await t.pools.owner
      .selectFrom('audit_events')
      .select(['actor_label', 'changes'])
      .where('action', '=', 'lifecycle.changes_derived')
      .execute();
    expect(derived).toEqual([
      {
        actor_label: 'lifecycle.deriver',
        changes: expect.objectContaining({ changes: 1, checklistsOpened: 1 }) as unknown,
      },
    ]);

    const boundary = `----csv${randomUUID()}`;
    const csv = 'email,name,department\ncara@acme.test,Cara Csv,Support\n';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
    const imported = await t.http.inject({
      method: 'POST',
      url: '/api/v1/people/import',
      headers: { ...bearer(manager), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const person = await t.pools.owner
      .selectFrom('people')
      .select('id')
      .where('email', '=', 'cara@acme.test')
      .executeTakeFirstOrThrow();
    expect((await checklistsOf(person.id)).map((c) => c.kind)).toEqual(['joiner']);
  });

  it('lets someone who manages people tick a task; others may not', async () => {
    const id = await createPerson(manager, { displayName: 'Tia Tasks', employmentType: 'intern' });
    const [checklist] = await checklistsOf(id);
    const { items } = await detail(checklist?.id ?? '', contributor);
    expect(items.every((i) => !i.canClose)).toBe(true);
    const first = items[0];
    if (!first) throw new Error('no item');
    const forbidden = await complete(contributor, first.id, {});
    expect(forbidden.statusCode).toBe(403);
    expect((await complete(employee, first.id, {})).statusCode).toBe(403);
    const noReason = await complete(manager, first.id, { outcome: 'not_applicable' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('note');
    const bad = await complete(manager, first.id, { outcome: 'maybe' });
    expect(bad.statusCode).toBe(400);
    const done = await complete(manager, first.id, { note: 'Laptop and accounts ready' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<ItemBody>()).toMatchObject({ status: 'done', closedVia: 'manual' });
    expect((await complete(manager, first.id, {})).json<{ code: string }>().code).toBe(
      'lifecycle.item_closed',
    );
    for (const item of items.slice(1)) {
      const res = await complete(manager, item.id, { outcome: 'not_applicable', note: 'n/a' });
      expect(res.statusCode, res.body).toBe(200);
    }
    const after = await detail(checklist?.id ?? '');
    expect(after.checklist).toMatchObject({ status: 'done', openItemCount: 0 });
    expect(await auditActionsOf(t, checklist?.id ?? '')).toContain('lifecycle.checklist_completed');
  });
});

describe('mover', () => {
  it('opens a mover checklist when the department changes, not when it is first filled in', async () => {
    const id = await createPerson(manager, { displayName: 'Max Mover' });
    const filled = await injectAs(t, manager, 'PATCH', `/api/v1/people/${id}`, {
      department: 'Sales',
    });
    expect(filled.statusCode, filled.body).toBe(200);
    expect((await checklistsOf(id)).map((c) => c.kind)).toEqual(['joiner']);
    const moved = await injectAs(t, manager, 'PATCH', `/api/v1/people/${id}`, {
      department: 'Finance',
      title: 'Analyst',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const lists = await checklistsOf(id);
    const mover = lists.find((c) => c.kind === 'mover');
    expect(mover).toMatchObject({
      reason: 'Changed department',
      details: { department: { from: 'Sales', to: 'Finance' } },
    });
    const { items } = await detail(mover?.id ?? '');
    expect(items.map((i) => i.type)).toEqual(['review_accounts']);
    const event = await t.pools.owner
      .selectFrom('lifecycle_events')
      .select('change_seq')
      .where('person_id', '=', id)
      .where('kind', '=', 'mover')
      .executeTakeFirstOrThrow();
    expect(event.change_seq).not.toBeNull();
  });
});

describe('leaver', () => {
  let leaverId: string;
  let checklistId: string;
  let billing: { systemId: string; accountId: string };
  let github: { systemId: string; accountId: string };

  it('opens a leaver checklist listing every account when SCIM deactivates with "False"', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: scimHeaders(scimToken),
      payload: scimUser('lee@acme.test', { emails: [{ value: 'lee@acme.test', primary: true }] }),
    });
    leaverId = res.json<{ id: string }>().id;
    await t.lifecycleDeriver.idle();
    billing = await seedSystemWithAccount(leaverId, {
      name: 'Billing DB',
      ownerId: systemOwner.id,
      username: 'lee',
    });
    github = await seedSystemWithAccount(leaverId, {
      name: 'GitHub',
      ownerId: null,
      username: 'lee-gh',
    });
    const patch = await t.http.inject({
      method: 'PATCH',
      url: `/scim/v2/Users/${leaverId}`,
      headers: scimHeaders(scimToken),
      payload: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      },
    });
    expect(patch.statusCode, patch.body).toBeLessThan(300);
    await t.lifecycleDeriver.idle();
    const lists = await checklistsOf(leaverId);
    const leaver = lists.find((c) => c.kind === 'leaver');
    expect(leaver).toMatchObject({ status: 'open', reason: 'Deactivated in the directory' });
    expect(lists.find((c) => c.kind === 'joiner')?.status).toBe('cancelled');
    checklistId = leaver?.id ?? '';
    const hours = (Date.parse(leaver?.dueAt ?? '') - Date.now()) / 3_600_000;
    expect(Math.round(hours)).toBe(24);
    const { items } = await detail(checklistId);
    expect(items.filter((i) => i.type === 'account').map((i) => i.title)).toEqual([
      'Disable lee on Billing DB',
      'Disable lee-gh on GitHub',
    ]);
  });

  it('does not open a second leaver checklist when the identity provider deletes the user', async () => {
    const res = await t.http.inject({
      method: 'DELETE',
      url: `/scim/v2/Users/${leaverId}`,
      headers: scimHeaders(scimToken),
    });
    expect(res.statusCode).toBe(204);
    await t.lifecycleDeriver.idle();
    expect((await checklistsOf(leaverId)).filter((c) => c.kind === 'leaver')).toHaveLength(1);
  });

  it('closes an account item only with the system owner’s evidence', async () => {
    const { items } = await detail(checklistId, systemOwner);
    const billingItem = items.find((i) => i.account?.id === billing.accountId);
    const githubItem = items.find((i) => i.account?.id === github.accountId);
    if (!billingItem || !githubItem) throw new Error('account items missing');
    expect(billingItem.canClose).toBe(true);
    expect(githubItem.canClose).toBe(false);
    const notOwner = await complete(manager, billingItem.id, {});
    expect(notOwner.statusCode).toBe(403);
    expect(notOwner.json<{ code: string }>().code).toBe('lifecycle.not_system_owner');
    const noEvidence = await complete(systemOwner, billingItem.id, {});
    expect(noEvidence.statusCode).toBe(400);
    expect(noEvidence.json<{ code: string; errors: { path: string }[] }>()).toMatchObject({
      code: 'lifecycle.evidence_required',
      errors: [{ path: 'evidenceId' }],
    });
    const unknown = await complete(systemOwner, billingItem.id, { evidenceId: randomUUID() });
    expect(unknown.statusCode).toBe(400);
    const evidenceId = await addLinkEvidence(systemOwner);
    const done = await complete(systemOwner, billingItem.id, { evidenceId });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<ItemBody>()).toMatchObject({
      status: 'done',
      closedVia: 'evidence',
      evidenceId,
    });
  });

  it('closes an account item when a sync shows the account disabled, and adds accounts found later', async () => {
    const lateId = await seedAccount(github.systemId, leaverId, 'lee-admin');
    const syncId = await syncDisabling(github.systemId, [github.accountId]);
    const { items } = await detail(checklistId);
    expect(items.find((i) => i.account?.id === github.accountId)).toMatchObject({
      status: 'done',
      closedVia: 'sync',
    });
    expect(items.find((i) => i.account?.id === lateId)).toMatchObject({
      status: 'open',
      title: 'Disable lee-admin on GitHub',
    });
    const row = await t.pools.owner
      .selectFrom('lifecycle_items')
      .select('sync_id')
      .where('account_id', '=', github.accountId)
      .executeTakeFirstOrThrow();
    expect(row.sync_id).toBe(syncId);
  });

  it('fails the leavers check and mails once the deadline passes, and passes when all is done', async () => {
    await t.pools.owner
      .updateTable('lifecycle_checklists')
      .set({ due_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', checklistId)
      .execute();
    await sweep();
    const check = await latestCheckOf(t, orgA, 'people.leavers_deprovisioned');
    expect(check.latest_status).toBe('fail');
    expect(check.latest_summary).toContain('lee@acme.test (3 open)');
    const summary = await injectAs(t, auditor, 'GET', '/api/v1/lifecycle/summary');
    expect(summary.json<{ overdue: { leaver: number }; overdueItems: number }>()).toMatchObject({
      overdue: { leaver: 1 },
    });
    const overdueList = await injectAs(
      t,
      manager,
      'GET',
      '/api/v1/lifecycle/checklists?status=overdue',
    );
    expect(overdueList.json<{ items: ChecklistBody[] }>().items.map((c) => c.id)).toEqual([
      checklistId,
    ]);
    const notice = await mail.catcher.nextMailTo(manager.email);
    expect(notice.subject).toContain('Overdue');
    expect(notice.text).toContain('lee');
    await sweep();
    const notified = await t.pools.owner
      .selectFrom('audit_events')
      .select('id')
      .where('org_id', '=', orgA)
      .where('action', '=', 'lifecycle.overdue_notified')
      .execute();
    expect(notified).toHaveLength(1);

    const { items } = await detail(checklistId);
    const lateItem = items.find((i) => i.title === 'Disable lee-admin on GitHub');
    await syncDisabling(github.systemId, lateItem?.account ? [lateItem.account.id] : []);
    for (const item of (await detail(checklistId)).items.filter((i) => i.status === 'open')) {
      const res = await complete(manager, item.id, { note: 'Done at the desk' });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await detail(checklistId)).checklist.status).toBe('done');
    expect((await latestCheckOf(t, orgA, 'people.leavers_deprovisioned')).latest_status).toBe(
      'pass',
    );
  });

  it('opens a leaver checklist when an end date is reached, once', async () => {
    const id = await createPerson(manager, {
      displayName: 'Eve Enddate',
      startDate: '2020-01-01',
      endDate: todayUtc(),
    });
    await sweep();
    await sweep();
    const leavers = (await checklistsOf(id)).filter((c) => c.kind === 'leaver');
    expect(leavers).toHaveLength(1);
    expect(leavers[0]?.reason).toBe('End date reached');
  });
});

describe('templates and settings', () => {
  it('shows the default templates and lets a people manager replace one', async () => {
    const list = await injectAs(t, auditor, 'GET', '/api/v1/lifecycle/templates');
    expect(list.statusCode).toBe(200);
    const templates = list.json<{ items: { kind: string; isCustomised: boolean }[] }>().items;
    expect(templates.map((x) => x.kind)).toEqual(['joiner', 'mover', 'leaver']);
    const body = {
      name: 'Mover (engineering)',
      items: [
        { title: 'Review production access', type: 'review_accounts' },
        { title: 'Update on-call rota', description: 'Remove from the old team' },
      ],
    };
    const forbidden = await injectAs(
      t,
      contributor,
      'PUT',
      '/api/v1/lifecycle/templates/mover',
      body,
    );
    expect(forbidden.statusCode).toBe(403);
    const wrongType = await injectAs(t, manager, 'PUT', '/api/v1/lifecycle/templates/mover', {
      ...body,
      items: [{ title: 'x', type: 'disable_accounts' }],
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('items.0.type');
    const empty = await injectAs(t, manager, 'PUT', '/api/v1/lifecycle/templates/mover', {
      name: 'x',
      items: [],
    });
    expect(empty.statusCode).toBe(400);
    const saved = await injectAs(t, manager, 'PUT', '/api/v1/lifecycle/templates/mover', body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<{ isCustomised: boolean; items: unknown[] }>()).toMatchObject({
      isCustomised: true,
      items: [{ title: 'Review production access' }, { title: 'Update on-call rota' }],
    });
    const id = await createPerson(manager, { displayName: 'Tom Template', title: 'Engineer' });
    await injectAs(t, manager, 'PATCH', `/api/v1/people/${id}`, { title: 'Staff engineer' });
    const mover = (await checklistsOf(id)).find((c) => c.kind === 'mover');
    expect((await detail(mover?.id ?? '')).items.map((i) => i.title)).toEqual([
      'Review production access',
      'Update on-call rota',
    ]);
  });

  it('reads and changes the deadlines', async () => {
    const read = await injectAs(t, auditor, 'GET', '/api/v1/lifecycle/settings');
    expect(read.json()).toEqual({
      leaverDeadlineHours: 24,
      moverDeadlineHours: 120,
      joinerDeadlineHours: 168,
    });
    const bad = await injectAs(t, manager, 'PATCH', '/api/v1/lifecycle/settings', {
      leaverDeadlineHours: 0,
    });
    expect(bad.statusCode).toBe(400);
    const forbidden = await injectAs(t, auditor, 'PATCH', '/api/v1/lifecycle/settings', {
      leaverDeadlineHours: 8,
    });
    expect(forbidden.statusCode).toBe(403);
    const changed = await injectAs(t, manager, 'PATCH', '/api/v1/lifecycle/settings', {
      leaverDeadlineHours: 8,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<{ leaverDeadlineHours: number }>().leaverDeadlineHours).toBe(8);
    const id = await createPerson(manager, { displayName: 'Dee Deadline' });
    await injectAs(t, manager, 'PATCH', `/api/v1/people/${id}`, { status: 'departed' });
    const leaver = (await checklistsOf(id)).find((c) => c.kind === 'leaver');
    const hours = (Date.parse(leaver?.dueAt ?? '') - Date.now()) / 3_600_000;
    expect(Math.round(hours)).toBe(8);
  });
});

describe('person lifecycle, paging and isolation', () => {
  it("lists a person's checklists and accounts", async () => {
    const id = await createPerson(manager, { displayName: 'Pat Person' });
    await seedSystemWithAccount(id, { name: 'Wiki', ownerId: null, username: 'pat' });
    const res = await injectAs(t, auditor, 'GET', `/api/v1/people/${id}/lifecycle`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      checklists: [{ kind: 'joiner' }],
      accounts: [{ system: { name: 'Wiki' }, username: 'pat', status: 'active' }],
    });
    const missing = await injectAs(t, auditor, 'GET', `/api/v1/people/${randomUUID()}/lifecycle`);
    expect(missing.statusCode).toBe(404);
    expect((await injectAs(t, employee, 'GET', `/api/v1/people/${id}/lifecycle`)).statusCode).toBe(
      403,
    );
  });

  it('pages the checklist list and refuses a bad cursor', async () => {
    const first = await injectAs(
      t,
      manager,
      'GET',
      '/api/v1/lifecycle/checklists?status=all&limit=2',
    );
    const page = first.json<{ items: ChecklistBody[]; nextCursor: string | null }>();
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();
    const second = await injectAs(
      t,
      manager,
      'GET',
      `/api/v1/lifecycle/checklists?status=all&limit=2&cursor=${page.nextCursor ?? ''}`,
    );
    const ids = second.json<{ items: ChecklistBody[] }>().items.map((c) => c.id);
    expect(ids.some((id) => page.items.some((c) => c.id === id))).toBe(false);
    const bad = await injectAs(t, manager, 'GET', '/api/v1/lifecycle/checklists?cursor=nope');
    expect(bad.statusCode).toBe(400);
    const badKind = await injectAs(t, manager, 'GET', '/api/v1/lifecycle/checklists?kind=visitor');
    expect(badKind.statusCode).toBe(400);
  });

  it("keeps one org's checklists from another", async () => {
    const list = await injectAs(t, adminB, 'GET', '/api/v1/lifecycle/checklists?status=all');
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
    const [any] = await checklistsOf(
      (
        await t.pools.owner
          .selectFrom('lifecycle_checklists')
          .select('person_id')
          .where('org_id', '=', orgA)
          .executeTakeFirstOrThrow()
      ).person_id,
    );
    const foreign = await injectAs(
      t,
      adminB,
      'GET',
      `/api/v1/lifecycle/checklists/${any?.id ?? ''}`,
    );
    expect(foreign.statusCode).toBe(404);
    const item = await t.pools.owner
      .selectFrom('lifecycle_items')
      .select('id')
      .where('org_id', '=', orgA)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    const close = await complete(adminB, item.id, { note: 'not mine' });
    expect(close.statusCode).toBe(404);
    const summary = await injectAs(t, adminB, 'GET', '/api/v1/lifecycle/summary');
    expect(summary.json()).toEqual({
      open: { joiner: 0, mover: 0, leaver: 0 },
      overdue: { joiner: 0, mover: 0, leaver: 0 },
      overdueItems: 0,
    });
  });
});
