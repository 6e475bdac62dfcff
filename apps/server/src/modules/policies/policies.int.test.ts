import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  seedOrg,
  seedUser,
  injectAs,
  statusAs,
  type SeededUser,
} from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { controlStatusOf, latestCheckOf } from '../../../test/record-queries.ts';
import { seedCheck, seedControl } from '../../../test/program-factories.ts';
import { todayUtc } from '../controls/index.ts';
import { runPolicyDay } from './index.ts';

interface Version {
  id: string;
  number: number;
  status: string;
  isMaterial: boolean | null;
  approvals: { userId: string; name: string; approvedAt: string }[];
  publishedAt: string | null;
  publishedBy: { id: string } | null;
}

interface Policy {
  id: string;
  key: string;
  title: string;
  nextReviewOn: string | null;
  isReviewOverdue: boolean;
  published: Version | null;
  pending: Version | null;
  controls: { id: string; ref: string }[];
  coverage: { requested: number; acknowledged: number; overdue: number; percent: number };
}

interface PolicyDetail {
  policy: Policy;
  versions: Version[];
  reviews: { reviewedOn: string; outcome: string; reviewer: { id: string } | null }[];
}

interface MyPolicy {
  versionId: string;
  title: string;
  number: number;
  dueOn: string;
  acknowledgedAt: string | null;
  body: string;
}

let t: TestApp;
let orgA: string;
let orgB: string;
let owner: SeededUser;
let admin: SeededUser;
let manager: SeededUser;
let contributor: SeededUser;
let auditor: SeededUser;
let employee1: SeededUser;
let employee2: SeededUser;
let adminB: SeededUser;
let controlId: string;

beforeAll(async () => {
  t = await createTestApp();
  orgA = await seedOrg(t, 'Acme Cloud');
  orgB = await seedOrg(t);
  owner = await seedUser(t, orgA, 'owner');
  admin = await seedUser(t, orgA, 'admin');
  manager = await seedUser(t, orgA, 'security_manager');
  contributor = await seedUser(t, orgA, 'contributor');
  auditor = await seedUser(t, orgA, 'auditor');
  employee1 = await seedUser(t, orgA, 'employee');
  employee2 = await seedUser(t, orgA, 'employee');
  adminB = await seedUser(t, orgB, 'admin');
  controlId = await seedControl(t, orgA, { ref: 'GOV-01', title: 'Information security policies' });
  await seedCheck(t, orgA, 'policies.reviews_current', [controlId]);
  await seedCheck(t, orgA, 'policies.acknowledgements_complete', [controlId]);
});

afterAll(async () => {
  await t.close();
});

async function call(
  user: SeededUser,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: unknown,
) {
  return injectAs(t, user, method, url, payload);
}

function jobDeps() {
  // Mail delivery is covered by the reminder tests; here only the day's records matter.
  return {
    db: t.pools.app,
    auditWriter: t.auditWriter,
    outbox: { send: () => Promise.resolve() },
    publicUrl: new URL('https://steward.example.test'),
  };
}

async function auditActions(orgId: string, action: string) {
  return t.pools.owner
    .selectFrom('audit_events')
    .select(['target_id', 'changes'])
    .where('org_id', '=', orgId)
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
}

async function approveAll(versionId: string, isMaterial: boolean): Promise<void> {
  for (const user of [admin, owner]) {
    const res = await call(user, 'POST', `/api/v1/policy-versions/${versionId}/approve`, {
      isMaterial,
    });
    expect(res.statusCode, res.body).toBe(200);
  }
}

