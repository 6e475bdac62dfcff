import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, seedUser, injectAs, statusAs, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Identity } from '../../platform/authz/identity.ts';
import { startJobRunner } from '../../platform/jobs/jobs.ts';
import { createLogger } from '../../platform/logger/logger.ts';
import { createEvidenceBlobStore } from '../../platform/storage/index.ts';
import type { SupportAccessDeps } from './support-access-deps.ts';
import { jobUnitOfWork } from './support-access.jobs.ts';
import { approveRequest, expireDue } from './support-access.service.ts';
import { deliverEvent } from './webhook-delivery.service.ts';
import { signatureHeader, verifyWebhookSignature } from './webhook-signature.ts';

let t: TestApp;
let orgA: string;
let orgB: string;
let engineer: SeededUser;
let oncall: SeededUser;
let approver: SeededUser;
let auditor: SeededUser;
let employee: SeededUser;
let otherOrgAdmin: SeededUser;
let deps: SupportAccessDeps;
const queued: { name: string; payload: unknown }[] = [];

// A database of the test cluster holding two customers' schemas, and the grant role Steward
// uses on it: CREATEROLE, pg_signal_backend, and grant options on the customer schemas.
const suffix = randomBytes(4).toString('hex');
const targetDb = `sa_${suffix}`;
const granter = `r${suffix}_granter`;
const granterPassword = `granter-${randomBytes(8).toString('hex')}`;
let admin: pg.Client;
let pgHost: string;
let pgPort: number;

// The webhook receiver of a non-PostgreSQL system.
const webhookSecret = `whsec-${randomBytes(12).toString('hex')}`;
let receiver: Server;
let receiverUrl: string;
const received: { event: string; valid: boolean; body: Record<string, unknown> }[] = [];
let failNext = 0;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

