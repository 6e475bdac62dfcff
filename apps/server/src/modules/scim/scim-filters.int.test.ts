import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { scimUser, seedScimToken, type SeededScimToken } from '../../../test/people-factories.ts';
import { sendScim, type ScimListResponse as ListResponse } from './scim-fixtures.ts';

const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const steward = 'urn:steward:params:scim:schemas:extension:person:2.0:User';

let t: TestApp;
let token: SeededScimToken;
const ids: Record<string, string> = {};
const created: Record<string, string> = {};
let groupId = '';

function get(url: string) {
  return sendScim(t, token, 'GET', url);
}

async function list(query: string): Promise<ListResponse> {
  const res = await get(`/Users?${query}`);
  expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
  return res.json<ListResponse>();
}

/** The first names of the users a filter selects, sorted. */
async function matching(filter: string): Promise<string[]> {
  const page = await list(`filter=${encodeURIComponent(filter)}`);
  expect(page.totalResults).toBe(page.Resources.length);
  return page.Resources.map((r) => String(r.userName).split('@')[0] ?? '').sort();
}

beforeAll(async () => {
  t = await createTestApp();
  const orgId = await seedOrg(t);
  token = await seedScimToken(t, orgId);
  const people: [string, Record<string, unknown>][] = [
    [
      'alice@acme.test',
      {
        externalId: 'ext-alice',
        name: { givenName: 'Alice', familyName: 'Adams' },
        title: 'Engineer',
        emails: [
          { value: 'alice@acme.test', type: 'work', primary: true },
          { value: 'alice@home.test', type: 'home' },
        ],
        [enterprise]: { department: 'Engineering', employeeNumber: '100' },
      },
    ],
    [
      'bob@acme.test',
      {
        name: { givenName: 'Bob', familyName: 'Brown' },
        title: 'Sales Rep',
        emails: [{ value: 'bob@acme.test', type: 'work' }],
        [enterprise]: { department: 'Sales', employeeNumber: '200' },
      },
    ],
    [
      'carol@acme.test',
      {
        active: false,
        name: { givenName: 'Carol', familyName: 'Clark' },
        emails: [{ value: 'carol@other.test', type: 'work' }],
        [enterprise]: { department: 'Engineering', employeeNumber: '300' },
      },
    ],
    [
      'dave@beta.test',
      {
        name: { givenName: 'Dave', familyName: 'Dunn' },
        title: 'Engineer II',
        userType: 'Contractor',
        [enterprise]: { employeeNumber: '400' },
      },
    ],
  ];
  for (const [userName, extra] of people) {
    const key = userName.split('@')[0] ?? '';
    if (key === 'carol')
      extra[enterprise] = { ...(extra[enterprise] as object), manager: { value: ids.alice } };
    const res = await sendScim(t, token, 'POST', '/Users', scimUser(userName, extra));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ id: string; meta: { created: string } }>();
    ids[key] = body.id;
    created[key] = body.meta.created;
  }
  const group = await sendScim(t, token, 'POST', '/Groups', {
    displayName: 'Team',
    members: [{ value: ids.alice }],
  });
  groupId = group.json<{ id: string }>().id;
});

afterAll(async () => {
  await t.close();
});

