import type { PeopleImportResult, Person } from '@steward/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, injectAs, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { csvUpload } from '../../../test/upload-fixtures.ts';
import { scimHeaders, scimUser, seedScimToken } from '../../../test/people-factories.ts';

let t: TestApp;
let orgId: string;
let manager: SeededUser;
let auditor: SeededUser;
let employee: SeededUser;

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t);
  manager = await seedUser(t, orgId, 'security_manager');
  auditor = await seedUser(t, orgId, 'auditor');
  employee = await seedUser(t, orgId, 'employee');
});

afterAll(async () => {
  await t.close();
});

/** The people of any org recorded with `email` (their ids). */
function peopleWithEmail(email: string) {
  return t.pools.owner.selectFrom('people').select('id').where('email', '=', email).execute();
}

async function importCsv(user: SeededUser, content: string | Buffer, preview?: boolean) {
  const upload = csvUpload('people.csv', content, preview);
  return t.http.inject({
    method: 'POST',
    url: '/api/v1/people/import',
    headers: { ...bearer(user), ...upload.headers },
    payload: upload.payload,
  });
}

async function create(body: Record<string, unknown>, user = manager) {
  return injectAs(t, user, 'POST', '/api/v1/people', body);
}

async function changeCount(): Promise<number> {
  const row = await t.pools.owner
    .selectFrom('person_changes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('people API', () => {
  it('adds a person by hand, audited, with a change trail entry', async () => {
    const res = await create({
      displayName: 'Marie Curie',
      email: 'Marie@Example.test',
      department: 'Research',
      employmentType: 'employee',
      startDate: '2024-03-01',
    });
    expect(res.statusCode, res.body).toBe(201);
    const person = res.json<Person>();
    expect(person).toMatchObject({
      displayName: 'Marie Curie',
      email: 'marie@example.test',
      status: 'active',
      source: 'manual',
      startDate: '2024-03-01',
      manager: null,
    });
    const detail = await injectAs(t, auditor, 'GET', `/api/v1/people/${person.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json<{ changes: { kind: string; source: string }[] }>().changes).toEqual([
      expect.objectContaining({ kind: 'created', source: 'manual' }),
    ]);
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(event.action).toBe('person.created');
  });

  it('refuses bad input, a taken email, an unknown manager, and roles without people.manage', async () => {
    const bad = await create({ displayName: '', email: 'nope', startDate: '2024-13-01' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<{ errors: { path: string }[] }>()
        .errors.map((e) => e.path)
        .sort(),
    ).toEqual(['displayName', 'email', 'startDate']);
    const order = await create({
      displayName: 'X',
      startDate: '2024-05-01',
      endDate: '2024-04-01',
    });
    expect(order.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('endDate');
    await create({ displayName: 'First', email: 'taken@example.test' });
    const taken = await create({ displayName: 'Second', email: 'taken@example.test' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<{ code: string }>().code).toBe('person.email_taken');
    const boss = await create({
      displayName: 'Nobody',
      managerId: '00000000-0000-4000-8000-000000000000',
    });
    expect(boss.json<{ code: string }>().code).toBe('person.manager_invalid');
    for (const user of [auditor, employee]) {
      expect((await create({ displayName: 'Z' }, user)).statusCode).toBe(403);
    }
    const read = await injectAs(t, employee, 'GET', '/api/v1/people');
    expect(read.statusCode).toBe(403);
  });

  it('lists people by name with filters and keyset pages', async () => {
    const other = await seedOrg(t);
    const otherManager = await seedUser(t, other, 'admin');
    for (const name of ['Pat A', 'Pat B', 'Pat C', 'Pat D', 'Pat E']) {
      await create({ displayName: name, department: 'Paging' }, otherManager);
    }
    await create({ displayName: 'Pat Z', department: 'Elsewhere' }, otherManager);
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `department=paging&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await injectAs(t, otherManager, 'GET', `/api/v1/people?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ items: Person[]; nextCursor: string | null }>();
      names.push(...page.items.map((p) => p.displayName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names).toEqual(['Pat A', 'Pat B', 'Pat C', 'Pat D', 'Pat E']);
    const search = await injectAs(t, otherManager, 'GET', '/api/v1/people?q=pat%20z');
    expect(search.json<{ items: Person[] }>().items.map((p) => p.displayName)).toEqual(['Pat Z']);
    const isolated = await injectAs(t, manager, 'GET', '/api/v1/people?q=Pat');
    expect(isolated.json<{ items: Person[] }>().items).toEqual([]);
    const badCursor = await injectAs(t, manager, 'GET', '/api/v1/people?cursor=garbage');
    expect(badCursor.statusCode).toBe(400);
  });

  it('updates a person: a move is recorded, a departure is a deactivation with an end date', async () => {
    const boss = (await create({ displayName: 'Boss' })).json<Person>();
    const person = (await create({ displayName: 'Mover', department: 'Sales' })).json<Person>();
    const moved = await injectAs(t, manager, 'PATCH', `/api/v1/people/${person.id}`, {
      department: 'Finance',
      managerId: boss.id,
      title: 'Analyst',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<Person>()).toMatchObject({
      department: 'Finance',
      manager: { id: boss.id, displayName: 'Boss' },
    });
    const left = await injectAs(t, manager, 'PATCH', `/api/v1/people/${person.id}`, {
      status: 'departed',
    });
    expect(left.json<Person>()).toMatchObject({
      status: 'departed',
      endDate: new Date().toISOString().slice(0, 10),
    });
    const detail = await injectAs(t, manager, 'GET', `/api/v1/people/${person.id}`);
    const changes = detail.json<{ changes: { kind: string; changes: Record<string, unknown> }[] }>()
      .changes;
    expect(changes.map((c) => c.kind)).toEqual(['deactivated', 'updated', 'created']);
    expect(changes[1]?.changes).toMatchObject({
      department: { from: 'Sales', to: 'Finance' },
      managerId: { from: null, to: boss.id },
    });
    const actions = await t.pools.owner
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', person.id)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'person.created',
      'person.updated',
      'person.updated',
      'person.deactivated',
    ]);
    const same = await injectAs(t, manager, 'PATCH', `/api/v1/people/${person.id}`, {
      department: 'Finance',
    });
    expect(same.statusCode).toBe(200);
    const missing = await injectAs(
      t,
      manager,
      'PATCH',
      '/api/v1/people/00000000-0000-4000-8000-000000000000',
      { title: 'x' },
    );
    expect(missing.statusCode).toBe(404);
  });

  it('lets only what the identity provider does not manage change on a SCIM person', async () => {
    const token = await seedScimToken(t, orgId);
    const scim = await t.http.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: scimHeaders(token),
      payload: JSON.stringify(scimUser('scim.person', { title: 'From IdP' })),
    });
    const id = scim.json<{ id: string }>().id;
    const refused = await injectAs(t, manager, 'PATCH', `/api/v1/people/${id}`, {
      title: 'Local',
      startDate: '2024-01-01',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ code: string; errors: { path: string }[] }>()).toMatchObject({
      code: 'person.managed_by_scim',
      errors: [{ path: 'title' }],
    });
    const allowed = await injectAs(t, manager, 'PATCH', `/api/v1/people/${id}`, {
      status: 'on_leave',
      startDate: '2024-01-01',
      employmentType: 'contractor',
    });
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(allowed.json<Person>()).toMatchObject({ status: 'on_leave', source: 'scim' });
    const leave = await injectAs(t, manager, 'PATCH', `/api/v1/people/${id}`, {
      status: 'departed',
    });
    expect(leave.statusCode).toBe(409);
    const read = await t.http.inject({
      method: 'GET',
      url: `/scim/v2/Users/${id}`,
      headers: scimHeaders(token),
    });
    expect(read.json()).toMatchObject({
      active: true,
      'urn:steward:params:scim:schemas:extension:person:2.0:User': {
        status: 'on_leave',
        startDate: '2024-01-01',
        employmentType: 'contractor',
      },
    });
  });
});

const goodCsv = [
  'email,name,department,title,manager_email,employment_type,start_date,end_date,status',
  'lead@csv.test,Team Lead,Engineering,Lead,,employee,2023-01-09,,active',
  'dev@csv.test,Dev One,Engineering,Developer,lead@csv.test,contractor,2024-02-01,,',
  'gone@csv.test,Gone Person,Sales,,,employee,2020-01-01,2024-06-30,departed',
].join('\n');

describe('people CSV import', () => {
  it('previews the rows it would create, writing nothing', async () => {
    const before = await changeCount();
    const res = await importCsv(manager, goodCsv, true);
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<PeopleImportResult>();
    expect(result).toMatchObject({
      preview: true,
      applied: false,
      summary: { rows: 3, create: 3, update: 0, unchanged: 0, error: 0 },
    });
    expect(result.rows.map((r) => [r.row, r.action])).toEqual([
      [2, 'create'],
      [3, 'create'],
      [4, 'create'],
    ]);
    expect(result.rows[1]?.changes).toMatchObject({
      managerEmail: { from: null, to: 'lead@csv.test' },
    });
    expect(await changeCount()).toBe(before);
    expect(await peopleWithEmail('lead@csv.test')).toEqual([]);
  });

  it('applies in one transaction, resolving managers in the file, and re-importing changes nothing', async () => {
    const res = await importCsv(manager, goodCsv);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<PeopleImportResult>().summary).toMatchObject({ create: 3, error: 0 });
    const rows = await t.pools.owner
      .selectFrom('people')
      .selectAll()
      .where('email', 'in', ['lead@csv.test', 'dev@csv.test', 'gone@csv.test'])
      .orderBy('email')
      .execute();
    const byEmail = new Map(rows.map((r) => [r.email, r]));
    expect(byEmail.get('dev@csv.test')).toMatchObject({
      source: 'csv',
      manager_id: byEmail.get('lead@csv.test')?.id,
      employment_type: 'contractor',
      status: 'active',
    });
    expect(byEmail.get('gone@csv.test')).toMatchObject({
      status: 'departed',
      end_date: '2024-06-30',
    });
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('org_id', '=', orgId)
      .where('action', '=', 'people.csv_imported')
      .executeTakeFirstOrThrow();
    expect(event.changes).toMatchObject({ fileName: 'people.csv', create: 3, rows: 3 });
    const changesBefore = await changeCount();
    const again = await importCsv(manager, goodCsv);
    expect(again.json<PeopleImportResult>().summary).toMatchObject({
      create: 0,
      update: 0,
      unchanged: 3,
    });
    expect(await changeCount()).toBe(changesBefore);
    const updated = await importCsv(
      manager,
      'email,name,department\ndev@csv.test,Dev One,Platform\n',
    );
    const row = updated.json<PeopleImportResult>().rows[0];
    expect(row).toMatchObject({
      action: 'update',
      changes: { department: { from: 'Engineering', to: 'Platform' } },
    });
    expect(
      await t.pools.owner
        .selectFrom('people')
        .select(['department', 'manager_id', 'title'])
        .where('email', '=', 'dev@csv.test')
        .executeTakeFirstOrThrow(),
    ).toMatchObject({
      department: 'Platform',
      title: 'Developer',
      manager_id: byEmail.get('lead@csv.test')?.id,
    });
  });

  it('refuses a file with bad rows, naming row and column, and applies nothing', async () => {
    const before = await changeCount();
    const csv = [
      'email,name,start_date,manager_email',
      'ok@bad.test,Fine,2024-01-01,',
      'dup@bad.test,First,,',
      'dup@bad.test,Second,,',
      'date@bad.test,Bad Date,2024-02-30,',
      'boss@bad.test,No Boss,,nobody@bad.test',
    ].join('\n');
    const preview = await importCsv(manager, csv, true);
    expect(preview.statusCode).toBe(200);
    expect(
      preview
        .json<PeopleImportResult>()
        .rows.map((r) => [r.row, r.action, r.errors.map((e) => e.column)]),
    ).toEqual([
      [2, 'create', []],
      [3, 'create', []],
      [4, 'error', ['email']],
      [5, 'error', ['start_date']],
      [6, 'error', ['manager_email']],
    ]);
    const res = await importCsv(manager, csv);
    expect(res.statusCode).toBe(400);
    const problem = res.json<{
      code: string;
      detail: string;
      errors: { path: string; message: string }[];
    }>();
    expect(problem.code).toBe('people.import_invalid');
    expect(problem.errors.map((e) => e.path)).toEqual([
      'rows.4.email',
      'rows.5.start_date',
      'rows.6.manager_email',
    ]);
    expect(problem.errors[1]?.message).toBe(
      'Row 5, start_date: "2024-02-30" is not a date (YYYY-MM-DD)',
    );
    expect(await changeCount()).toBe(before);
    expect(await peopleWithEmail('ok@bad.test')).toEqual([]);
  });

  it('refuses files it cannot read: missing columns, not UTF-8, no file', async () => {
    const missing = await importCsv(manager, 'name,department\nA,B\n');
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ detail: string }>().detail).toContain('Missing column email');
    const latin1 = Buffer.concat([
      Buffer.from('email,name\nx@l.test,Ren'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const encoding = await importCsv(manager, latin1);
    expect(encoding.statusCode).toBe(400);
    expect(encoding.json<{ detail: string; errors: { path: string }[] }>()).toMatchObject({
      detail: expect.stringContaining('Line 2 is not UTF-8') as string,
      errors: [{ path: 'rows.2' }],
    });
    const noFile = await t.http.inject({
      method: 'POST',
      url: '/api/v1/people/import',
      headers: { ...bearer(manager), 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="preview"\r\n\r\ntrue\r\n--x--\r\n',
    });
    expect(noFile.statusCode).toBe(400);
    expect((await importCsv(auditor, goodCsv, true)).statusCode).toBe(403);
  });

  it('refuses rows that would overwrite a person the identity provider manages', async () => {
    const token = await seedScimToken(t, orgId);
    await t.http.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: scimHeaders(token),
      payload: JSON.stringify(
        scimUser('idp.person', { emails: [{ value: 'idp@csv.test', type: 'work' }] }),
      ),
    });
    const res = await importCsv(manager, 'email,name\nidp@csv.test,Overwrite\n', true);
    expect(res.json<PeopleImportResult>().rows[0]).toMatchObject({
      action: 'error',
      errors: [
        { column: 'email', message: expect.stringContaining('identity provider') as string },
      ],
    });
  });
});

describe('people and the Steward users they sign in as', () => {
  interface PersonBody {
    id: string;
    userId: string | null;
  }

  it('links a person to the user of the same org with the same email, whoever comes first', async () => {
    const linked = await create({
      displayName: 'Eve Employee',
      email: employee.email.toUpperCase(),
    });
    expect(linked.statusCode, linked.body).toBe(201);
    expect(linked.json<PersonBody>().userId).toBe(employee.id);

    // A user of another org with that email is never linked.
    const outsider = await seedUser(t, await seedOrg(t), 'employee');
    const unlinked = await create({ displayName: 'Olga Outsider', email: outsider.email });
    expect(unlinked.json<PersonBody>().userId).toBeNull();

    // The person exists first; the user arrives later.
    const early = await create({ displayName: 'Lars Later', email: 'lars.later@example.test' });
    expect(early.json<PersonBody>().userId).toBeNull();
    const later = await seedUser(t, orgId, 'employee');
    await t.pools.owner
      .updateTable('users')
      .set({ email: 'lars.later@example.test' })
      .where('id', '=', later.id)
      .execute();
    const detail = await injectAs(
      t,
      manager,
      'GET',
      `/api/v1/people/${early.json<PersonBody>().id}`,
    );
    expect(detail.json<{ person: PersonBody }>().person.userId).toBe(later.id);

    // A changed email moves the link.
    const moved = await injectAs(
      t,
      manager,
      'PATCH',
      `/api/v1/people/${early.json<PersonBody>().id}`,
      { email: 'someone.else@example.test' },
    );
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<PersonBody>().userId).toBeNull();
  });
});