describe('policy templates', () => {
  it('lists the starter templates to readers and refuses employees', async () => {
    const res = await call(auditor, 'GET', '/api/v1/policy-templates');
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: { key: string }[] }>().items;
    expect(items.length).toBeGreaterThanOrEqual(12);
    expect(await statusAs(t, employee1, 'GET', '/api/v1/policy-templates')).toBe(403);
  });

  it('creates a policy from a template with the org name and the template controls', async () => {
    const res = await call(manager, 'POST', '/api/v1/policies', {
      templateKey: 'information_security',
      approverIds: [admin.id],
    });
    expect(res.statusCode, res.body).toBe(201);
    const detail = res.json<PolicyDetail>();
    expect(detail.policy.key).toBe('information-security');
    expect(detail.policy.controls.map((c) => c.ref)).toEqual(['GOV-01']);
    expect(detail.versions).toHaveLength(1);
    const version = await call(
      auditor,
      'GET',
      `/api/v1/policy-versions/${detail.versions[0]?.id ?? ''}`,
    );
    const body = version.json<{ body: string }>().body;
    expect(body).toContain('Acme Cloud');
    expect(body).not.toContain('{{company}}');
    const events = await auditActions(orgA, 'policy.created');
    expect(events.map((e) => e.target_id)).toContain(detail.policy.id);
  });

  it('refuses creation without permission or with bad input', async () => {
    expect(
      await statusAs(t, contributor, 'POST', '/api/v1/policies', { key: 'x', title: 'X' }),
    ).toBe(403);
    expect(await statusAs(t, employee1, 'POST', '/api/v1/policies', { key: 'x', title: 'X' })).toBe(
      403,
    );
    const blank = await call(manager, 'POST', '/api/v1/policies', { title: 'No key' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('key');
    const unknown = await call(manager, 'POST', '/api/v1/policies', { templateKey: 'nope' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('templateKey');
    const badRole = await call(manager, 'POST', '/api/v1/policies', {
      key: 'roles',
      title: 'Roles',
      audience: 'roles',
      audienceValues: ['wizard'],
    });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.body).toContain('audienceValues');
    const taken = await call(manager, 'POST', '/api/v1/policies', {
      key: 'information-security',
      title: 'Again',
    });
    expect(taken.statusCode).toBe(409);
  });
});

describe('policy lifecycle', () => {
  let policyId: string;
  let v1: string;
  let v2: string;
  let v3: string;

  it('creates a blank policy for employees and edits its draft', async () => {
    const res = await call(manager, 'POST', '/api/v1/policies', {
      key: 'acceptable-use',
      title: 'Acceptable Use Policy',
      body: '# Acceptable use\n\nLock your screen.\n',
      approverIds: [admin.id, owner.id],
      audience: 'roles',
      audienceValues: ['employee'],
      controlIds: [controlId],
    });
    expect(res.statusCode, res.body).toBe(201);
    const detail = res.json<PolicyDetail>();
    policyId = detail.policy.id;
    v1 = detail.versions[0]?.id ?? '';
    const edit = await call(manager, 'PATCH', `/api/v1/policy-versions/${v1}`, {
      body: '# Acceptable use\n\nLock your screen when you leave it.\n\nReport lost laptops at once.\n',
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(
      await statusAs(t, auditor, 'PATCH', `/api/v1/policy-versions/${v1}`, { body: 'x' }),
    ).toBe(403);
    expect(await statusAs(t, manager, 'PATCH', `/api/v1/policy-versions/${v1}`, { body: 1 })).toBe(
      400,
    );
  });

  it('submits, then approves in approver order, never one’s own draft', async () => {
    const submit = await call(manager, 'POST', `/api/v1/policy-versions/${v1}/submit`);
    expect(submit.statusCode, submit.body).toBe(200);
    expect(submit.json<Version>().status).toBe('in_review');
    // A submitted version is no longer a draft.
    expect(
      await statusAs(t, manager, 'PATCH', `/api/v1/policy-versions/${v1}`, { body: 'x' }),
    ).toBe(409);
    const inbox = await call(admin, 'GET', '/api/v1/policy-approvals');
    expect(inbox.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(v1);
    expect(
      (await call(owner, 'GET', '/api/v1/policy-approvals')).json<{ items: { id: string }[] }>()
        .items,
    ).toEqual([]);
    expect(await statusAs(t, contributor, 'GET', '/api/v1/policy-approvals')).toBe(403);

    const early = await call(owner, 'POST', `/api/v1/policy-versions/${v1}/approve`, {
      isMaterial: true,
    });
    expect(early.statusCode).toBe(403);
    expect(early.json<{ code: string }>().code).toBe('policy.not_next_approver');
    const own = await call(manager, 'POST', `/api/v1/policy-versions/${v1}/approve`, {
      isMaterial: true,
    });
    expect(own.json<{ code: string }>().code).toBe('policy.own_draft');
    expect(await statusAs(t, admin, 'POST', `/api/v1/policy-versions/${v1}/approve`, {})).toBe(400);
    expect(
      await statusAs(t, contributor, 'POST', `/api/v1/policy-versions/${v1}/approve`, {
        isMaterial: true,
      }),
    ).toBe(403);
    await approveAll(v1, true);
    const version = await call(auditor, 'GET', `/api/v1/policy-versions/${v1}`);
    const approved = version.json<Version>();
    expect(approved.status).toBe('approved');
    expect(approved.approvals.map((a) => a.userId)).toEqual([admin.id, owner.id]);
  });

  it('publishes: everyone in the audience is asked to acknowledge; the control fails until they do', async () => {
    expect(await statusAs(t, contributor, 'POST', `/api/v1/policy-versions/${v1}/publish`)).toBe(
      403,
    );
    const res = await call(manager, 'POST', `/api/v1/policy-versions/${v1}/publish`);
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<{ version: Version; requested: number; carriedForward: number }>();
    expect(result).toMatchObject({ requested: 2, carriedForward: 0 });
    expect(result.version.publishedBy?.id).toBe(manager.id);
    const published = await auditActions(orgA, 'policy.published');
    expect(published.at(-1)?.changes).toMatchObject({
      isMaterial: true,
      acknowledgementsRequested: 2,
    });
    expect((await latestCheckOf(t, orgA, 'policies.acknowledgements_complete')).latest_status).toBe(
      'fail',
    );
    expect((await latestCheckOf(t, orgA, 'policies.reviews_current')).latest_status).toBe('pass');
    expect(await controlStatusOf(t, controlId)).toBe('failing');
    // Publishing twice is refused.
    expect(await statusAs(t, manager, 'POST', `/api/v1/policy-versions/${v1}/publish`)).toBe(409);
  });

  it('refuses any change to a published version at the database level', async () => {
    await expect(
      t.pools.owner
        .updateTable('policy_versions')
        .set({ body: 'tampered' })
        .where('id', '=', v1)
        .execute(),
    ).rejects.toThrow(/immutable/);
    await expect(
      t.pools.owner.deleteFrom('policy_versions').where('id', '=', v1).execute(),
    ).rejects.toThrow(/draft/);
  });

  it('lets employees see and acknowledge their policies; coverage rises and the control passes', async () => {
    const mine = await call(employee1, 'GET', '/api/v1/me/policies');
    expect(mine.statusCode).toBe(200);
    const items = mine.json<{ items: MyPolicy[] }>().items;
    expect(items.map((i) => i.title)).toEqual(['Acceptable Use Policy']);
    expect(items[0]?.acknowledgedAt).toBeNull();
    expect(items[0]?.body).toContain('Report lost laptops');
    // Not in the audience: nothing to acknowledge.
    expect(
      (await call(contributor, 'GET', '/api/v1/me/policies')).json<{ items: [] }>().items,
    ).toEqual([]);
    expect(await statusAs(t, contributor, 'POST', `/api/v1/me/policies/${v1}/acknowledge`)).toBe(
      404,
    );
    expect(await statusAs(t, employee1, 'POST', '/api/v1/me/policies/not-a-uuid/acknowledge')).toBe(
      400,
    );
    for (const employee of [employee1, employee2]) {
      const ack = await call(employee, 'POST', `/api/v1/me/policies/${v1}/acknowledge`);
      expect(ack.statusCode, ack.body).toBe(200);
      expect(ack.json<MyPolicy>().acknowledgedAt).not.toBeNull();
    }
    const events = await auditActions(orgA, 'policy.acknowledged');
    expect(events).toHaveLength(2);
    const detail = (
      await call(auditor, 'GET', `/api/v1/policies/${policyId}`)
    ).json<PolicyDetail>();
    expect(detail.policy.coverage).toEqual({
      requested: 2,
      acknowledged: 2,
      overdue: 0,
      percent: 100,
    });
    // The information security policy is not published yet, so the library only counts this one.
    expect((await latestCheckOf(t, orgA, 'policies.acknowledgements_complete')).latest_status).toBe(
      'pass',
    );
    expect(await controlStatusOf(t, controlId)).toBe('passing');
  });

  it('publishes a minor change without asking again and refuses acknowledging the old version', async () => {
    const created = await call(manager, 'POST', `/api/v1/policies/${policyId}/versions`, {
      changeSummary: 'Typo',
    });
    expect(created.statusCode, created.body).toBe(201);
    v2 = created.json<Version>().id;
    expect(await statusAs(t, manager, 'POST', `/api/v1/policies/${policyId}/versions`, {})).toBe(
      409,
    );
    await call(manager, 'PATCH', `/api/v1/policy-versions/${v2}`, {
      body: '# Acceptable use\n\nLock your screen whenever you leave it.\n\nReport lost laptops at once.\n',
    });
    await call(manager, 'POST', `/api/v1/policy-versions/${v2}/submit`);
    await approveAll(v2, false);
    const res = await call(manager, 'POST', `/api/v1/policy-versions/${v2}/publish`);
    expect(res.json()).toMatchObject({ requested: 0, carriedForward: 2 });
    const old = await call(auditor, 'GET', `/api/v1/policy-versions/${v1}`);
    expect(old.json<Version>().status).toBe('superseded');

    const superseded = await call(employee1, 'POST', `/api/v1/me/policies/${v1}/acknowledge`);
    expect(superseded.statusCode).toBe(409);
    expect(superseded.json<{ code: string; detail: string }>()).toMatchObject({
      code: 'policy.version_superseded',
    });
    expect(superseded.body).toContain('no longer in force');
    const mine = (await call(employee1, 'GET', '/api/v1/me/policies')).json<{
      items: MyPolicy[];
    }>();
    expect(mine.items.map((i) => [i.number, i.acknowledgedAt !== null])).toEqual([[2, true]]);
    expect(await controlStatusOf(t, controlId)).toBe('passing');
  });

  it('diffs two versions as hunks', async () => {
    const res = await call(auditor, 'GET', `/api/v1/policy-versions/${v2}/diff`);
    expect(res.statusCode).toBe(200);
    const diff = res.json<{
      from: Version;
      added: number;
      removed: number;
      hunks: { lines: { kind: string; text: string }[] }[];
    }>();
    expect(diff.from.id).toBe(v1);
    expect(diff).toMatchObject({ added: 1, removed: 1 });
    expect(diff.hunks[0]?.lines.filter((l) => l.kind !== 'same')).toEqual([
      expect.objectContaining({ kind: 'removed', text: 'Lock your screen when you leave it.' }),
      expect.objectContaining({ kind: 'added', text: 'Lock your screen whenever you leave it.' }),
    ]);
    expect(
      await statusAs(t, auditor, 'GET', `/api/v1/policy-versions/${v2}/diff?against=nope`),
    ).toBe(400);
    expect(await statusAs(t, employee1, 'GET', `/api/v1/policy-versions/${v2}/diff`)).toBe(403);
  });

  it('publishes a material change: everyone acknowledges again', async () => {
    const created = await call(manager, 'POST', `/api/v1/policies/${policyId}/versions`, {
      body: '# Acceptable use\n\nNo personal cloud storage for company data.\n',
      changeSummary: 'New rule on personal storage',
    });
    v3 = created.json<Version>().id;
    await call(manager, 'POST', `/api/v1/policy-versions/${v3}/submit`);
    // One approver calling it material is enough.
    await call(admin, 'POST', `/api/v1/policy-versions/${v3}/approve`, { isMaterial: true });
    await call(owner, 'POST', `/api/v1/policy-versions/${v3}/approve`, { isMaterial: false });
    const res = await call(manager, 'POST', `/api/v1/policy-versions/${v3}/publish`);
    expect(res.json()).toMatchObject({ requested: 2, carriedForward: 0 });
    const rows = await t.pools.owner
      .selectFrom('policy_acknowledgements')
      .select(['due_on', 'acknowledged_at'])
      .where('version_id', '=', v3)
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.acknowledged_at === null)).toBe(true);
    expect(await controlStatusOf(t, controlId)).toBe('failing');
  });

  it('records an annual review with no change and moves the next review date', async () => {
    const past = '2025-01-01';
    await t.pools.owner
      .updateTable('policies')
      .set({ next_review_on: past })
      .where('id', '=', policyId)
      .execute();
    await runPolicyDay(jobDeps(), orgA);
    expect((await latestCheckOf(t, orgA, 'policies.reviews_current')).latest_status).toBe('fail');
    expect((await latestCheckOf(t, orgA, 'policies.reviews_current')).latest_summary).toContain(
      'Acceptable Use Policy',
    );
    const listed = (await call(auditor, 'GET', '/api/v1/policies')).json<{ items: Policy[] }>();
    expect(listed.items.find((p) => p.id === policyId)?.isReviewOverdue).toBe(true);

    expect(await statusAs(t, contributor, 'POST', `/api/v1/policies/${policyId}/reviews`, {})).toBe(
      403,
    );
    expect(
      await statusAs(t, manager, 'POST', `/api/v1/policies/${policyId}/reviews`, { note: 5 }),
    ).toBe(400);
    const res = await call(manager, 'POST', `/api/v1/policies/${policyId}/reviews`, {
      note: 'Still matches practice',
    });
    expect(res.statusCode, res.body).toBe(201);
    const detail = res.json<PolicyDetail>();
    expect(detail.reviews[0]).toMatchObject({ reviewedOn: todayUtc(), outcome: 'no_change' });
    expect((detail.policy.nextReviewOn ?? '') > todayUtc()).toBe(true);
    expect((await latestCheckOf(t, orgA, 'policies.reviews_current')).latest_status).toBe('pass');
  });

  it('asks new joiners of the audience within 7 days', async () => {
    const joiner = await seedUser(t, orgA, 'employee');
    await runPolicyDay(jobDeps(), orgA);
    const mine = (await call(joiner, 'GET', '/api/v1/me/policies')).json<{ items: MyPolicy[] }>();
    expect(mine.items).toHaveLength(1);
    const due = new Date(`${todayUtc()}T00:00:00Z`);
    due.setUTCDate(due.getUTCDate() + 7);
    expect(mine.items[0]?.dueOn).toBe(due.toISOString().slice(0, 10));
  });

  it('updates settings and retires a policy', async () => {
    const update = await call(manager, 'PATCH', `/api/v1/policies/${policyId}`, {
      reviewCadenceMonths: 6,
    });
    expect(update.statusCode, update.body).toBe(200);
    expect(
      (await call(manager, 'PATCH', `/api/v1/policies/${policyId}`, { reviewCadenceMonths: 99 }))
        .statusCode,
    ).toBe(400);
    expect(await statusAs(t, auditor, 'PATCH', `/api/v1/policies/${policyId}`, {})).toBe(403);
    const retire = await call(manager, 'POST', `/api/v1/policies/${policyId}/retire`);
    expect(retire.statusCode).toBe(200);
    expect(retire.json<PolicyDetail>().policy.published).toBeNull();
    expect(
      (await call(employee1, 'GET', '/api/v1/me/policies')).json<{ items: [] }>().items,
    ).toEqual([]);
    expect(await statusAs(t, manager, 'POST', `/api/v1/policies/${policyId}/retire`)).toBe(409);
  });

  it('keeps policies inside their organisation', async () => {
    expect(await statusAs(t, adminB, 'GET', `/api/v1/policies/${policyId}`)).toBe(404);
    expect(await statusAs(t, adminB, 'GET', `/api/v1/policy-versions/${v3}`)).toBe(404);
    expect((await call(adminB, 'GET', '/api/v1/policies')).json<{ items: [] }>().items).toEqual([]);
  });
});

describe('coverage views', () => {
  it('revalidates the library and a policy by entity tag until the organisation changes', async () => {
    const created = await call(adminB, 'POST', '/api/v1/policies', {
      key: 'remote-work',
      title: 'Remote Work Policy',
      body: '# Remote work\n\nUse the VPN.\n',
      approverIds: [adminB.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<PolicyDetail>().policy.id;
    for (const url of ['/api/v1/policies', `/api/v1/policies/${id}`]) {
      const first = await call(adminB, 'GET', url);
      expect(first.statusCode).toBe(200);
      const etag = String(first.headers.etag);
      expect(first.headers['cache-control']).toBe('private, no-cache');
      const same = await t.http.inject({
        method: 'GET',
        url,
        headers: { ...bearer(adminB), 'if-none-match': etag },
      });
      expect(same.statusCode, url).toBe(304);
      expect(same.body).toBe('');
      const renamed = await call(adminB, 'PATCH', `/api/v1/policies/${id}`, {
        title: `Remote Work Policy (${url.length.toString()})`,
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      const after = await t.http.inject({
        method: 'GET',
        url,
        headers: { ...bearer(adminB), 'if-none-match': etag },
      });
      expect(after.statusCode, url).toBe(200);
      expect(after.headers.etag).not.toBe(etag);
      expect(after.body).toContain(`Remote Work Policy (${url.length.toString()})`);
    }
    // Another organisation's tag names nothing here.
    const orgB = await call(adminB, 'GET', '/api/v1/policies');
    const inA = await t.http.inject({
      method: 'GET',
      url: '/api/v1/policies',
      headers: { ...bearer(auditor), 'if-none-match': String(orgB.headers.etag) },
    });
    expect(inA.statusCode).toBe(200);
    expect(inA.json<{ items: Policy[] }>().items.map((p) => p.key)).not.toContain('remote-work');
  });
});

describe('an audience by department', () => {
  it('asks the people of those departments who sign in to Steward, and nobody else', async () => {
    for (const [user, department] of [
      [employee2, 'Engineering'],
      [contributor, 'Sales'],
    ] as const) {
      const person = await call(admin, 'POST', '/api/v1/people', {
        displayName: `Person ${department}`,
        email: user.email,
        department,
      });
      expect(person.statusCode, person.body).toBe(201);
    }
    const created = await call(manager, 'POST', '/api/v1/policies', {
      key: 'engineering-handbook',
      title: 'Engineering Handbook',
      body: '# Engineering handbook\n\nReview every change before it ships.\n',
      approverIds: [admin.id, owner.id],
      audience: 'departments',
      audienceValues: ['Engineering'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const versionId = created.json<PolicyDetail>().versions[0]?.id ?? '';
    expect(await statusAs(t, manager, 'POST', `/api/v1/policy-versions/${versionId}/submit`)).toBe(
      200,
    );
    await approveAll(versionId, true);
    const published = await call(manager, 'POST', `/api/v1/policy-versions/${versionId}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json<{ requested: number }>().requested).toBe(1);

    const titles = async (user: SeededUser) =>
      (await call(user, 'GET', '/api/v1/me/policies'))
        .json<{ items: MyPolicy[] }>()
        .items.map((i) => i.title);
    expect(await titles(employee2)).toContain('Engineering Handbook');
    expect(await titles(contributor)).not.toContain('Engineering Handbook');
    expect(await titles(employee1)).not.toContain('Engineering Handbook');
  });
});