describe('SCIM filters', () => {
  it('eq and ne, case-insensitive on userName (caseExact false), exact on externalId', async () => {
    expect(await matching('userName eq "ALICE@acme.test"')).toEqual(['alice']);
    expect(await matching('userName ne "alice@acme.test"')).toEqual(['bob', 'carol', 'dave']);
    expect(await matching('externalId eq "ext-alice"')).toEqual(['alice']);
    expect(await matching('externalId eq "EXT-ALICE"')).toEqual([]);
    expect(await matching(`id eq "${ids.bob ?? ''}"`)).toEqual(['bob']);
    expect(await matching('id eq "not-a-uuid"')).toEqual([]);
  });

  it('co, sw, ew', async () => {
    expect(await matching('userName co "ACME"')).toEqual(['alice', 'bob', 'carol']);
    expect(await matching('userName sw "b"')).toEqual(['bob']);
    expect(await matching('userName ew "beta.test"')).toEqual(['dave']);
    expect(await matching('userName co "%"')).toEqual([]);
    expect(await matching('userName co "_"')).toEqual([]);
  });

  it('pr, on single and multi-valued attributes', async () => {
    expect(await matching('title pr')).toEqual(['alice', 'bob', 'dave']);
    expect(await matching('emails pr')).toEqual(['alice', 'bob', 'carol']);
  });

  it('gt, ge, lt, le on strings and on meta.created', async () => {
    expect(await matching('userName gt "bob@acme.test"')).toEqual(['carol', 'dave']);
    expect(await matching('userName ge "bob@acme.test"')).toEqual(['bob', 'carol', 'dave']);
    expect(await matching('userName lt "bob@acme.test"')).toEqual(['alice']);
    expect(await matching('userName le "bob@acme.test"')).toEqual(['alice', 'bob']);
    expect(await matching(`meta.created ge "${created.carol ?? ''}"`)).toEqual(['carol', 'dave']);
    expect(await matching(`meta.created lt "${created.carol ?? ''}"`)).toEqual(['alice', 'bob']);
    expect(await matching('meta.lastModified gt "2015-10-10T14:38:21.8617979-07:00"')).toHaveLength(
      4,
    );
  });

  it('and, or, not and parentheses, with not binding tighter than and, and and tighter than or', async () => {
    expect(
      await matching('(userName sw "a" or userName sw "b") and not (title eq "Sales Rep")'),
    ).toEqual(['alice']);
    expect(await matching('userName sw "a" or userName sw "b" and title eq "Engineer"')).toEqual([
      'alice',
    ]);
    expect(await matching('active eq false')).toEqual(['carol']);
    expect(await matching('active eq true and title co "engineer"')).toEqual(['alice', 'dave']);
    expect(
      await matching(
        'name.familyName eq "Adams" and (emails.value co "acme.test" or emails.value co "other.test")',
      ),
    ).toEqual(['alice']);
  });

  it('attribute paths: value filters, sub-attributes, extension URNs, groups', async () => {
    expect(await matching('emails[type eq "work"].value ew "@acme.test"')).toEqual([
      'alice',
      'bob',
    ]);
    expect(await matching('emails[type eq "work" and value co "other"]')).toEqual(['carol']);
    expect(await matching('emails[type eq "home"]')).toEqual(['alice']);
    expect(await matching('emails co "bob"')).toEqual(['bob']);
    expect(await matching('name.familyName eq "clark"')).toEqual(['carol']);
    expect(await matching('name.givenName sw "D"')).toEqual(['dave']);
    expect(await matching(`${enterprise}:department eq "Engineering"`)).toEqual(['alice', 'carol']);
    expect(await matching(`${enterprise}:employeeNumber ge "300"`)).toEqual(['carol', 'dave']);
    expect(await matching(`${enterprise}:manager.value eq "${ids.alice ?? ''}"`)).toEqual([
      'carol',
    ]);
    expect(await matching(`${steward}:employmentType eq "contractor"`)).toEqual(['dave']);
    expect(await matching(`groups.value eq "${groupId}"`)).toEqual(['alice']);
    expect(await matching('groups[display eq "team"]')).toEqual(['alice']);
  });

  it('treats filter values as data, never as SQL', async () => {
    expect(await matching(`userName eq "x' OR '1'='1"`)).toEqual([]);
    expect(await matching('userName eq "alice@acme.test\\" or \\"1\\" eq \\"1"')).toEqual([]);
  });

  it('refuses filters it cannot read with 400 invalidFilter', async () => {
    const bad = [
      'userName eq',
      'userName xx "a"',
      '(userName eq "a"',
      'favouriteColour eq "blue"',
      'userName eq Employee',
      'active eq "yes"',
      'meta.created gt "yesterday"',
      'emails[type eq "work"',
      'name eq "Alice"',
      'userName eq "a" and',
      'emails[value[type eq "x"]]',
      'userName eq "unterminated',
      'not userName eq "a"',
      `${enterprise}:nothing eq "a"`,
      'urn:example:unknown:attr eq "a"',
    ];
    for (const filter of bad) {
      const res = await get(`/Users?filter=${encodeURIComponent(filter)}`);
      expect(res.statusCode, filter).toBe(400);
      expect(res.json<{ scimType: string }>().scimType, filter).toBe('invalidFilter');
    }
  });
});

