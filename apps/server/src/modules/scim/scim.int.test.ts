import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import {
  scimHeaders,
  scimUser,
  seedScimToken,
  type SeededScimToken,
} from '../../../test/people-factories.ts';
import {
  sendScim,
  type ScimListResponse as ListResponse,
  type ScimMethod,
} from './scim-fixtures.ts';

const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const steward = 'urn:steward:params:scim:schemas:extension:person:2.0:User';
const patchOp = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const errorUrn = 'urn:ietf:params:scim:api:messages:2.0:Error';

let t: TestApp;
let orgA: string;
let tokenA: SeededScimToken;
let tokenB: SeededScimToken;
let admin: SeededUser;

interface ScimError {
  schemas: string[];
  status: string;
  scimType?: string;
  detail?: string;
}

beforeAll(async () => {
  t = await createTestApp();
  orgA = await seedOrg(t, 'Org A');
  const orgB = await seedOrg(t, 'Org B');
  tokenA = await seedScimToken(t, orgA, 'Okta production');
  tokenB = await seedScimToken(t, orgB, 'Entra');
  admin = await seedUser(t, orgA, 'admin');
});

afterAll(async () => {
  await t.close();
});

function scim(method: ScimMethod, url: string, body?: unknown, token = tokenA) {
  return sendScim(t, token, method, url, body);
}

async function createUser(userName: string, extra: Record<string, unknown> = {}) {
  const res = await scim('POST', '/Users', scimUser(userName, extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string } & Record<string, unknown>>();
}

function expectScimError(
  res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
  status: number,
  scimType?: string,
) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/scim+json');
  const body = res.json() as ScimError;
  expect(body.schemas).toEqual([errorUrn]);
  expect(body.status).toBe(String(status));
  if (scimType) expect(body.scimType).toBe(scimType);
  expect(typeof body.detail).toBe('string');
  return body;
}

