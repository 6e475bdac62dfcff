import { randomBytes } from 'node:crypto';
import pg from 'pg';
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
import { csvUpload } from '../../../test/upload-fixtures.ts';
import type { SystemsDeps } from './systems-deps.ts';

let t: TestApp;
let orgA: string;
let orgB: string;
let manager: SeededUser;
let contributor: SeededUser;
let auditor: SeededUser;
let otherOrgAdmin: SeededUser;

// A database and roles of the test cluster the PostgreSQL connector reads.
const suffix = randomBytes(4).toString('hex');
const targetDb = `conn_${suffix}`;
const role = (name: string) => `r${suffix}_${name}`;
const readerPassword = `reader-${randomBytes(8).toString('hex')}`;
let admin_pg: pg.Client;
let pgHost: string;
let pgPort: number;

beforeAll(async () => {
  t = await createTestApp();
  orgA = await seedOrg(t, 'Org A', { withProgram: true });
  orgB = await seedOrg(t, 'Org B');
  manager = await seedUser(t, orgA, 'security_manager');
  contributor = await seedUser(t, orgA, 'contributor');
  auditor = await seedUser(t, orgA, 'auditor');
  otherOrgAdmin = await seedUser(t, orgB, 'admin');
  const url = new URL(t.databaseUrl);
  pgHost = url.hostname;
  pgPort = Number(url.port);
  admin_pg = new pg.Client({ connectionString: t.databaseUrl });
  await admin_pg.connect();
  await admin_pg.query(`CREATE DATABASE ${targetDb}`);
  await admin_pg.query(`CREATE ROLE ${role('reader')} LOGIN PASSWORD '${readerPassword}'`);
  await admin_pg.query(`CREATE ROLE ${role('app_rw')} NOLOGIN`);
  await admin_pg.query(`CREATE ROLE ${role('alice')} LOGIN`);
  await admin_pg.query(`CREATE ROLE ${role('boss')} LOGIN SUPERUSER`);
  await admin_pg.query(`CREATE ROLE ${role('maker')} LOGIN CREATEROLE CREATEDB`);
  await admin_pg.query(`CREATE ROLE ${role('expired')} LOGIN VALID UNTIL '2020-01-01'`);
  await admin_pg.query(`CREATE ROLE ${role('gone')} LOGIN`);
  await admin_pg.query(`GRANT ${role('app_rw')} TO ${role('alice')}`);
  const target = new URL(t.databaseUrl);
  target.pathname = `/${targetDb}`;
  const db = new pg.Client({ connectionString: target.toString() });
  await db.connect();
  await db.query(`CREATE SCHEMA app`);
  await db.query(`CREATE TABLE app.orders (id int)`);
  await db.query(`GRANT USAGE ON SCHEMA app TO ${role('app_rw')}`);
  await db.query(`GRANT SELECT, INSERT ON app.orders TO ${role('app_rw')}`);
  await db.end();
});

afterAll(async () => {
  await admin_pg.query(`DROP DATABASE IF EXISTS ${targetDb} WITH (FORCE)`);
  for (const name of ['reader', 'alice', 'boss', 'maker', 'expired', 'gone', 'app_rw', 'late']) {
    await admin_pg.query(`DROP ROLE IF EXISTS ${role(name)}`);
  }
  await admin_pg.end();
  await t.close();
});

async function call(user: SeededUser, method: string, url: string, payload?: unknown) {
  return injectAs(t, user, method as 'GET', url, payload);
}