describe('SCIM paging, sorting and projection', () => {
  it('pages with startIndex and count', async () => {
    const first = await list('startIndex=1&count=2');
    expect(first).toMatchObject({ totalResults: 4, startIndex: 1, itemsPerPage: 2 });
    const second = await list('startIndex=3&count=2');
    expect(second.itemsPerPage).toBe(2);
    const seen = [...first.Resources, ...second.Resources].map((r) => r.id);
    expect(new Set(seen).size).toBe(4);
    expect((await list('startIndex=5&count=2')).Resources).toEqual([]);
    const countOnly = await list('count=0');
    expect(countOnly).toMatchObject({ totalResults: 4, itemsPerPage: 0, Resources: [] });
    expect((await list('startIndex=0&count=1')).startIndex).toBe(1);
    const bad = await get('/Users?count=many');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ scimType: string }>().scimType).toBe('invalidValue');
  });

  it('sorts by an attribute, ascending or descending', async () => {
    const desc = await list('sortBy=userName&sortOrder=descending');
    expect(desc.Resources.map((r) => String(r.userName).split('@')[0])).toEqual([
      'dave',
      'carol',
      'bob',
      'alice',
    ]);
    const byName = await list('sortBy=name.familyName');
    expect(byName.Resources.map((r) => String(r.userName).split('@')[0])).toEqual([
      'alice',
      'bob',
      'carol',
      'dave',
    ]);
    expect((await get('/Users?sortBy=emails')).statusCode).toBe(400);
  });

  it('returns only the attributes asked for, or all but the excluded ones', async () => {
    const some = await list(
      `attributes=userName,emails&filter=${encodeURIComponent('userName sw "a"')}`,
    );
    expect(Object.keys(some.Resources[0] ?? {}).sort()).toEqual([
      'emails',
      'id',
      'schemas',
      'userName',
    ]);
    const sub = await list(
      `attributes=name.givenName&filter=${encodeURIComponent('userName sw "a"')}`,
    );
    expect(sub.Resources[0]).toEqual({
      schemas: expect.any(Array) as unknown,
      id: ids.alice,
      name: { givenName: 'Alice' },
    });
    const ext = await list(
      `attributes=${enterprise}:department&filter=${encodeURIComponent('userName sw "a"')}`,
    );
    expect(ext.Resources[0]).toEqual({
      schemas: expect.any(Array) as unknown,
      id: ids.alice,
      [enterprise]: { department: 'Engineering' },
    });
    const without = await list(
      `excludedAttributes=emails,name,meta,groups&filter=${encodeURIComponent('userName sw "a"')}`,
    );
    const alice = without.Resources[0] ?? {};
    expect(alice.id).toBe(ids.alice);
    expect(alice.userName).toBe('alice@acme.test');
    expect(alice.emails).toBeUndefined();
    expect(alice.name).toBeUndefined();
    expect(alice.meta).toBeUndefined();
    expect(alice.groups).toBeUndefined();
    const withGroups = await get(`/Users/${ids.alice ?? ''}`);
    expect(withGroups.json<{ groups: { value: string; display: string }[] }>().groups).toEqual([
      expect.objectContaining({ value: groupId, display: 'Team' }),
    ]);
    const one = await get(`/Users/${ids.bob ?? ''}?attributes=userName`);
    expect(one.json()).toEqual({
      schemas: expect.any(Array) as unknown,
      id: ids.bob,
      userName: 'bob@acme.test',
    });
    const filtered = await get(`/Users?attributes=${encodeURIComponent('emails[type eq "work"]')}`);
    expect(filtered.statusCode).toBe(400);
    expect(filtered.json<{ scimType: string }>().scimType).toBe('invalidValue');
  });
});
