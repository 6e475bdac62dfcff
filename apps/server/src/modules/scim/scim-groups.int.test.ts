import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { scimUser, seedScimToken, type SeededScimToken } from '../../../test/people-factories.ts';
import { findGroupMemberIds, sendScim, type ScimMethod } from './scim-fixtures.ts';

const groupUrn = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const patchOp = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let t: TestApp;
let orgId: string;
let token: SeededScimToken;
const people: string[] = [];

function scim(method: ScimMethod, url: string, body?: unknown) {
  return sendScim(t, token, method, url, body);
}

function memberIds(groupId: string): Promise<string[]> {
  return findGroupMemberIds(t, groupId);
}

async function createGroup(displayName: string, members: string[] = []): Promise<string> {
  const res = await scim('POST', '/Groups', {
    schemas: [groupUrn],
    displayName,
    members: members.map((value) => ({ value })),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t);
  token = await seedScimToken(t, orgId, 'Directory');
  for (const name of ['g.one', 'g.two', 'g.three', 'g.four']) {
    const res = await scim('POST', '/Users', scimUser(name, { displayName: name.toUpperCase() }));
    people.push(res.json<{ id: string }>().id);
  }
});

afterAll(async () => {
  await t.close();
});

describe('SCIM groups', () => {
  it('creates a group with members, reads it with and without members', async () => {
    const [one = '', two = ''] = people;
    const res = await scim('POST', '/Groups', {
      schemas: [groupUrn],
      displayName: 'Engineering',
      externalId: 'eng',
      members: [{ value: one, display: 'ignored' }, { value: two }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const group = res.json<{ id: string; meta: { location: string }; members: unknown[] }>();
    expect(res.headers.location).toBe(group.meta.location);
    expect(group.members).toEqual([
      expect.objectContaining({ value: one, display: 'G.ONE', type: 'User' }),
      expect.objectContaining({ value: two, display: 'G.TWO' }),
    ]);
    const lean = await scim('GET', `/Groups/${group.id}?excludedAttributes=members`);
    expect(lean.json<Record<string, unknown>>().members).toBeUndefined();
    expect(lean.json()).toMatchObject({ displayName: 'Engineering', externalId: 'eng' });
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select(['changes', 'actor_label'])
      .where('target_id', '=', group.id)
      .where('action', '=', 'group.created')
      .executeTakeFirstOrThrow();
    expect(event.changes).toMatchObject({ displayName: 'Engineering', membersAdded: 2 });
    expect(event.actor_label).toBe('scim:Directory');
  });

  it('filters groups by name and by member', async () => {
    const [one = '', , three = ''] = people;
    const id = await createGroup('Finance', [one]);
    const byName = await scim(
      'GET',
      `/Groups?filter=${encodeURIComponent('displayName eq "finance"')}`,
    );
    expect(byName.json<{ Resources: { id: string }[] }>().Resources.map((r) => r.id)).toEqual([id]);
    const member = await scim(
      'GET',
      `/Groups?filter=${encodeURIComponent(`id eq "${id}" and members[value eq "${one}"]`)}`,
    );
    expect(member.json<{ totalResults: number }>().totalResults).toBe(1);
    const notMember = await scim(
      'GET',
      `/Groups?filter=${encodeURIComponent(`id eq "${id}" and members[value eq "${three}"]`)}`,
    );
    expect(notMember.json<{ totalResults: number }>().totalResults).toBe(0);
  });

  it('replaces a group with PUT: name and whole member list', async () => {
    const [one = '', two = '', three = ''] = people;
    const id = await createGroup('To replace', [one, two]);
    const res = await scim('PUT', `/Groups/${id}`, {
      schemas: [groupUrn],
      id,
      displayName: 'Replaced',
      members: [{ value: two }, { value: three }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ displayName: 'Replaced' });
    expect(await memberIds(id)).toEqual([two, three].sort());
  });

  it('patches members as sets and answers 204', async () => {
    const [one = '', two = '', three = '', four = ''] = people;
    const id = await createGroup('Patched', [one]);
    const add = await scim('PATCH', `/Groups/${id}`, {
      schemas: [patchOp],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: two }, { value: three }, { value: one }] },
      ],
    });
    expect(add.statusCode, add.body).toBe(204);
    expect(add.body).toBe('');
    expect(await memberIds(id)).toEqual([one, two, three].sort());
    const remove = await scim('PATCH', `/Groups/${id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'remove', path: `members[value eq "${two}" or value eq "${three}"]` }],
    });
    expect(remove.statusCode).toBe(204);
    expect(await memberIds(id)).toEqual([one]);
    const rename = await scim('PATCH', `/Groups/${id}`, {
      schemas: [patchOp],
      Operations: [
        { op: 'replace', value: { displayName: 'Renamed', members: [{ value: four }] } },
      ],
    });
    expect(rename.statusCode).toBe(204);
    // A replace of members sets the whole list (RFC 7644 §3.5.2.3).
    expect(await memberIds(id)).toEqual([four]);
    const all = await scim('PATCH', `/Groups/${id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'remove', path: 'members' }],
    });
    expect(all.statusCode).toBe(204);
    expect(await memberIds(id)).toEqual([]);
    expect((await scim('GET', `/Groups/${id}`)).json()).toMatchObject({ displayName: 'Renamed' });
    const events = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('target_id', '=', id)
      .where('action', '=', 'group.updated')
      .orderBy('seq')
      .execute();
    expect(events.map((e) => [e.changes.membersAdded, e.changes.membersRemoved])).toEqual([
      [2, 0],
      [0, 2],
      [1, 1],
      [0, 1],
    ]);
  });

  it('refuses unknown members, non-object values and unknown member attributes', async () => {
    const id = await createGroup('Strict');
    const unknown = await scim('PATCH', `/Groups/${id}`, {
      schemas: [patchOp],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: '00000000-0000-4000-8000-000000000000' }] },
      ],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ scimType: string }>().scimType).toBe('invalidValue');
    const text = await scim('PATCH', `/Groups/${id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'add', path: 'members', value: 'string id 1' }],
    });
    expect(text.json<{ scimType: string }>().scimType).toBe('invalidValue');
    const extra = await scim('PATCH', `/Groups/${id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'add', path: 'members', value: [{ value: people[0], displayName: 'x' }] }],
    });
    expect(extra.json<{ scimType: string }>().scimType).toBe('invalidSyntax');
    const subPath = await scim('PATCH', `/Groups/${id}`, {
      schemas: [patchOp],
      Operations: [
        { op: 'replace', path: `members[value eq "${people[0] ?? ''}"].value`, value: 'x' },
      ],
    });
    expect(subPath.json<{ scimType: string }>().scimType).toBe('invalidPath');
    const noName = await scim('POST', '/Groups', { schemas: [groupUrn], members: [] });
    expect(noName.json<{ scimType: string }>().scimType).toBe('invalidValue');
    expect(await memberIds(id)).toEqual([]);
  });

  it('deletes a group and its memberships', async () => {
    const id = await createGroup('Gone', [people[0] ?? '']);
    const res = await scim('DELETE', `/Groups/${id}`);
    expect(res.statusCode).toBe(204);
    expect((await scim('GET', `/Groups/${id}`)).statusCode).toBe(404);
    expect(await memberIds(id)).toEqual([]);
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', id)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(event.action).toBe('group.deleted');
  });

  it('changes the members of a group of thousands with set operations, never loading it', async () => {
    // Thousands of SCIM users, written in bulk: the size matters here, not how they arrived.
    const { rows } = await sql<{ id: string }>`
      INSERT INTO people (org_id, display_name, source, scim_user_name, scim_resource)
      SELECT ${orgId}::uuid, 'Bulk ' || n, 'scim', 'bulk.' || n, '{}'::jsonb
        FROM generate_series(1, 4000) AS n
      RETURNING id`.execute(t.pools.owner);
    const ids = rows.map((r) => r.id);
    const id = await createGroup('Everyone');
    const add = await scim('PATCH', `/Groups/${id}`, {
      schemas: [patchOp],
      Operations: [
        { op: 'add', path: 'members', value: ids.slice(0, 3000).map((value) => ({ value })) },
      ],
    });
    expect(add.statusCode, add.body).toBe(204);
    expect(add.body).toBe('');
    expect(await memberIds(id)).toHaveLength(3000);
    const more = await scim('PATCH', `/Groups/${id}`, {
      schemas: [patchOp],
      Operations: [
        { op: 'Remove', path: 'members', value: ids.slice(0, 1000).map((value) => ({ value })) },
        { op: 'Add', path: 'members', value: ids.slice(3000).map((value) => ({ value })) },
      ],
    });
    expect(more.statusCode).toBe(204);
    const members = await memberIds(id);
    expect(members).toHaveLength(3000);
    expect(members).toEqual(ids.slice(1000).sort());
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('target_id', '=', id)
      .where('action', '=', 'group.updated')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(event.changes).toMatchObject({ membersAdded: 1000, membersRemoved: 1000 });
    expect((event.changes.addedSample as unknown[]).length).toBeLessThanOrEqual(20);
    const lean = await scim(
      'GET',
      `/Groups?filter=${encodeURIComponent('displayName eq "Everyone"')}&excludedAttributes=members`,
    );
    expect(
      lean.json<{ Resources: Record<string, unknown>[] }>().Resources[0]?.members,
    ).toBeUndefined();
  });
});