async function createSystem(body: Record<string, unknown>, user = manager) {
  const res = await call(user, 'POST', '/api/v1/systems', {
    environment: 'production',
    signInMethod: 'local',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; name: string }>();
}

interface AccountView {
  id: string;
  externalId: string;
  status: string;
  privileged: boolean;
  flags: string[];
  person: { id: string } | null;
  linkMethod: string | null;
  validUntil: string | null;
}

async function accountsOf(systemId: string, query = ''): Promise<AccountView[]> {
  const res = await call(auditor, 'GET', `/api/v1/accounts?systemId=${systemId}&limit=500${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: AccountView[] }>().items;
}

async function auditCount(action: string, orgId = orgA): Promise<number> {
  const row = await t.pools.owner
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', orgId)
    .where('action', '=', action)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function seedPerson(orgId: string, values: Record<string, unknown>): Promise<string> {
  const row = await t.pools.owner
    .insertInto('people')
    .values({
      org_id: orgId,
      display_name: 'Someone',
      source: 'manual',
      ...values,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('systems', () => {
  it('creates, reads, lists and updates a system; names are unique per org', async () => {
    const created = await createSystem({
      name: 'Billing',
      ownerUserId: manager.id,
      holdsCustomerData: true,
      criticality: 'high',
      connectorKind: 'push',
    });
    const got = await call(auditor, 'GET', `/api/v1/systems/${created.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({
      name: 'Billing',
      owner: { id: manager.id },
      holdsCustomerData: true,
      criticality: 'high',
      connectorKind: 'push',
      postgres: null,
    });
    const list = await call(contributor, 'GET', '/api/v1/systems?q=bill');
    expect(list.json<{ items: { id: string }[] }>().items.map((s) => s.id)).toContain(created.id);
    const dup = await call(manager, 'POST', '/api/v1/systems', {
      name: 'billing',
      environment: 'production',
      signInMethod: 'sso',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'system.name_taken' });
    const patched = await call(manager, 'PATCH', `/api/v1/systems/${created.id}`, {
      signInMethod: 'sso',
      mfaEnforced: true,
      adminLimit: 2,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ signInMethod: 'sso', mfaEnforced: true, adminLimit: 2 });
    expect(await auditCount('system.updated')).toBeGreaterThanOrEqual(1);
  });

  it('refuses bad input with field errors and callers without the permission', async () => {
    const bad = await call(manager, 'POST', '/api/v1/systems', {
      name: '',
      environment: 'moon',
      signInMethod: 'local',
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'environment']));
    const noPassword = await call(manager, 'POST', '/api/v1/systems', {
      name: 'No password',
      environment: 'production',
      signInMethod: 'local',
      connectorKind: 'postgresql',
      postgres: { host: 'localhost', database: 'x', user: 'y' },
    });
    expect(noPassword.statusCode).toBe(400);
    expect(noPassword.json()).toMatchObject({ code: 'system.connector_invalid' });
    expect(noPassword.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'postgres.password',
    );
    const forbidden = await call(contributor, 'POST', '/api/v1/systems', {
      name: 'Nope',
      environment: 'production',
      signInMethod: 'local',
    });
    expect(forbidden.statusCode).toBe(403);
    expect(
      (await call(auditor, 'GET', '/api/v1/systems/00000000-0000-4000-8000-000000000000'))
        .statusCode,
    ).toBe(404);
  });

  it('retires a system, which keeps its accounts and refuses syncs', async () => {
    const system = await createSystem({ name: 'Old wiki', connectorKind: 'push' });
    await call(manager, 'PUT', `/api/v1/systems/${system.id}/accounts`, {
      accounts: [{ externalId: 'u1' }],
    });
    const retired = await call(manager, 'POST', `/api/v1/systems/${system.id}/retire`);
    expect(retired.statusCode).toBe(200);
    expect(retired.json<{ retiredAt: string | null }>().retiredAt).not.toBeNull();
    expect(await accountsOf(system.id)).toHaveLength(1);
    const push = await call(manager, 'PUT', `/api/v1/systems/${system.id}/accounts`, {
      accounts: [],
    });
    expect(push.statusCode).toBe(409);
    expect(push.json()).toMatchObject({ code: 'system.retired' });
    expect(await statusAs(t, contributor, 'POST', `/api/v1/systems/${system.id}/retire`)).toBe(403);
  });

  it('keeps each org to its own systems and accounts', async () => {
    const system = await createSystem({ name: 'Private CRM', connectorKind: 'push' });
    await call(manager, 'PUT', `/api/v1/systems/${system.id}/accounts`, {
      accounts: [{ externalId: 'secret-user' }],
    });
    expect(await statusAs(t, otherOrgAdmin, 'GET', `/api/v1/systems/${system.id}`)).toBe(404);
    const list = await call(otherOrgAdmin, 'GET', '/api/v1/systems');
    expect(list.json<{ items: unknown[] }>().items).toHaveLength(0);
    const accounts = await call(otherOrgAdmin, 'GET', `/api/v1/accounts?systemId=${system.id}`);
    expect(accounts.json<{ items: unknown[] }>().items).toHaveLength(0);
    const push = await call(otherOrgAdmin, 'PUT', `/api/v1/systems/${system.id}/accounts`, {
      accounts: [],
    });
    expect(push.statusCode).toBe(404);
    expect(await accountsOf(system.id)).toHaveLength(1);
  });
});