beforeAll(async () => {
  t = await createTestApp();
  t.jobQueue.bind({
    enqueue: (name, payload) => {
      queued.push({ name, payload });
      return Promise.resolve();
    },
  });
  orgA = await seedOrg(t, 'Support Org', { withProgram: true });
  orgB = await seedOrg(t, 'Other Org');
  engineer = await seedUser(t, orgA, 'contributor');
  oncall = await seedUser(t, orgA, 'contributor');
  approver = await seedUser(t, orgA, 'security_manager');
  auditor = await seedUser(t, orgA, 'auditor');
  employee = await seedUser(t, orgA, 'employee');
  otherOrgAdmin = await seedUser(t, orgB, 'admin');
  deps = {
    db: t.pools.app,
    auditWriter: t.auditWriter,
    secrets: t.secrets,
    jobs: t.jobQueue,
    tempDir: t.dataDir,
    blobStore: createEvidenceBlobStore({ dataDir: t.dataDir, s3: undefined }),
  };
  const url = new URL(t.databaseUrl);
  pgHost = url.hostname;
  pgPort = Number(url.port);
  admin = new pg.Client({ connectionString: t.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${targetDb}`);
  await admin.query(`CREATE ROLE ${granter} LOGIN CREATEROLE PASSWORD '${granterPassword}'`);
  await admin.query(`GRANT pg_signal_backend TO ${granter}`);
  const target = new URL(t.databaseUrl);
  target.pathname = `/${targetDb}`;
  const db = new pg.Client({ connectionString: target.toString() });
  await db.connect();
  for (const schema of ['cust_acme', 'cust_globex']) {
    await db.query(`CREATE SCHEMA ${schema}`);
    await db.query(`CREATE TABLE ${schema}.orders (id serial PRIMARY KEY, item text)`);
    await db.query(`INSERT INTO ${schema}.orders (item) VALUES ('${schema} order')`);
    await db.query(`GRANT USAGE ON SCHEMA ${schema} TO ${granter} WITH GRANT OPTION`);
    await db.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${granter} WITH GRANT OPTION`,
    );
    await db.query(
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${granter} WITH GRANT OPTION`,
    );
  }
  await db.end();
  receiver = createServer((req, res) => {
    void readBody(req).then((body) => {
      const header = String(req.headers[signatureHeader] ?? '');
      const valid = verifyWebhookSignature(webhookSecret, body, header, Date.now() / 1000);
      const parsed = JSON.parse(body) as Record<string, unknown>;
      received.push({ event: String(parsed.type), valid, body: parsed });
      if (!valid) {
        res.writeHead(401).end('bad signature');
      } else if (failNext > 0) {
        failNext--;
        res.writeHead(503).end('try later');
      } else if (parsed.type === 'support_access.grant') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(
            JSON.stringify({ ok: true, credential: { username: 'support-7', token: 'tok-123' } }),
          );
      } else {
        res.writeHead(204).end();
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/hooks/steward`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await admin.query(`DROP DATABASE IF EXISTS ${targetDb} WITH (FORCE)`);
  const left = await admin.query<{ rolname: string }>(
    `SELECT rolname FROM pg_roles WHERE rolname LIKE 'steward_sa_%'`,
  );
  for (const r of left.rows) await admin.query(`DROP ROLE IF EXISTS ${r.rolname}`);
  await admin.query(`DROP ROLE IF EXISTS ${granter}`);
  await admin.end();
  await t.close();
});

async function call(user: SeededUser, method: string, url: string, payload?: unknown) {
  return injectAs(t, user, method as 'GET', url, payload);
}

async function ok<T>(user: SeededUser, method: string, url: string, payload?: unknown) {
  const res = await call(user, method, url, payload);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<T>();
}

const requestsUrl = '/api/v1/support-access/requests';

/** The URL of one support access request, or of one of its actions. */
function requestUrl(id: string, action?: string): string {
  return action === undefined ? `${requestsUrl}/${id}` : `${requestsUrl}/${id}/${action}`;
}

/** Open a support access request as `user`; it must be accepted. */
function openRequest(user: SeededUser, body: Record<string, unknown>) {
  return ok<RequestView>(user, 'POST', requestsUrl, body);
}

interface RequestView {
  id: string;
  status: string;
  grantUsername: string | null;
  expiresAt: string | null;
  decidedBy: string | null;
  credentialAvailable: boolean;
  revokedOnSystemAt: string | null;
  grantError: string | null;
  autoRule: { name: string } | null;
  deliveries: { event: string; attempt: number; acknowledged: boolean; response: string | null }[];
}

interface Credential {
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
  details: Record<string, string>;
}

async function connectAs(credential: Credential): Promise<pg.Client> {
  const client = new pg.Client({
    host: credential.host,
    port: credential.port,
    database: credential.database,
    user: credential.username,
    password: credential.password,
    connectionTimeoutMillis: 10_000,
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

async function loginError(credential: Credential): Promise<string | null> {
  try {
    const client = await connectAs(credential);
    await client.end();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

async function roleExists(name: string): Promise<boolean> {
  const res = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  return res.rowCount === 1;
}

async function checkStatus(key: string): Promise<string | null> {
  const row = await t.pools.owner
    .selectFrom('checks')
    .select('latest_status')
    .where('org_id', '=', orgA)
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.latest_status ?? null;
}

async function actions(targetId: string): Promise<string[]> {
  const rows = await t.pools.owner
    .selectFrom('audit_events')
    .select('action')
    .where('org_id', '=', orgA)
    .where('target_id', '=', targetId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

function identityOf(user: SeededUser): Identity {
  return {
    kind: 'token',
    orgId: user.orgId,
    userId: user.id,
    role: user.role,
    label: user.email,
    sessionId: null,
    tokenId: null,
    csrfToken: null,
    mfaEnrolmentRequired: false,
    authMethod: 'token',
  };
}

let acme: { id: string };
let globex: { id: string };
let pgSystem: { id: string };
let hookSystem: { id: string };

describe('customers and configuration', () => {
  it('adds customers with unique keys, refusing duplicates and employees', async () => {
    acme = await ok(approver, 'POST', '/api/v1/customers', { name: 'Acme Corp', key: 'acme' });
    globex = await ok(approver, 'POST', '/api/v1/customers', {
      name: 'Globex',
      key: 'globex',
      notes: 'EU tenant',
    });
    const dup = await call(approver, 'POST', '/api/v1/customers', { name: 'Acme 2', key: 'acme' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('key');
    const bad = await call(approver, 'POST', '/api/v1/customers', { name: 'X', key: 'Not OK!' });
    expect(bad.statusCode).toBe(400);
    expect(await statusAs(t, engineer, 'POST', '/api/v1/customers', { name: 'Y', key: 'y' })).toBe(
      403,
    );
    const list = await ok<{ items: { key: string }[] }>(auditor, 'GET', '/api/v1/customers');
    expect(list.items.map((c) => c.key)).toEqual(['acme', 'globex']);
    const renamed = await ok<{ name: string }>(
      approver,
      'PATCH',
      `/api/v1/customers/${globex.id}`,
      {
        name: 'Globex Inc',
      },
    );
    expect(renamed.name).toBe('Globex Inc');
    expect(await statusAs(t, otherOrgAdmin, 'GET', `/api/v1/customers/${acme.id}`)).toBe(404);
  });

  it('configures a PostgreSQL system with a sealed grant credential and schema mapping', async () => {
    pgSystem = await ok(approver, 'POST', '/api/v1/systems', {
      name: 'Orders database',
      environment: 'production',
      signInMethod: 'local',
      holdsCustomerData: true,
      connectorKind: 'postgresql',
      postgres: {
        host: pgHost,
        port: pgPort,
        database: targetDb,
        user: granter,
        password: granterPassword,
        sslmode: 'disable',
      },
    });
    const noPassword = await call(
      approver,
      'PUT',
      `/api/v1/support-access/systems/${pgSystem.id}`,
      {
        mode: 'postgresql',
        postgres: { user: granter },
      },
    );
    expect(noPassword.statusCode).toBe(400);
    expect(noPassword.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'postgres.password',
    );
    const config = await ok<{ postgres: { hasPassword: boolean }; mappings: unknown[] }>(
      approver,
      'PUT',
      `/api/v1/support-access/systems/${pgSystem.id}`,
      {
        mode: 'postgresql',
        postgres: { user: granter, password: granterPassword, connectionLimit: 3 },
        mappings: [
          { customerId: acme.id, schemaName: 'cust_acme' },
          { customerId: globex.id, schemaName: 'cust_globex' },
        ],
      },
    );
    expect(config.postgres.hasPassword).toBe(true);
    expect(config.mappings).toHaveLength(2);
    const stored = await t.pools.owner
      .selectFrom('support_access_systems')
      .select('grant_secret_sealed')
      .where('system_id', '=', pgSystem.id)
      .executeTakeFirstOrThrow();
    expect(stored.grant_secret_sealed).toMatch(/^stw-enc-v1\./);
    expect(stored.grant_secret_sealed).not.toContain(granterPassword);
    const audit = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('action', '=', 'support_access.system_configured')
      .execute();
    expect(JSON.stringify(audit)).not.toContain(granterPassword);
    expect(
      await statusAs(t, engineer, 'PUT', `/api/v1/support-access/systems/${pgSystem.id}`, {
        mode: 'postgresql',
      }),
    ).toBe(403);
  });

  it('configures a webhook system and refuses PostgreSQL mode without the connector', async () => {
    hookSystem = await ok(approver, 'POST', '/api/v1/systems', {
      name: 'Support console',
      environment: 'production',
      signInMethod: 'sso',
      holdsCustomerData: true,
    });
    const wrong = await call(approver, 'PUT', `/api/v1/support-access/systems/${hookSystem.id}`, {
      mode: 'postgresql',
      postgres: { user: 'x', password: 'y' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('mode');
    const unknownCustomer = await call(
      approver,
      'PUT',
      `/api/v1/support-access/systems/${hookSystem.id}`,
      {
        mode: 'webhook',
        webhook: { url: receiverUrl, secret: webhookSecret },
        mappings: [{ customerId: '00000000-0000-4000-8000-000000000001', schemaName: 'x' }],
      },
    );
    expect(unknownCustomer.statusCode).toBe(400);
    expect(unknownCustomer.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'mappings.0.customerId',
    );
    const config = await ok<{ webhook: { url: string; hasSecret: boolean } }>(
      approver,
      'PUT',
      `/api/v1/support-access/systems/${hookSystem.id}`,
      { mode: 'webhook', webhook: { url: receiverUrl, secret: webhookSecret } },
    );
    expect(config.webhook).toEqual({ url: receiverUrl, hasSecret: true });
  });

  it('keeps the org limits: default 4 hours, maximum changeable by managers only', async () => {
    expect(await ok(engineer, 'GET', '/api/v1/support-access/settings')).toEqual({
      defaultDurationMinutes: 240,
      maxDurationMinutes: 480,
    });
    const bad = await call(approver, 'PUT', '/api/v1/support-access/settings', {
      defaultDurationMinutes: 600,
      maxDurationMinutes: 120,
    });
    expect(bad.statusCode).toBe(400);
    await ok(approver, 'PUT', '/api/v1/support-access/settings', {
      defaultDurationMinutes: 60,
      maxDurationMinutes: 240,
    });
    expect(
      await statusAs(t, engineer, 'PUT', '/api/v1/support-access/settings', {
        defaultDurationMinutes: 60,
        maxDurationMinutes: 1440,
      }),
    ).toBe(403);
  });
});

describe('a PostgreSQL grant, approved by another person', () => {
  let request: RequestView;
  let credential: Credential;

  it('refuses bad requests, naming the field', async () => {
    const base = {
      customerId: acme.id,
      systemId: pgSystem.id,
      reason: 'Investigate missing order',
      ticketRef: 'SUP-101',
      level: 'read',
    };
    const tooLong = await call(engineer, 'POST', requestsUrl, {
      ...base,
      durationMinutes: 300,
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json<{ code: string; errors: { path: string }[] }>()).toMatchObject({
      code: 'support_access.duration_exceeded',
      errors: [{ path: 'durationMinutes' }],
    });
    const unknownSystem = await call(engineer, 'POST', requestsUrl, {
      ...base,
      systemId: '00000000-0000-4000-8000-000000000002',
    });
    expect(unknownSystem.statusCode).toBe(400);
    expect(unknownSystem.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('systemId');
    const unknownCustomer = await call(engineer, 'POST', requestsUrl, {
      ...base,
      customerId: '00000000-0000-4000-8000-000000000003',
    });
    expect(unknownCustomer.statusCode).toBe(400);
    expect(unknownCustomer.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(
      'customerId',
    );
    const noTicket = await call(engineer, 'POST', requestsUrl, {
      ...base,
      ticketRef: ' ',
    });
    expect(noTicket.statusCode).toBe(400);
    expect(await statusAs(t, employee, 'POST', requestsUrl, base)).toBe(403);
  });

  it('records a pending request with the default duration', async () => {
    request = await openRequest(engineer, {
      customerId: acme.id,
      systemId: pgSystem.id,
      reason: 'Investigate missing order',
      ticketRef: 'SUP-101',
      level: 'read',
    });
    expect(request).toMatchObject({
      status: 'pending',
      durationMinutes: 60,
      mechanism: 'postgresql',
    });
    const queue = await ok<{ items: { id: string }[] }>(
      approver,
      'GET',
      '/api/v1/support-access/requests?stage=pending',
    );
    expect(queue.items.map((r) => r.id)).toContain(request.id);
  });

  it('forbids approving one’s own request and hides it from other orgs', async () => {
    const self = await call(engineer, 'POST', requestUrl(request.id, 'approve'));
    expect(self.statusCode).toBe(403);
    const own = await seedUser(t, orgA, 'security_manager');
    const mine = await openRequest(own, {
      customerId: acme.id,
      systemId: pgSystem.id,
      reason: 'Self test',
      ticketRef: 'SUP-1',
      level: 'read',
    });
    const selfApprove = await call(own, 'POST', requestUrl(mine.id, 'approve'));
    expect(selfApprove.statusCode).toBe(403);
    expect(selfApprove.json<{ code: string }>().code).toBe('support_access.self_approval');
    await ok(own, 'POST', requestUrl(mine.id, 'cancel'));
    const other = await call(otherOrgAdmin, 'POST', requestUrl(request.id, 'approve'));
    expect(other.statusCode).toBe(404);
    expect(await statusAs(t, otherOrgAdmin, 'GET', requestUrl(request.id))).toBe(404);
  });

  it('grants on approval: a login role valid until the window ends, credential shown once', async () => {
    request = await ok(approver, 'POST', requestUrl(request.id, 'approve'));
    expect(request.status, request.grantError ?? '').toBe('active');
    expect(request.grantUsername).toMatch(/^steward_sa_[0-9a-f]{12}$/);
    expect(request.credentialAvailable).toBe(true);
    const role = await admin.query<{ rolvaliduntil: Date; rolconnlimit: number }>(
      'SELECT rolvaliduntil, rolconnlimit FROM pg_roles WHERE rolname = $1',
      [request.grantUsername],
    );
    expect(role.rows[0]?.rolvaliduntil.toISOString()).toBe(request.expiresAt);
    expect(role.rows[0]?.rolconnlimit).toBe(3);
    // Only the requester sees the credential, and only once.
    const byApprover = await call(approver, 'POST', requestUrl(request.id, 'credential'));
    expect(byApprover.statusCode).toBe(403);
    const revealed = await call(engineer, 'POST', requestUrl(request.id, 'credential'));
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.headers['cache-control']).toBe('no-store');
    credential = revealed.json<Credential>();
    expect(credential).toMatchObject({ username: request.grantUsername, database: targetDb });
    const again = await call(engineer, 'POST', requestUrl(request.id, 'credential'));
    expect(again.statusCode).toBe(410);
    const row = await t.pools.owner
      .selectFrom('support_access_requests')
      .select(['credential_sealed', 'credential_revealed_at'])
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    expect(row.credential_sealed).toBeNull();
    expect(row.credential_revealed_at).not.toBeNull();
    const everything = await t.pools.owner.selectFrom('audit_events').select('changes').execute();
    expect(JSON.stringify(everything)).not.toContain(credential.password);
  });

  it('reads the customer’s schema, but neither another customer’s nor writes at read level', async () => {
    const client = await connectAs(credential);
    try {
      const rows = await client.query<{ item: string }>('SELECT item FROM cust_acme.orders');
      expect(rows.rows).toEqual([{ item: 'cust_acme order' }]);
      const other = await client.query('SELECT * FROM cust_globex.orders').catch((e: unknown) => e);
      expect((other as { code?: string }).code).toBe('42501');
      const write = await client
        .query(`INSERT INTO cust_acme.orders (item) VALUES ('nope')`)
        .catch((e: unknown) => e);
      expect(['42501', '25006']).toContain((write as { code?: string }).code);
      const forced = await client
        .query(`BEGIN READ WRITE; INSERT INTO cust_acme.orders (item) VALUES ('nope'); COMMIT`)
        .catch((e: unknown) => e);
      expect((forced as { code?: string }).code).toBe('42501');
    } finally {
      await client.end().catch(() => undefined);
    }
  });

  it('refuses to approve a request that is no longer pending', async () => {
    const again = await call(approver, 'POST', requestUrl(request.id, 'approve'));
    expect(again.statusCode).toBe(409);
  });

  it('revokes on early release: sessions ended, role dropped, login fails', async () => {
    const session = await connectAs(credential);
    session.on('error', () => undefined);
    const byOther = await call(approver, 'POST', requestUrl(request.id, 'release'), {});
    expect(byOther.statusCode).toBe(403);
    request = await ok(engineer, 'POST', requestUrl(request.id, 'release'), {
      reason: 'Done',
    });
    expect(request.status).toBe('released');
    expect(request.revokedOnSystemAt).not.toBeNull();
    expect(await roleExists(credential.username)).toBe(false);
    const after = await session.query('SELECT 1').catch((e: unknown) => e);
    expect(after).toBeInstanceOf(Error);
    await session.end().catch(() => undefined);
    expect(await loginError(credential)).toBe('28P01');
    expect(await actions(request.id)).toEqual([
      'support_access.requested',
      'support_access.approved',
      'support_access.granted',
      'support_access.credential_revealed',
      'support_access.released',
      'support_access.revoke_applied',
    ]);
  });

  it('grants write access with INSERT, UPDATE and DELETE on the schema', async () => {
    const write = await openRequest(engineer, {
      customerId: globex.id,
      systemId: pgSystem.id,
      reason: 'Fix a broken order',
      ticketRef: 'SUP-102',
      level: 'write',
      durationMinutes: 30,
    });
    await ok(approver, 'POST', requestUrl(write.id, 'approve'));
    const cred = await ok<Credential>(engineer, 'POST', requestUrl(write.id, 'credential'));
    const client = await connectAs(cred);
    try {
      await client.query(`INSERT INTO cust_globex.orders (item) VALUES ('fixed')`);
      await client.query(`DELETE FROM cust_globex.orders WHERE item = 'fixed'`);
      const other = await client.query('SELECT * FROM cust_acme.orders').catch((e: unknown) => e);
      expect((other as { code?: string }).code).toBe('42501');
    } finally {
      await client.end();
    }
    const revoked = await ok<RequestView>(approver, 'POST', requestUrl(write.id, 'revoke'), {
      reason: 'Ticket closed',
    });
    expect(revoked.status).toBe('revoked');
    expect(await roleExists(cred.username)).toBe(false);
  });

  it('expires at the end of the window: VALID UNTIL refuses the login, the job drops the role', async () => {
    const short = await openRequest(engineer, {
      customerId: acme.id,
      systemId: pgSystem.id,
      reason: 'Short look',
      ticketRef: 'SUP-103',
      level: 'read',
      durationMinutes: 1,
    });
    // Approved as if 52 seconds ago, so the one-minute window ends 8 seconds from now.
    const uow = createUnitOfWork({
      db: t.pools.app,
      auditWriter: t.auditWriter,
      orgId: orgA,
      actor: {
        type: 'user',
        id: approver.id,
        label: approver.email,
        authMethod: 'token',
        requestId: null,
        ip: null,
        userAgent: null,
      },
    });
    const approved = await approveRequest(
      deps,
      uow,
      identityOf(approver),
      short.id,
      new Date(Date.now() - 52_000),
    );
    expect(approved.status).toBe('active');
    const cred = await ok<Credential>(engineer, 'POST', requestUrl(short.id, 'credential'));
    expect(await loginError(cred)).toBeNull();
    // The job has not run yet: PostgreSQL itself refuses the login once VALID UNTIL passes.
    await expect.poll(() => loginError(cred), { timeout: 30_000, interval: 500 }).toBe('28P01');
    expect(await roleExists(cred.username)).toBe(true);
    const result = await expireDue(deps, jobUnitOfWork(deps, orgA, 'support-access.expire'));
    expect(result.expired).toBe(1);
    expect(await roleExists(cred.username)).toBe(false);
    const ended = await ok<RequestView>(auditor, 'GET', requestUrl(short.id));
    expect(ended).toMatchObject({ status: 'expired' });
    expect(ended.revokedOnSystemAt).not.toBeNull();
    expect(await actions(short.id)).toContain('support_access.expired');
  });

  it('records the annex checks: approved by another person, none outlived its window', async () => {
    expect(await checkStatus('support_access.grants_approved')).toBe('pass');
    expect(await checkStatus('support_access.grants_expired')).toBe('pass');
  });
});

describe('denial and on-call rules', () => {
  it('denies with a reason, and a denied request cannot be approved', async () => {
    const req = await openRequest(engineer, {
      customerId: acme.id,
      systemId: pgSystem.id,
      reason: 'Curious',
      ticketRef: 'SUP-104',
      level: 'write',
    });
    const noReason = await call(approver, 'POST', requestUrl(req.id, 'deny'), {});
    expect(noReason.statusCode).toBe(400);
    const denied = await ok<RequestView>(approver, 'POST', requestUrl(req.id, 'deny'), {
      reason: 'No ticket justifies write access',
    });
    expect(denied.status).toBe('denied');
    const approve = await call(approver, 'POST', requestUrl(req.id, 'approve'));
    expect(approve.statusCode).toBe(409);
    expect(approve.json<{ code: string }>().code).toBe('support_access.wrong_state');
  });

  it('lets only the requester withdraw or reveal, and only while it applies', async () => {
    const req = await openRequest(engineer, {
      customerId: globex.id,
      systemId: pgSystem.id,
      reason: 'Maybe later',
      ticketRef: 'SUP-105',
      level: 'read',
    });
    const early = await call(engineer, 'POST', requestUrl(req.id, 'credential'));
    expect(early.statusCode).toBe(410);
    const byOther = await call(oncall, 'POST', requestUrl(req.id, 'cancel'));
    expect(byOther.statusCode).toBe(403);
    expect(byOther.json<{ code: string }>().code).toBe('support_access.not_requester');
    const cancelled = await ok<RequestView>(engineer, 'POST', requestUrl(req.id, 'cancel'));
    expect(cancelled.status).toBe('cancelled');
    const release = await call(engineer, 'POST', requestUrl(req.id, 'release'), {});
    expect(release.statusCode).toBe(409);
    const mine = await ok<{ items: { id: string }[] }>(
      oncall,
      'GET',
      '/api/v1/support-access/requests?mine=true',
    );
    expect(mine.items.map((r) => r.id)).not.toContain(req.id);
  });

  it('approves automatically within an on-call rule, audited as such', async () => {
    const badRule = await call(approver, 'POST', '/api/v1/support-access/rules', {
      name: 'Bad',
      userIds: ['00000000-0000-4000-8000-000000000004'],
      maxLevel: 'read',
      maxDurationMinutes: 60,
    });
    expect(badRule.statusCode).toBe(400);
    expect(badRule.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('userIds.0');
    const rule = await ok<{ id: string }>(approver, 'POST', '/api/v1/support-access/rules', {
      name: 'Primary on-call',
      userIds: [oncall.id],
      systemIds: [pgSystem.id],
      maxLevel: 'read',
      maxDurationMinutes: 60,
    });
    // Beyond the rule (write): waits for a person.
    const beyond = await openRequest(oncall, {
      customerId: acme.id,
      systemId: pgSystem.id,
      reason: 'Incident INC-9',
      ticketRef: 'INC-9',
      level: 'write',
      durationMinutes: 30,
    });
    expect(beyond.status).toBe('pending');
    await ok(oncall, 'POST', requestUrl(beyond.id, 'cancel'));
    const within = await openRequest(oncall, {
      customerId: acme.id,
      systemId: pgSystem.id,
      reason: 'Incident INC-9',
      ticketRef: 'INC-9',
      level: 'read',
      durationMinutes: 30,
    });
    expect(within).toMatchObject({ status: 'active', autoRule: { name: 'Primary on-call' } });
    expect(within.decidedBy).toBe('On-call rule "Primary on-call"');
    expect(await actions(within.id)).toEqual([
      'support_access.requested',
      'support_access.auto_approved',
      'support_access.granted',
    ]);
    await ok(approver, 'POST', requestUrl(within.id, 'revoke'), {});
    expect(await roleExists(within.grantUsername ?? '')).toBe(false);
    const changed = await ok<{ enabled: boolean; maxLevel: string }>(
      approver,
      'PUT',
      `/api/v1/support-access/rules/${rule.id}`,
      {
        name: 'Primary on-call',
        userIds: [oncall.id],
        maxLevel: 'write',
        maxDurationMinutes: 60,
        enabled: false,
      },
    );
    expect(changed).toMatchObject({ enabled: false, maxLevel: 'write' });
    const disabled = await openRequest(oncall, {
      customerId: acme.id,
      systemId: pgSystem.id,
      reason: 'Incident INC-10',
      ticketRef: 'INC-10',
      level: 'read',
      durationMinutes: 30,
    });
    expect(disabled.status).toBe('pending');
    await ok(oncall, 'POST', requestUrl(disabled.id, 'cancel'));
    await ok(approver, 'DELETE', `/api/v1/support-access/rules/${rule.id}`);
    expect(await statusAs(t, approver, 'DELETE', `/api/v1/support-access/rules/${rule.id}`)).toBe(
      404,
    );
    expect(await checkStatus('support_access.grants_approved')).toBe('pass');
  });
});

describe('a webhook grant, signed and retried', () => {
  it('delivers the grant: the first attempt fails, the retry is acknowledged', async () => {
    const req = await openRequest(engineer, {
      customerId: globex.id,
      systemId: hookSystem.id,
      reason: 'Check a customer setting',
      ticketRef: 'SUP-200',
      level: 'read',
      durationMinutes: 30,
    });
    queued.length = 0;
    const approved = await ok<RequestView>(approver, 'POST', requestUrl(req.id, 'approve'));
    expect(approved.status).toBe('approved');
    expect(queued).toEqual([
      {
        name: 'support-access.deliver',
        payload: { orgId: orgA, requestId: req.id, event: 'grant' },
      },
    ]);
    failNext = 1;
    const uow = jobUnitOfWork(deps, orgA, 'support-access.webhook');
    expect(await deliverEvent(deps, uow, req.id, 'grant')).toBe('retry');
    expect(await deliverEvent(deps, uow, req.id, 'grant')).toBe('acknowledged');
    expect(received.filter((r) => r.event === 'support_access.grant')).toHaveLength(2);
    expect(received.every((r) => r.valid)).toBe(true);
    expect(received[0]?.body).toMatchObject({
      requestId: req.id,
      customer: { key: 'globex' },
      level: 'read',
      ticketRef: 'SUP-200',
    });
    const active = await ok<RequestView>(engineer, 'GET', requestUrl(req.id));
    expect(active.status).toBe('active');
    expect(active.deliveries.map((d) => [d.attempt, d.acknowledged])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(active.deliveries[1]?.response).not.toContain('tok-123');
    const cred = await ok<Credential>(engineer, 'POST', requestUrl(req.id, 'credential'));
    expect(cred.details).toEqual({ username: 'support-7', token: 'tok-123' });
    // Released: the revoke event goes out and is acknowledged.
    queued.length = 0;
    await ok(engineer, 'POST', requestUrl(req.id, 'release'), {});
    expect(queued).toEqual([
      {
        name: 'support-access.deliver',
        payload: { orgId: orgA, requestId: req.id, event: 'revoke' },
      },
    ]);
    expect(await deliverEvent(deps, uow, req.id, 'revoke')).toBe('acknowledged');
    const ended = await ok<RequestView>(engineer, 'GET', requestUrl(req.id));
    expect(ended.revokedOnSystemAt).not.toBeNull();
    expect(await actions(req.id)).toEqual([
      'support_access.requested',
      'support_access.approved',
      'support_access.webhook_failed',
      'support_access.webhook_delivered',
      'support_access.granted',
      'support_access.credential_revealed',
      'support_access.released',
      'support_access.webhook_delivered',
      'support_access.revoke_applied',
    ]);
  });

  it('marks the grant failed after the last unacknowledged attempt', async () => {
    const req = await openRequest(engineer, {
      customerId: acme.id,
      systemId: hookSystem.id,
      reason: 'Look at logs',
      ticketRef: 'SUP-201',
      level: 'read',
    });
    await ok(approver, 'POST', requestUrl(req.id, 'approve'));
    failNext = 5;
    const uow = jobUnitOfWork(deps, orgA, 'support-access.webhook');
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) outcomes.push(await deliverEvent(deps, uow, req.id, 'grant'));
    expect(outcomes).toEqual(['retry', 'retry', 'retry', 'retry', 'gave_up']);
    const failed = await ok<RequestView>(approver, 'GET', requestUrl(req.id));
    expect(failed.status).toBe('failed');
    expect(failed.grantError).toMatch(/5 attempts/);
    const list = await ok<{ items: { id: string }[] }>(
      approver,
      'GET',
      '/api/v1/support-access/requests?status=failed',
    );
    expect(list.items.map((r) => r.id)).toContain(req.id);
  });
});

describe('webhook delivery through the job queue', () => {
  it('retries an unacknowledged grant with backoff until the system acknowledges it', async () => {
    const runner = await startJobRunner({
      url: t.databaseUrl,
      jobs: t.jobs,
      logger: createLogger('silent'),
      work: true,
    });
    t.jobQueue.bind(runner);
    try {
      const req = await openRequest(engineer, {
        customerId: globex.id,
        systemId: hookSystem.id,
        reason: 'Queue check',
        ticketRef: 'SUP-202',
        level: 'read',
        durationMinutes: 30,
      });
      failNext = 1;
      await ok(approver, 'POST', requestUrl(req.id, 'approve'));
      await expect
        .poll(async () => (await ok<RequestView>(engineer, 'GET', requestUrl(req.id))).status, {
          timeout: 90_000,
          interval: 1000,
        })
        .toBe('active');
      const done = await ok<RequestView>(engineer, 'GET', requestUrl(req.id));
      expect(done.deliveries.map((d) => [d.attempt, d.acknowledged])).toEqual([
        [1, false],
        [2, true],
      ]);
      await ok(approver, 'POST', requestUrl(req.id, 'revoke'), {});
      await expect
        .poll(
          async () =>
            (await ok<RequestView>(engineer, 'GET', requestUrl(req.id))).revokedOnSystemAt,
          { timeout: 30_000, interval: 500 },
        )
        .not.toBeNull();
    } finally {
      t.jobQueue.bind({
        enqueue: (name, payload) => {
          queued.push({ name, payload });
          return Promise.resolve();
        },
      });
      await runner.stop();
    }
  }, 150_000);
});

describe('the customer access report', () => {
  it('lists every access to the customer’s data, as JSON and CSV', async () => {
    const report = await ok<{
      items: { ticketRef: string; status: string; approvedBy: string | null; approval: string }[];
    }>(auditor, 'GET', `/api/v1/customers/${acme.id}/access-report`);
    const byTicket = new Map(report.items.map((r) => [r.ticketRef, r]));
    expect(byTicket.get('SUP-101')).toMatchObject({ status: 'released', approval: 'person' });
    expect(byTicket.get('SUP-101')?.approvedBy).toContain(approver.email);
    expect(byTicket.get('SUP-103')).toMatchObject({ status: 'expired' });
    expect(byTicket.get('SUP-104')).toMatchObject({ status: 'denied', approval: 'none' });
    expect(byTicket.get('INC-9')).toMatchObject({ approval: 'on_call_rule' });
    expect(report.items.some((r) => r.ticketRef === 'SUP-102')).toBe(false);
    const csv = await call(auditor, 'GET', `/api/v1/customers/${acme.id}/access-report.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toContain('requester,requester_email,system,level,ticket');
    expect(csv.body).toContain('SUP-101');
    expect(await statusAs(t, employee, 'GET', `/api/v1/customers/${acme.id}/access-report`)).toBe(
      403,
    );
    expect(
      await statusAs(t, otherOrgAdmin, 'GET', `/api/v1/customers/${acme.id}/access-report`),
    ).toBe(404);
  });

  it('stores the report as evidence on request', async () => {
    expect(
      (await call(auditor, 'POST', `/api/v1/customers/${acme.id}/access-report/evidence`))
        .statusCode,
    ).toBe(403);
    const saved = await ok<{ evidenceId: string; rows: number }>(
      approver,
      'POST',
      `/api/v1/customers/${acme.id}/access-report/evidence`,
    );
    expect(saved.rows).toBeGreaterThanOrEqual(5);
    const evidence = await t.pools.owner
      .selectFrom('evidence')
      .select(['title', 'file_name'])
      .where('id', '=', saved.evidenceId)
      .executeTakeFirstOrThrow();
    expect(evidence.title).toBe('Support access report: Acme Corp');
    expect(evidence.file_name).toMatch(/^support-access-acme-\d{4}-\d{2}-\d{2}\.csv$/);
  });
});