async function personRow(id: string) {
  return t.pools.owner
    .selectFrom('people')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

describe('SCIM discovery', () => {
  it('describes the service provider, its resource types and schemas', async () => {
    const config = await scim('GET', '/ServiceProviderConfig');
    expect(config.statusCode).toBe(200);
    expect(String(config.headers['content-type'])).toContain('application/scim+json');
    expect(config.json()).toMatchObject({
      patch: { supported: true },
      filter: { supported: true, maxResults: 200 },
      bulk: { supported: false },
      authenticationSchemes: [{ type: 'oauthbearertoken' }],
    });
    const types = await scim('GET', '/ResourceTypes');
    expect(types.json<ListResponse>().Resources.map((r) => r.endpoint)).toEqual([
      '/Users',
      '/Groups',
    ]);
    expect((await scim('GET', '/ResourceTypes/User')).json()).toMatchObject({
      schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
      schemaExtensions: [{ schema: enterprise, required: false }, { schema: steward }],
    });
    const schemas = await scim('GET', '/Schemas');
    expect(schemas.body).toContain('User Account');
    expect(schemas.json<ListResponse>().Resources.map((r) => r.id)).toContain(enterprise);
    const one = await scim('GET', `/Schemas/${enterprise}`);
    expect(one.json<{ attributes: { name: string }[] }>().attributes.map((a) => a.name)).toContain(
      'department',
    );
    expectScimError(await scim('GET', '/Schemas/urn:nothing'), 404);
    expectScimError(await scim('GET', '/Bulk'), 404);
  });
});

describe('SCIM authentication', () => {
  it('refuses requests without a valid SCIM token, in the SCIM error format', async () => {
    const none = await t.http.inject({ method: 'GET', url: '/scim/v2/Users' });
    expectScimError(none, 401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    const userToken = await t.http.inject({
      method: 'GET',
      url: '/scim/v2/Users',
      headers: bearer(admin),
    });
    expectScimError(userToken, 401);
    const forged = await t.http.inject({
      method: 'GET',
      url: '/scim/v2/Users',
      headers: { authorization: 'Bearer stwscim_forged' },
    });
    expectScimError(forged, 401);
  });

  it('stops accepting a token once it is revoked, and records its last use', async () => {
    const created = await t.http.inject({
      method: 'POST',
      url: '/api/v1/scim/tokens',
      headers: bearer(admin),
      payload: { name: 'Short-lived IdP' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { token, secret } = created.json<{ token: { id: string }; secret: string }>();
    const ok = await t.http.inject({
      method: 'GET',
      url: '/scim/v2/Users',
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(ok.statusCode).toBe(200);
    const list = await t.http.inject({
      method: 'GET',
      url: '/api/v1/scim/tokens',
      headers: bearer(admin),
    });
    const listed = list
      .json<{ items: { id: string; lastUsedAt: string | null }[] }>()
      .items.find((i) => i.id === token.id);
    expect(listed?.lastUsedAt).not.toBeNull();
    expect(list.body).not.toContain(secret);
    const revoked = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/scim/tokens/${token.id}`,
      headers: bearer(admin),
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json<{ revokedAt: string | null }>().revokedAt).not.toBeNull();
    const refused = await t.http.inject({
      method: 'GET',
      url: '/scim/v2/Users',
      headers: { authorization: `Bearer ${secret}` },
    });
    expectScimError(refused, 401);
  });
});

describe('SCIM users', () => {
  it('creates a user as a person of the directory, audited as the connection', async () => {
    const res = await scim(
      'POST',
      '/Users',
      scimUser('ada.lovelace@example.com', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', enterprise],
        externalId: '00u1',
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        displayName: 'Ada Lovelace',
        title: 'Engineer',
        emails: [{ value: 'Ada@Example.com', type: 'work', primary: true }],
        phoneNumbers: [{ value: '+44 20 0000 0000', type: 'work' }],
        [enterprise]: { employeeNumber: 'E-1', department: 'Engineering' },
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const user = res.json<{ id: string; meta: { location: string }; active: boolean }>();
    expect(res.headers.location).toBe(user.meta.location);
    expect(user.meta.location).toMatch(new RegExp(`/scim/v2/Users/${user.id}$`));
    expect(user).toMatchObject({
      userName: 'ada.lovelace@example.com',
      externalId: '00u1',
      active: true,
      phoneNumbers: [{ value: '+44 20 0000 0000', type: 'work' }],
      [enterprise]: { employeeNumber: 'E-1', department: 'Engineering' },
      [steward]: { status: 'active' },
    });
    const row = await personRow(user.id);
    expect(row).toMatchObject({
      org_id: orgA,
      source: 'scim',
      display_name: 'Ada Lovelace',
      email: 'ada@example.com',
      employee_number: 'E-1',
      department: 'Engineering',
      title: 'Engineer',
      status: 'active',
      scim_token_id: tokenA.id,
    });
    const change = await t.pools.owner
      .selectFrom('person_changes')
      .selectAll()
      .where('person_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(change).toMatchObject({
      kind: 'created',
      source: 'scim',
      actor_label: 'scim:Okta production',
    });
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .selectAll()
      .where('target_id', '=', user.id)
      .where('action', '=', 'person.created')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      actor_type: 'token',
      actor_id: tokenA.id,
      actor_label: 'scim:Okta production',
      auth_method: 'scim_token',
    });
  });

  it('answers 409 uniqueness to a userName already taken (case-insensitively)', async () => {
    await createUser('Grace.Hopper');
    const res = await scim('POST', '/Users', scimUser('grace.hopper'));
    const body = expectScimError(res, 409, 'uniqueness');
    expect(body.detail).toContain('grace.hopper');
  });

  it('takes over a person entered by hand with the same work email, as one person', async () => {
    const manual = await t.http.inject({
      method: 'POST',
      url: '/api/v1/people',
      headers: bearer(admin),
      payload: { displayName: 'Hedy Lamarr', email: 'hedy@example.com', department: 'Research' },
    });
    expect(manual.statusCode, manual.body).toBe(201);
    const manualId = manual.json<{ id: string }>().id;
    const user = await createUser('hedy.lamarr', {
      emails: [{ value: 'Hedy@Example.com', type: 'work', primary: true }],
      displayName: 'Hedy Lamarr',
    });
    expect(user.id).toBe(manualId);
    const people = await t.pools.owner
      .selectFrom('people')
      .select(['id', 'source', 'scim_user_name'])
      .where('org_id', '=', orgA)
      .where('email', '=', 'hedy@example.com')
      .execute();
    expect(people).toEqual([{ id: manualId, source: 'scim', scim_user_name: 'hedy.lamarr' }]);
    const events = await t.pools.owner
      .selectFrom('audit_events')
      .select(['target_id', 'changes'])
      .where('org_id', '=', orgA)
      .where('action', '=', 'person.created')
      .where('target_id', '=', manualId)
      .orderBy('seq')
      .execute();
    expect(events).toHaveLength(2);
    expect(events[1]?.changes).toMatchObject({ userName: 'hedy.lamarr', adoptedFrom: 'manual' });
    const trail = await t.pools.owner
      .selectFrom('person_changes')
      .select('person_id')
      .where('org_id', '=', orgA)
      .where(sql<boolean>`changes -> 'email' ->> 'to' = 'hedy@example.com'`)
      .execute();
    // Only the manual entry's trail names that email: no other person was left behind.
    expect(trail.map((row) => row.person_id)).toEqual([manualId]);
  });

  it('reads one user, 404 for an unknown or malformed id', async () => {
    const user = await createUser('read.me');
    const res = await scim('GET', `/Users/${user.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: user.id, userName: 'read.me' });
    expectScimError(await scim('GET', '/Users/00000000-0000-4000-8000-000000000000'), 404);
    expectScimError(await scim('GET', '/Users/not-an-id'), 404);
  });

  it('replaces a user with PUT: what the body leaves out is cleared', async () => {
    const user = await createUser('put.me', {
      title: 'Analyst',
      phoneNumbers: [{ value: '1', type: 'work' }],
      [enterprise]: { department: 'Sales' },
    });
    const res = await scim(
      'PUT',
      `/Users/${user.id}`,
      scimUser('put.me.renamed', {
        id: user.id,
        meta: { resourceType: 'User' },
        name: { givenName: 'Put', familyName: 'Me' },
        [enterprise]: { department: 'Finance' },
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      userName: 'put.me.renamed',
      [enterprise]: { department: 'Finance' },
    });
    expect(body.title).toBeUndefined();
    expect(body.phoneNumbers).toBeUndefined();
    const row = await personRow(user.id);
    expect(row).toMatchObject({ department: 'Finance', title: null, display_name: 'Put Me' });
    const changes = await t.pools.owner
      .selectFrom('person_changes')
      .select(['kind', 'changes'])
      .where('person_id', '=', user.id)
      .orderBy('seq')
      .execute();
    expect(changes.map((c) => c.kind)).toEqual(['created', 'updated']);
    expect(changes[1]?.changes).toMatchObject({ department: { from: 'Sales', to: 'Finance' } });
  });

  it('refuses a PUT without userName (400 invalidValue) and an unknown attribute (400 invalidSyntax)', async () => {
    const user = await createUser('strict.put');
    const missing = await scim('PUT', `/Users/${user.id}`, { schemas: [], displayName: 'x' });
    expect(expectScimError(missing, 400, 'invalidValue').detail).toContain('userName');
    const unknown = await scim('PUT', `/Users/${user.id}`, scimUser('strict.put', { adreses: [] }));
    expect(expectScimError(unknown, 400, 'invalidSyntax').detail).toContain('adreses');
    const subUnknown = await scim(
      'POST',
      '/Users',
      scimUser('strict.sub', { emails: [{ value: 'a@b.c', kind: 'work' }] }),
    );
    expect(expectScimError(subUnknown, 400, 'invalidSyntax').detail).toContain('emails[0].kind');
    const wrongType = await scim('POST', '/Users', scimUser('strict.type', { emails: 'a@b.c' }));
    expect(expectScimError(wrongType, 400, 'invalidValue').detail).toContain('emails');
    const badSchema = await scim('POST', '/Users', {
      schemas: ['urn:example:unknown'],
      userName: 'strict.schema',
    });
    expectScimError(badSchema, 400, 'invalidValue');
    const notJson = await t.http.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: scimHeaders(tokenA),
      payload: '{"userName": "broken",',
    });
    expectScimError(notJson, 400, 'invalidSyntax');
    const notScim = await t.http.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { ...scimHeaders(tokenA), 'content-type': 'text/plain' },
      payload: 'userName=x',
    });
    expectScimError(notScim, 415);
  });

  it('accepts application/json as well as application/scim+json', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { ...scimHeaders(tokenA), 'content-type': 'application/json' },
      payload: scimUser('plain.json'),
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('patches with add, replace and remove, by path, value filter and without a path', async () => {
    const user = await createUser('patch.me', {
      emails: [
        { value: 'patch@work.example', type: 'work', primary: true },
        { value: 'patch@home.example', type: 'home' },
      ],
      [enterprise]: { department: 'Ops' },
    });
    const res = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [patchOp],
      Operations: [
        { op: 'replace', path: 'title', value: 'Lead' },
        { op: 'add', path: 'phoneNumbers', value: [{ value: '555', type: 'mobile' }] },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@work.example' },
        { op: 'remove', path: 'emails[type eq "home"]' },
        { op: 'replace', value: { displayName: 'Patched Person' } },
        { op: 'replace', path: `${enterprise}:department`, value: 'Platform' },
        { op: 'add', path: 'name.givenName', value: 'Pat' },
      ],
    });
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    const after = (await scim('GET', `/Users/${user.id}`)).json<Record<string, unknown>>();
    expect(after).toMatchObject({
      title: 'Lead',
      displayName: 'Patched Person',
      name: { givenName: 'Pat' },
      phoneNumbers: [{ value: '555', type: 'mobile' }],
      emails: [{ value: 'new@work.example', type: 'work', primary: true }],
      [enterprise]: { department: 'Platform' },
    });
    expect(await personRow(user.id)).toMatchObject({
      title: 'Lead',
      department: 'Platform',
      email: 'new@work.example',
      display_name: 'Patched Person',
    });
    const withBody = await t.http.inject({
      method: 'PATCH',
      url: `/scim/v2/Users/${user.id}?attributes=title`,
      headers: scimHeaders(tokenA),
      payload: {
        schemas: [patchOp],
        Operations: [{ op: 'replace', path: 'title', value: 'Head' }],
      },
    });
    expect(withBody.statusCode).toBe(200);
    expect(withBody.json()).toEqual({
      schemas: expect.any(Array) as unknown,
      id: user.id,
      title: 'Head',
    });
  });

  it('refuses a bad PATCH path (400 invalidPath) and a remove without path (400 noTarget)', async () => {
    const user = await createUser('bad.path');
    const unknown = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'replace', path: 'favouriteColour', value: 'blue' }],
    });
    expectScimError(unknown, 400, 'invalidPath');
    const malformed = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'replace', path: 'emails[type eq "work"', value: 'x' }],
    });
    expectScimError(malformed, 400, 'invalidPath');
    const noTarget = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'remove' }],
    });
    expectScimError(noTarget, 400, 'noTarget');
    const readOnly = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'replace', path: 'id', value: 'x' }],
    });
    expectScimError(readOnly, 400, 'mutability');
    const badOp = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'move', path: 'title', value: 'x' }],
    });
    expectScimError(badOp, 400, 'invalidSyntax');
  });

  it('deactivates a leaver: active=false marks the person departed with an end date', async () => {
    const user = await createUser('leaver.one');
    const res = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(res.statusCode).toBe(204);
    const row = await personRow(user.id);
    expect(row.status).toBe('departed');
    expect(row.end_date).toBe(new Date().toISOString().slice(0, 10));
    const kinds = await t.pools.owner
      .selectFrom('person_changes')
      .select('kind')
      .where('person_id', '=', user.id)
      .orderBy('seq')
      .execute();
    expect(kinds.map((k) => k.kind)).toEqual(['created', 'deactivated']);
    const actions = await t.pools.owner
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', user.id)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'person.created',
      'person.updated',
      'person.deactivated',
    ]);
    const read = (await scim('GET', `/Users/${user.id}`)).json<{ active: boolean }>();
    expect(read.active).toBe(false);
    const back = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'replace', path: 'active', value: true }],
    });
    expect(back.statusCode).toBe(204);
    expect(await personRow(user.id)).toMatchObject({ status: 'active', end_date: null });
  });

  it('refuses a boolean that is neither true nor false (400 invalidValue), changing nothing', async () => {
    const user = await createUser('bool.strict');
    for (const value of ['yes', 'Falsey', 0, 1, '', null]) {
      const res = await scim('PATCH', `/Users/${user.id}`, {
        schemas: [patchOp],
        Operations: [{ op: 'replace', value: { active: value, title: 'x' } }],
      });
      if (value === null) {
        // null unassigns the attribute: the person keeps their status.
        expect(res.statusCode).toBe(204);
        continue;
      }
      expectScimError(res, 400, 'invalidValue');
    }
    const post = await scim('POST', '/Users', scimUser('bool.post', { active: 'nope' }));
    expect(expectScimError(post, 400, 'invalidValue').detail).toContain('active');
    expect((await personRow(user.id)).status).toBe('active');
  });

  it('removes a user with DELETE: the person stays, departed, out of SCIM and of every group', async () => {
    const user = await createUser('delete.me');
    const group = await scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Deleted members',
      members: [{ value: user.id }],
    });
    expect(group.statusCode, group.body).toBe(201);
    const res = await scim('DELETE', `/Users/${user.id}`);
    expect(res.statusCode).toBe(204);
    expectScimError(await scim('GET', `/Users/${user.id}`), 404);
    expectScimError(await scim('DELETE', `/Users/${user.id}`), 404);
    const row = await personRow(user.id);
    expect(row.status).toBe('departed');
    expect(row.scim_removed_at).not.toBeNull();
    const members = await t.pools.owner
      .selectFrom('scim_group_members')
      .select('person_id')
      .where('person_id', '=', user.id)
      .execute();
    expect(members).toEqual([]);
    const last = await t.pools.owner
      .selectFrom('person_changes')
      .selectAll()
      .where('person_id', '=', user.id)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(last.kind).toBe('removed');
    expect(last.changes).toMatchObject({ status: { from: 'active', to: 'departed' } });
    // The userName is free again.
    await createUser('delete.me');
  });

  it('keeps each organisation to its own users and groups (tenant isolation)', async () => {
    const user = await createUser('only.in.a');
    const read = await scim('GET', `/Users/${user.id}`, undefined, tokenB);
    expectScimError(read, 404);
    const write = await scim(
      'PATCH',
      `/Users/${user.id}`,
      { schemas: [patchOp], Operations: [{ op: 'replace', path: 'active', value: false }] },
      tokenB,
    );
    expectScimError(write, 404);
    expectScimError(await scim('DELETE', `/Users/${user.id}`, undefined, tokenB), 404);
    const list = await scim('GET', '/Users?filter=userName eq "only.in.a"', undefined, tokenB);
    expect(list.json<ListResponse>().totalResults).toBe(0);
    const all = await scim('GET', '/Users?count=200', undefined, tokenB);
    expect(all.body).not.toContain(user.id);
    // The same userName may exist in another organisation.
    const other = await scim('POST', '/Users', scimUser('only.in.a'), tokenB);
    expect(other.statusCode).toBe(201);
    expect((await personRow(user.id)).status).toBe('active');
  });
});