describe('push API', () => {
  it('applies a full snapshot idempotently and marks missing accounts removed', async () => {
    const system = await createSystem({ name: 'Pushy', connectorKind: 'push' });
    const snapshot = {
      accounts: [
        {
          externalId: 'u-1',
          username: 'dana',
          email: 'Dana@Example.test',
          entitlements: [
            { kind: 'role', name: 'viewer' },
            { kind: 'role', name: 'owner', privileged: true },
          ],
          mfaEnabled: true,
        },
        { externalId: 'u-2', username: 'eli', status: 'disabled' },
      ],
    };
    const first = await call(manager, 'PUT', `/api/v1/systems/${system.id}/accounts`, snapshot);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      status: 'succeeded',
      source: 'push',
      counts: { added: 2 },
    });
    const again = await call(manager, 'PUT', `/api/v1/systems/${system.id}/accounts`, snapshot);
    expect(again.json()).toMatchObject({
      counts: { added: 0, changed: 0, removed: 0, unchanged: 2 },
    });
    const againId = again.json<{ id: string }>().id;
    const changes = await t.pools.owner
      .selectFrom('system_account_changes')
      .select('kind')
      .where('sync_id', '=', againId)
      .execute();
    expect(changes).toHaveLength(0);
    const accounts = await accountsOf(system.id);
    const dana = accounts.find((a) => a.externalId === 'u-1');
    expect(dana).toMatchObject({ status: 'active', privileged: true });
    expect(accounts.find((a) => a.externalId === 'u-2')?.status).toBe('disabled');

    const third = await call(manager, 'PUT', `/api/v1/systems/${system.id}/accounts`, {
      accounts: [snapshot.accounts[0]],
    });
    expect(third.json()).toMatchObject({ counts: { removed: 1, unchanged: 1 } });
    const removed = await t.pools.owner
      .selectFrom('system_accounts')
      .select(['status', 'removed_at'])
      .where('system_id', '=', system.id)
      .where('external_id', '=', 'u-2')
      .executeTakeFirstOrThrow();
    expect(removed.status).toBe('removed');
    expect(removed.removed_at).not.toBeNull();

    const history = await call(auditor, 'GET', `/api/v1/systems/${system.id}/syncs`);
    expect(history.json<{ items: unknown[] }>().items).toHaveLength(3);
    const detail = await call(
      auditor,
      'GET',
      `/api/v1/systems/${system.id}/syncs/${third.json<{ id: string }>().id}`,
    );
    expect(detail.json<{ changes: { kind: string; externalId: string }[] }>().changes).toEqual([
      expect.objectContaining({ kind: 'removed', externalId: 'u-2' }),
    ]);
    expect(await auditCount('system.synced')).toBeGreaterThanOrEqual(3);
  });

  it('refuses duplicates, wrong sources and readers', async () => {
    const system = await createSystem({ name: 'Push strict', connectorKind: 'push' });
    const dup = await call(manager, 'PUT', `/api/v1/systems/${system.id}/accounts`, {
      accounts: [{ externalId: 'a' }, { externalId: 'a' }],
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json()).toMatchObject({ code: 'system.snapshot_invalid' });
    expect(dup.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'accounts.1.externalId',
    );
    const csvSystem = await createSystem({ name: 'Push to CSV', connectorKind: 'csv' });
    const mismatch = await call(manager, 'PUT', `/api/v1/systems/${csvSystem.id}/accounts`, {
      accounts: [],
    });
    expect(mismatch.statusCode).toBe(409);
    expect(mismatch.json()).toMatchObject({ code: 'system.source_mismatch' });
    const forbidden = await call(auditor, 'PUT', `/api/v1/systems/${system.id}/accounts`, {
      accounts: [],
    });
    expect(forbidden.statusCode).toBe(403);
    expect(await accountsOf(system.id)).toHaveLength(0);
  });
});

