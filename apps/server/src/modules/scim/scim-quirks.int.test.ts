// What Okta and Microsoft Entra ID actually send, which departs from RFC 7644 in places.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { scimUser, seedScimToken, type SeededScimToken } from '../../../test/people-factories.ts';
import { findGroupMemberIds, sendScim, type ScimMethod } from './scim-fixtures.ts';

const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const patchOp = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const groupUrn = 'urn:ietf:params:scim:schemas:core:2.0:Group';

let t: TestApp;
let token: SeededScimToken;

function scim(method: ScimMethod, url: string, body?: unknown) {
  return sendScim(t, token, method, url, body);
}

async function createUser(userName: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await scim('POST', '/Users', scimUser(userName, extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function createGroup(displayName: string, members: string[]): Promise<string> {
  const res = await scim('POST', '/Groups', {
    schemas: [groupUrn],
    displayName,
    members: members.map((value) => ({ value })),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function person(id: string) {
  return t.pools.owner
    .selectFrom('people')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

function members(groupId: string): Promise<string[]> {
  return findGroupMemberIds(t, groupId);
}

const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestApp();
  token = await seedScimToken(t, await seedOrg(t), 'IdP');
});

afterAll(async () => {
  await t.close();
});

describe('Okta', () => {
  it('deactivates with a path-less replace of {"active": false}', async () => {
    const id = await createUser('okta.leaver');
    const res = await scim('PATCH', `/Users/${id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(res.statusCode).toBe(204);
    expect(await person(id)).toMatchObject({ status: 'departed', end_date: today });
  });

  it('changes group members with remove on members[value eq "…"] and add in one request', async () => {
    const a = await createUser('okta.a');
    const b = await createUser('okta.b');
    const c = await createUser('okta.c');
    const group = await createGroup('Okta group', [a, b]);
    const res = await scim('PATCH', `/Groups/${group}`, {
      schemas: [patchOp],
      Operations: [
        { op: 'remove', path: `members[value eq "${a}"]` },
        { op: 'add', path: 'members', value: [{ value: c, display: 'okta.c' }] },
      ],
    });
    expect(res.statusCode, res.body).toBe(204);
    expect(await members(group)).toEqual([b, c].sort());
  });
});

describe('Microsoft Entra ID', () => {
  it('sends op capitalised (Replace, Add, Remove)', async () => {
    const id = await createUser('entra.ops', { title: 'Old', nickName: 'Nick' });
    const res = await scim('PATCH', `/Users/${id}`, {
      schemas: [patchOp],
      Operations: [
        { op: 'Replace', path: 'title', value: 'New' },
        { op: 'Add', path: 'preferredLanguage', value: 'en-GB' },
        { op: 'Remove', path: 'nickName' },
      ],
    });
    expect(res.statusCode, res.body).toBe(204);
    const user = (await scim('GET', `/Users/${id}`)).json<Record<string, unknown>>();
    expect(user).toMatchObject({ title: 'New', preferredLanguage: 'en-GB' });
    expect(user.nickName).toBeUndefined();
  });

  it('sends booleans as "True"/"False": "False" deactivates, never leaving a leaver active', async () => {
    const created = await scim('POST', '/Users', scimUser('entra.bool', { active: 'True' }));
    expect(created.json<{ active: boolean }>().active).toBe(true);
    const id = created.json<{ id: string }>().id;
    const res = await scim('PATCH', `/Users/${id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(res.statusCode).toBe(204);
    expect(await person(id)).toMatchObject({ status: 'departed', end_date: today });
    expect((await scim('GET', `/Users/${id}`)).json<{ active: boolean }>().active).toBe(false);
    const viaPut = await scim('POST', '/Users', scimUser('entra.put', { active: 'TRUE' }));
    const putId = viaPut.json<{ id: string }>().id;
    await scim('PUT', `/Users/${putId}`, scimUser('entra.put', { active: 'false' }));
    expect((await person(putId)).status).toBe('departed');
  });

  it('removes members with path "members" and a list of the members to remove', async () => {
    const a = await createUser('entra.a');
    const b = await createUser('entra.b');
    const c = await createUser('entra.c');
    const group = await createGroup('Entra group', [a, b, c]);
    const res = await scim('PATCH', `/Groups/${group}`, {
      schemas: [patchOp],
      Operations: [{ op: 'Remove', path: 'members', value: [{ value: a }, { value: c }] }],
    });
    expect(res.statusCode).toBe(204);
    expect(await members(group)).toEqual([b]);
  });

  it('sends path-less replaces whose keys are paths, extension URNs included', async () => {
    const id = await createUser('entra.paths', {
      name: { givenName: 'Old', familyName: 'Name' },
      [enterprise]: { department: 'Old dept' },
    });
    const res = await scim('PATCH', `/Users/${id}`, {
      schemas: [patchOp],
      Operations: [
        {
          op: 'Replace',
          value: {
            'name.givenName': 'New',
            [`${enterprise}:department`]: 'New dept',
            [`${enterprise}:employeeNumber`]: 'E-42',
            displayName: 'New Name',
          },
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(204);
    const user = (await scim('GET', `/Users/${id}`)).json<Record<string, unknown>>();
    expect(user).toMatchObject({
      name: { givenName: 'New', familyName: 'Name' },
      displayName: 'New Name',
      [enterprise]: { department: 'New dept', employeeNumber: 'E-42' },
    });
    expect(await person(id)).toMatchObject({ department: 'New dept', employee_number: 'E-42' });
  });

  it('sets the manager as a bare id on the enterprise manager path', async () => {
    const boss = await createUser('entra.boss', { displayName: 'The Boss' });
    const id = await createUser('entra.report');
    const res = await scim('PATCH', `/Users/${id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'Add', path: `${enterprise}:manager`, value: boss }],
    });
    expect(res.statusCode, res.body).toBe(204);
    expect((await person(id)).manager_id).toBe(boss);
    const user = (await scim('GET', `/Users/${id}`)).json<Record<string, { manager: unknown }>>();
    expect(user[enterprise]?.manager).toMatchObject({ value: boss, displayName: 'The Boss' });
  });

  it('finds users and groups with eq/and filters, reading groups without members', async () => {
    const id = await createUser('entra.find', { externalId: 'aad-1' });
    const other = await createUser('entra.other');
    const byName = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "entra.find"')}`,
    );
    expect(byName.json<{ totalResults: number }>().totalResults).toBe(1);
    const both = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('externalId eq "aad-1" and userName eq "entra.find"')}`,
    );
    expect(both.json<{ Resources: { id: string }[] }>().Resources.map((r) => r.id)).toEqual([id]);
    const group = await createGroup('Entra members', [id]);
    const isMember = (user: string) =>
      scim(
        'GET',
        `/Groups?excludedAttributes=members&filter=${encodeURIComponent(
          `id eq "${group}" and members[value eq "${user}"]`,
        )}`,
      );
    const yes = (await isMember(id)).json<{
      totalResults: number;
      Resources: Record<string, unknown>[];
    }>();
    expect(yes.totalResults).toBe(1);
    expect(yes.Resources[0]?.members).toBeUndefined();
    expect((await isMember(other)).json<{ totalResults: number }>().totalResults).toBe(0);
    const byDisplayName = await scim(
      'GET',
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Entra members"')}`,
    );
    expect(byDisplayName.json<{ Resources: Record<string, unknown>[] }>().Resources).toEqual([
      expect.not.objectContaining({ members: expect.anything() as unknown }) as unknown,
    ]);
  });

  it('expects 204 No Content on group PATCH', async () => {
    const a = await createUser('entra.204');
    const group = await createGroup('Entra 204', []);
    const res = await scim('PATCH', `/Groups/${group}`, {
      schemas: [patchOp],
      Operations: [
        { op: 'Add', path: 'members', value: [{ value: a }] },
        { op: 'Replace', path: 'displayName', value: 'Entra 204 renamed' },
      ],
    });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(await members(group)).toEqual([a]);
  });
});