describe('SCIM token API', () => {
  it('creates a token shown once and stored as its SHA-256; forbids roles without people.manage', async () => {
    const created = await t.http.inject({
      method: 'POST',
      url: '/api/v1/scim/tokens',
      headers: bearer(admin),
      payload: { name: 'Entra ID' },
    });
    expect(created.statusCode).toBe(201);
    const { token, secret } = created.json<{
      token: { id: string; prefix: string };
      secret: string;
    }>();
    expect(secret).toMatch(/^stwscim_[A-Za-z0-9_-]{40,}$/);
    expect(secret.startsWith(token.prefix)).toBe(true);
    const row = await t.pools.owner
      .selectFrom('scim_tokens')
      .selectAll()
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    const { createHash } = await import('node:crypto');
    expect(row.token_hash.equals(createHash('sha256').update(secret).digest())).toBe(true);
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('target_id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(event.changes)).not.toContain(secret);
    for (const role of ['auditor', 'employee', 'contributor'] as const) {
      const user = await seedUser(t, orgA, role);
      const res = await t.http.inject({
        method: 'POST',
        url: '/api/v1/scim/tokens',
        headers: bearer(user),
        payload: { name: 'x' },
      });
      expect(res.statusCode).toBe(403);
    }
    const bad = await t.http.inject({
      method: 'POST',
      url: '/api/v1/scim/tokens',
      headers: bearer(admin),
      payload: { name: '' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('name');
    const missing = await t.http.inject({
      method: 'DELETE',
      url: '/api/v1/scim/tokens/00000000-0000-4000-8000-000000000000',
      headers: bearer(admin),
    });
    expect(missing.statusCode).toBe(404);
  });
});