describe('CSV upload', () => {
  it('previews, then applies in one transaction', async () => {
    const system = await createSystem({ name: 'Spreadsheet app', connectorKind: 'csv' });
    const csv =
      'external_id,username,email,privileged,mfa_enabled,last_sign_in_at,roles\n' +
      'c1,frank,frank@example.test,true,false,2026-01-01,admin|editor\n' +
      'c2,gina,gina@example.test,false,true,2026-11-20T10:00:00Z,viewer\n';
    const upload = csvUpload('accounts.csv', csv, true);
    const preview = await t.http.inject({
      method: 'POST',
      url: `/api/v1/systems/${system.id}/accounts/import`,
      headers: { ...bearer(manager), ...upload.headers },
      payload: upload.payload,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ preview: true, applied: false, counts: { added: 2 } });
    expect(await accountsOf(system.id)).toHaveLength(0);
    const real = csvUpload('accounts.csv', csv);
    const applied = await t.http.inject({
      method: 'POST',
      url: `/api/v1/systems/${system.id}/accounts/import`,
      headers: { ...bearer(manager), ...real.headers },
      payload: real.payload,
    });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toMatchObject({ applied: true, sync: { source: 'csv' } });
    const accounts = await accountsOf(system.id);
    expect(accounts).toHaveLength(2);
    const frank = accounts.find((a) => a.externalId === 'c1');
    expect(frank?.flags).toEqual(expect.arrayContaining(['privileged_without_mfa', 'dormant']));
  });

  it('names the row and column of each problem and applies nothing', async () => {
    const system = await createSystem({ name: 'Bad CSV app', connectorKind: 'csv' });
    const csv =
      'external_id,email,status,last_sign_in_at\n' +
      'ok1,ok1@example.test,active,2026-01-01\n' +
      'bad1,not-an-email,sleeping,yesterday\n' +
      'ok1,dup@example.test,active,\n';
    const upload = csvUpload('accounts.csv', csv);
    const res = await t.http.inject({
      method: 'POST',
      url: `/api/v1/systems/${system.id}/accounts/import`,
      headers: { ...bearer(manager), ...upload.headers },
      payload: upload.payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'systems.import_invalid' });
    const paths = res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'rows.3.email',
        'rows.3.status',
        'rows.3.last_sign_in_at',
        'rows.4.external_id',
      ]),
    );
    expect(await accountsOf(system.id)).toHaveLength(0);
    const missing = csvUpload('accounts.csv', 'display_name\nSomeone\n');
    const noId = await t.http.inject({
      method: 'POST',
      url: `/api/v1/systems/${system.id}/accounts/import`,
      headers: { ...bearer(manager), ...missing.headers },
      payload: missing.payload,
    });
    expect(noId.statusCode).toBe(400);
    expect(noId.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('columns.external_id');
    const latin1 = csvUpload(
      'accounts.csv',
      Buffer.from([
        0x65, 0x78, 0x74, 0x65, 0x72, 0x6e, 0x61, 0x6c, 0x5f, 0x69, 0x64, 0x0a, 0xe9, 0x0a,
      ]),
    );
    const encoding = await t.http.inject({
      method: 'POST',
      url: `/api/v1/systems/${system.id}/accounts/import`,
      headers: { ...bearer(manager), ...latin1.headers },
      payload: latin1.payload,
    });
    expect(encoding.statusCode).toBe(400);
    expect(encoding.json<{ detail: string }>().detail).toContain('Line 2');
    const forbidden = csvUpload('accounts.csv', 'external_id\nx\n');
    const res403 = await t.http.inject({
      method: 'POST',
      url: `/api/v1/systems/${system.id}/accounts/import`,
      headers: { ...bearer(contributor), ...forbidden.headers },
      payload: forbidden.payload,
    });
    expect(res403.statusCode).toBe(403);
  });
});

describe('PostgreSQL connector', () => {
  let systemId: string;

  function settings(password = readerPassword) {
    return {
      host: pgHost,
      port: pgPort,
      database: targetDb,
      user: role('reader'),
      password,
      sslmode: 'disable',
    };
  }

  it('seals the password at rest and never returns it', async () => {
    const system = await createSystem({
      name: 'Orders database',
      connectorKind: 'postgresql',
      postgres: settings(),
      syncIntervalHours: 6,
      ownerUserId: manager.id,
    });
    systemId = system.id;
    const row = await t.pools.owner
      .selectFrom('systems')
      .select(['connector_settings', 'connector_secret_sealed', 'next_sync_at'])
      .where('id', '=', systemId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row.connector_settings)).not.toContain(readerPassword);
    expect(row.connector_secret_sealed).toMatch(/^stw-enc-v1/);
    expect(row.connector_secret_sealed).not.toContain(readerPassword);
    expect(row.next_sync_at).not.toBeNull();
    const got = await call(auditor, 'GET', `/api/v1/systems/${systemId}`);
    expect(got.body).not.toContain(readerPassword);
    expect(got.json()).toMatchObject({ postgres: { user: role('reader'), hasPassword: true } });
    const audit = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('org_id', '=', orgA)
      .where('action', '=', 'system.created')
      .where('target_id', '=', systemId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.changes)).not.toContain(readerPassword);
  });

  it('tests the connection', async () => {
    const res = await call(manager, 'POST', `/api/v1/systems/${systemId}/test-connection`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ roles: number }>().roles).toBeGreaterThan(5);
    expect(await statusAs(t, auditor, 'POST', `/api/v1/systems/${systemId}/test-connection`)).toBe(
      403,
    );
  });

  it('syncs roles with privileged, disabled and expired ones, memberships and grants', async () => {
    const res = await call(manager, 'POST', `/api/v1/systems/${systemId}/sync`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'succeeded', source: 'postgresql' });
    const accounts = await accountsOf(systemId, `&q=r${suffix}_`);
    const byName = new Map(accounts.map((a) => [a.externalId.replace(`r${suffix}_`, ''), a]));
    expect(byName.get('boss')).toMatchObject({ status: 'active', privileged: true });
    expect(byName.get('maker')).toMatchObject({ status: 'active', privileged: true });
    expect(byName.get('alice')).toMatchObject({ status: 'active', privileged: false });
    expect(byName.get('app_rw')).toMatchObject({ status: 'disabled' });
    expect(byName.get('expired')?.status).toBe('disabled');
    expect(byName.get('expired')?.validUntil).toBe('2020-01-01T00:00:00.000Z');
    expect(byName.get('boss')?.flags).toContain('privileged_without_mfa');
    const alice = byName.get('alice');
    const detail = await call(auditor, 'GET', `/api/v1/accounts/${alice?.id ?? ''}`);
    expect(detail.json<{ entitlements: { kind: string; name: string }[] }>().entitlements).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'role', name: role('app_rw') })]),
    );
    const appRw = await call(auditor, 'GET', `/api/v1/accounts/${byName.get('app_rw')?.id ?? ''}`);
    const names = appRw
      .json<{ entitlements: { name: string }[] }>()
      .entitlements.map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'tables in app: INSERT',
        'tables in app: SELECT',
        'schema app: USAGE',
      ]),
    );
    const boss = await call(auditor, 'GET', `/api/v1/accounts/${byName.get('boss')?.id ?? ''}`);
    expect(
      boss.json<{ entitlements: { name: string; privileged: boolean }[] }>().entitlements,
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'privilege', name: 'SUPERUSER', privileged: true }),
      ]),
    );
    const catalogue = await call(auditor, 'GET', `/api/v1/systems/${systemId}/entitlements`);
    expect(catalogue.statusCode).toBe(200);
    expect(catalogue.json<{ items: { name: string }[] }>().items.map((i) => i.name)).toContain(
      'SUPERUSER',
    );
  });

  it('marks a dropped role removed and a role that can no longer log in disabled', async () => {
    await admin_pg.query(`DROP ROLE ${role('gone')}`);
    await admin_pg.query(`ALTER ROLE ${role('alice')} NOLOGIN`);
    const res = await call(manager, 'POST', `/api/v1/systems/${systemId}/sync`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = await t.pools.owner
      .selectFrom('system_accounts')
      .select(['external_id', 'status', 'removed_at', 'disabled_at'])
      .where('system_id', '=', systemId)
      .where('external_id', 'in', [role('gone'), role('alice')])
      .execute();
    const gone = rows.find((r) => r.external_id === role('gone'));
    const alice = rows.find((r) => r.external_id === role('alice'));
    expect(gone?.status).toBe('removed');
    expect(gone?.removed_at).not.toBeNull();
    expect(alice?.status).toBe('disabled');
    expect(alice?.disabled_at).not.toBeNull();
  });

  it('refuses a wrong password with a clear error, records a failed sync and changes nothing', async () => {
    const before = await t.pools.owner
      .selectFrom('system_accounts')
      .select(['id', 'digest', 'status'])
      .where('system_id', '=', systemId)
      .orderBy('id')
      .execute();
    await admin_pg.query(`CREATE ROLE ${role('late')} LOGIN`);
    const patched = await call(manager, 'PATCH', `/api/v1/systems/${systemId}`, {
      postgres: settings('wrong-password-123'),
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const res = await call(manager, 'POST', `/api/v1/systems/${systemId}/sync`);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'system.connection_failed' });
    expect(res.json<{ detail: string }>().detail).toContain('Authentication failed');
    expect(res.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('postgres.password');
    const after = await t.pools.owner
      .selectFrom('system_accounts')
      .select(['id', 'digest', 'status'])
      .where('system_id', '=', systemId)
      .orderBy('id')
      .execute();
    expect(after).toEqual(before);
    const history = await call(auditor, 'GET', `/api/v1/systems/${systemId}/syncs`);
    expect(
      history.json<{ items: { status: string; error: string | null }[] }>().items[0],
    ).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('Authentication failed') as unknown,
    });
    expect(await auditCount('system.sync_failed')).toBeGreaterThanOrEqual(1);
    const test = await call(manager, 'POST', `/api/v1/systems/${systemId}/test-connection`);
    expect(test.statusCode).toBe(422);
    // The right password back: the sync works again.
    await call(manager, 'PATCH', `/api/v1/systems/${systemId}`, { postgres: settings() });
    expect(await statusAs(t, manager, 'POST', `/api/v1/systems/${systemId}/sync`)).toBe(200);
  });

  it('names missing privileges: a user refused CONNECT', async () => {
    await admin_pg.query(`REVOKE CONNECT ON DATABASE ${targetDb} FROM PUBLIC`);
    try {
      const res = await call(manager, 'POST', `/api/v1/systems/${systemId}/sync`);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'system.connector_privileges' });
    } finally {
      await admin_pg.query(`GRANT CONNECT ON DATABASE ${targetDb} TO PUBLIC`);
    }
  });

  it('refuses a sync of a system without a connector and by a reader', async () => {
    const push = await createSystem({ name: 'Not connected', connectorKind: 'push' });
    const res = await call(manager, 'POST', `/api/v1/systems/${push.id}/sync`);
    expect(res.statusCode).toBe(409);
    expect(await statusAs(t, auditor, 'POST', `/api/v1/systems/${systemId}/sync`)).toBe(403);
  });
});

/**
 * The accounts the Flags app reports: Ana's (with `extraEntitlements` after her two roles), a
 * departed person's, a shared admin, one nobody matches, and Ana's dormant second account.
 */
function flagsAppAccounts(extraEntitlements: { kind: string; name: string }[] = []) {
  return [
    {
      externalId: '1',
      email: 'ana@corp.test',
      mfaEnabled: true,
      entitlements: [
        { kind: 'role', name: 'editor' },
        { kind: 'role', name: 'billing-admin' },
        ...extraEntitlements,
      ],
    },
    { externalId: '2', username: 'ben' },
    { externalId: '3', username: 'admin', privileged: true },
    { externalId: '4', username: 'nobody' },
    {
      externalId: '5',
      email: 'ana@corp.test',
      username: 'ana2',
      lastSignInAt: '2025-01-01T00:00:00Z',
    },
  ];
}

describe('matching and flags', () => {
  let systemId: string;
  let ana: string;
  let ben: string;

  it('links accounts to people by email and username, and flags them', async () => {
    ana = await seedPerson(orgA, {
      display_name: 'Ana',
      email: 'ana@corp.test',
      department: 'Engineering',
    });
    ben = await seedPerson(orgA, {
      display_name: 'Ben',
      email: 'ben@corp.test',
      status: 'departed',
      end_date: '2026-01-31',
    });
    const system = await createSystem({ name: 'Flags app', connectorKind: 'push' });
    systemId = system.id;
    const res = await call(manager, 'PUT', `/api/v1/systems/${systemId}/accounts`, {
      accounts: flagsAppAccounts(),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ counts: { linked: number } }>().counts.linked).toBe(3);
    const accounts = await accountsOf(systemId);
    const by = new Map(accounts.map((a) => [a.externalId, a]));
    expect(by.get('1')).toMatchObject({ person: { id: ana }, linkMethod: 'email', flags: [] });
    expect(by.get('2')).toMatchObject({ person: { id: ben }, linkMethod: 'username' });
    expect(by.get('2')?.flags).toContain('orphaned');
    expect(by.get('3')?.flags).toEqual(
      expect.arrayContaining(['orphaned', 'shared', 'privileged_without_mfa']),
    );
    expect(by.get('4')?.flags).toEqual(['orphaned']);
    expect(by.get('5')?.flags).toContain('dormant');
    const shared = await accountsOf(systemId, '&flag=shared');
    expect(shared.map((a) => a.externalId)).toEqual(['3']);
    const orphaned = await accountsOf(systemId, '&flag=orphaned');
    expect(orphaned.map((a) => a.externalId).sort()).toEqual(['2', '3', '4']);
  });

  it('uses the org dormancy setting', async () => {
    const bad = await call(manager, 'PUT', '/api/v1/systems-settings', { dormantDays: 0 });
    expect(bad.statusCode).toBe(400);
    const res = await call(manager, 'PUT', '/api/v1/systems-settings', { dormantDays: 3650 });
    expect(res.statusCode).toBe(200);
    expect((await call(auditor, 'GET', '/api/v1/systems-settings')).json()).toEqual({
      dormantDays: 3650,
    });
    expect(await accountsOf(systemId, '&flag=dormant')).toHaveLength(0);
    await call(manager, 'PUT', '/api/v1/systems-settings', { dormantDays: 90 });
    expect(await accountsOf(systemId, '&flag=dormant')).toHaveLength(1);
    expect(await statusAs(t, auditor, 'PUT', '/api/v1/systems-settings', { dormantDays: 30 })).toBe(
      403,
    );
  });

  it('links and unlinks by hand; an unlinked account stays unlinked across syncs', async () => {
    const nobody = (await accountsOf(systemId)).find((a) => a.externalId === '4');
    const linked = await call(manager, 'PUT', `/api/v1/accounts/${nobody?.id ?? ''}/link`, {
      personId: ana,
    });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ person: { id: ana }, linkMethod: 'manual' });
    const missing = await call(manager, 'PUT', `/api/v1/accounts/${nobody?.id ?? ''}/link`, {
      personId: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing.statusCode).toBe(404);
    expect(
      (await call(auditor, 'PUT', `/api/v1/accounts/${nobody?.id ?? ''}/link`, { personId: ana }))
        .statusCode,
    ).toBe(403);
    const first = (await accountsOf(systemId)).find((a) => a.externalId === '1');
    const unlinked = await call(manager, 'DELETE', `/api/v1/accounts/${first?.id ?? ''}/link`);
    expect(unlinked.statusCode).toBe(200);
    expect(unlinked.json()).toMatchObject({ person: null, linkMethod: null });
    await call(manager, 'PUT', `/api/v1/systems/${systemId}/accounts`, {
      accounts: flagsAppAccounts([{ kind: 'group', name: 'new' }]),
    });
    const after = await accountsOf(systemId);
    expect(after.find((a) => a.externalId === '1')?.person).toBeNull();
    expect(after.find((a) => a.externalId === '4')?.person?.id).toBe(ana);
    expect(await auditCount('account.linked')).toBe(1);
    expect(await auditCount('account.unlinked')).toBe(1);
    // Link back for the profile test.
    await call(manager, 'PUT', `/api/v1/accounts/${first?.id ?? ''}/link`, { personId: ana });
  });

  it('flags entitlements outside the role profile, with profile CRUD', async () => {
    const bad = await call(manager, 'POST', '/api/v1/access-profiles', {
      name: 'Engineer',
      entitlements: [{ systemId: '00000000-0000-4000-8000-000000000000', kind: 'role', name: 'x' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'entitlements.0.systemId',
    );
    const created = await call(manager, 'POST', '/api/v1/access-profiles', {
      name: 'Engineer',
      matchDepartment: 'engineering',
      entitlements: [{ systemId, kind: 'role', name: 'editor' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const profileId = created.json<{ id: string }>().id;
    const excess = await accountsOf(systemId, '&flag=excess');
    expect(excess.map((a) => a.externalId).sort()).toEqual(['1']);
    const detail = await call(auditor, 'GET', `/api/v1/accounts/${excess[0]?.id ?? ''}`);
    const ents = detail.json<{ entitlements: { name: string; excess: boolean }[] }>().entitlements;
    expect(ents.find((e) => e.name === 'billing-admin')?.excess).toBe(true);
    expect(ents.find((e) => e.name === 'editor')?.excess).toBe(false);
    const dupName = await call(manager, 'POST', '/api/v1/access-profiles', { name: 'engineer' });
    expect(dupName.statusCode).toBe(409);
    const updated = await call(manager, 'PUT', `/api/v1/access-profiles/${profileId}`, {
      name: 'Engineer',
      personIds: [ana],
      entitlements: [
        { systemId, kind: 'role', name: 'editor' },
        { systemId, kind: 'role', name: 'billing-admin' },
        { systemId, kind: 'group', name: 'new' },
      ],
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ people: [{ id: ana }] });
    expect(await accountsOf(systemId, '&flag=excess')).toHaveLength(0);
    expect(
      (await call(auditor, 'GET', '/api/v1/access-profiles')).json<{ items: unknown[] }>().items,
    ).toHaveLength(1);
    expect(await statusAs(t, auditor, 'GET', `/api/v1/access-profiles/${profileId}`)).toBe(200);
    expect(await statusAs(t, auditor, 'DELETE', `/api/v1/access-profiles/${profileId}`)).toBe(403);
    expect(await statusAs(t, otherOrgAdmin, 'GET', `/api/v1/access-profiles/${profileId}`)).toBe(
      404,
    );
    const deleted = await call(manager, 'DELETE', `/api/v1/access-profiles/${profileId}`);
    expect(deleted.statusCode).toBe(200);
    expect(await statusAs(t, auditor, 'GET', `/api/v1/access-profiles/${profileId}`)).toBe(404);
  });

  it('registers service accounts and justifies privileged ones', async () => {
    const admin3 = (await accountsOf(systemId)).find((a) => a.externalId === '3');
    const res = await call(manager, 'PATCH', `/api/v1/accounts/${admin3?.id ?? ''}`, {
      accountType: 'service',
      serviceOwnerUserId: manager.id,
      privilegeJustification: 'Deploy automation',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      accountType: 'service',
      serviceOwner: { id: manager.id },
      privilegeJustification: 'Deploy automation',
      flags: [],
    });
    const bad = await call(manager, 'PATCH', `/api/v1/accounts/${admin3?.id ?? ''}`, {
      accountType: 'robot',
    });
    expect(bad.statusCode).toBe(400);
    expect(
      await statusAs(t, contributor, 'PATCH', `/api/v1/accounts/${admin3?.id ?? ''}`, {
        privilegeJustification: 'x',
      }),
    ).toBe(403);
    expect(await statusAs(t, otherOrgAdmin, 'GET', `/api/v1/accounts/${admin3?.id ?? ''}`)).toBe(
      404,
    );
  });
});

describe('annex checks and the sync hook', () => {
  it('records the inventory checks with a reason', async () => {
    const checks = await t.pools.owner
      .selectFrom('checks')
      .select(['key', 'latest_status', 'latest_summary'])
      .where('org_id', '=', orgA)
      .where('key', 'in', [
        'systems.owners_assigned',
        'access.standing_admins_limited',
        'identity.shared_accounts_absent',
        'identity.sso_coverage',
      ])
      .execute();
    expect(checks).toHaveLength(4);
    const admins = checks.find((c) => c.key === 'access.standing_admins_limited');
    expect(admins?.latest_status).toBe('fail');
    expect(admins?.latest_summary).toContain('No administrator limit set');
    const shared = checks.find((c) => c.key === 'identity.shared_accounts_absent');
    expect(shared?.latest_status).toBe('fail');
  });

  it('calls the accounts-synced hook inside the sync transaction', async () => {
    const { createSystemsModule } = await import('./index.ts');
    const events: { systemId: string; syncId: string; inTx: boolean }[] = [];
    const deps: SystemsDeps = {
      db: t.pools.app,
      auditWriter: t.auditWriter,
      secrets: t.secrets,
      tempDir: t.dataDir,
      onAccountsSynced: async ({ tx }, event) => {
        const row = await tx
          .selectFrom('system_syncs')
          .select('id')
          .where('id', '=', event.syncId)
          .executeTakeFirst();
        events.push({ systemId: event.systemId, syncId: event.syncId, inTx: row !== undefined });
      },
    };
    const module = createSystemsModule(deps);
    expect(module.jobs?.map((j) => j.name)).toEqual(['systems.scheduled-sync', 'systems.daily']);
    const { runDueSyncs } = await import('./index.ts');
    const system = await createSystem({
      name: 'Directory',
      connectorKind: 'scim',
      syncIntervalHours: 1,
    });
    await t.pools.owner
      .updateTable('systems')
      .set({ next_sync_at: new Date(Date.now() - 1000) })
      .where('id', '=', system.id)
      .execute();
    await seedPerson(orgA, {
      display_name: 'Cleo',
      email: 'cleo@corp.test',
      source: 'scim',
      scim_user_name: 'cleo@corp.test',
      scim_resource: JSON.stringify({ userName: 'cleo@corp.test' }),
    });
    const outcome = await runDueSyncs(deps, orgA);
    expect(outcome.ran).toBeGreaterThanOrEqual(1);
    expect(events.find((e) => e.systemId === system.id)?.inTx).toBe(true);
    const accounts = await accountsOf(system.id);
    expect(accounts).toEqual([
      expect.objectContaining({ status: 'active', linkMethod: 'email', displayName: 'Cleo' }),
    ]);
    const sync = await t.pools.owner
      .selectFrom('system_syncs')
      .select('trigger')
      .where('system_id', '=', system.id)
      .executeTakeFirstOrThrow();
    expect(sync.trigger).toBe('schedule');
    expect(await auditCount('system.synced', orgB)).toBe(0);
  });
});
