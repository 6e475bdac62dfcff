import { createPublicKey } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../src/platform/audit/verify.ts';
import { seedOrg } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await seedOrg(t);
});

afterAll(async () => {
  await t.close();
});

interface Row {
  seq: string;
  kind: string;
  ip: string | null;
  detail: Record<string, unknown>;
}

async function events(): Promise<Row[]> {
  const { rows } =
    await sql<Row>`SELECT seq, kind, ip, detail FROM installation_events ORDER BY seq`.execute(
      t.pools.owner,
    );
  return rows;
}

async function asOwnerWithoutTrigger(statement: ReturnType<typeof sql>): Promise<void> {
  await sql`ALTER TABLE installation_events DISABLE TRIGGER installation_events_append_only`.execute(
    t.pools.owner,
  );
  try {
    await statement.execute(t.pools.owner);
  } finally {
    await sql`ALTER TABLE installation_events ENABLE TRIGGER installation_events_append_only`.execute(
      t.pools.owner,
    );
  }
}

describe('security events that belong to no organisation', () => {
  it('records forged session cookies, unknown tokens and unknown emails, without the email', async () => {
    const forged = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: 'steward_session=forged' },
    });
    expect(forged.statusCode).toBe(401);
    const token = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: 'Bearer stw_unknown' },
    });
    expect(token.statusCode).toBe(401);
    const signIn = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'nobody@nowhere.test', password: 'not-a-real-password' },
    });
    expect(signIn.statusCode).toBe(401);
    const anonymous = await t.http.inject({ method: 'GET', url: '/api/v1/me' });
    expect(anonymous.statusCode).toBe(401);

    const rows = await events();
    expect(rows.map((r) => [r.kind, r.detail])).toEqual([
      ['auth.credential_refused', { credential: 'session_cookie' }],
      ['auth.credential_refused', { credential: 'api_token' }],
      ['auth.sign_in_failed', { method: 'password', reason: 'unknown_account' }],
    ]);
    expect(rows.every((r) => r.ip === '127.0.0.1')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('nobody@nowhere.test');
  });

  it('is append-only for the app role', async () => {
    await expect(
      sql`SELECT count(*) FROM installation_events`.execute(t.pools.app),
    ).rejects.toThrow(/permission denied/);
    await expect(
      sql`UPDATE installation_events SET kind = 'x'`.execute(t.pools.owner),
    ).rejects.toThrow(/append-only/);
  });

  it('is verified with the audit log, and a changed or removed event is named', async () => {
    const key = createPublicKey(t.signer.publicKeyPem);
    expect(await verifyAuditLog(t.pools.owner, key)).toMatchObject({
      ok: true,
      installationEvents: 3,
    });

    await asOwnerWithoutTrigger(sql`UPDATE installation_events SET ip = '10.9.9.9' WHERE seq = 2`);
    expect(await verifyAuditLog(t.pools.owner, key)).toMatchObject({
      ok: false,
      break: {
        orgId: 'installation',
        seq: 2,
        reason: expect.stringContaining('does not match its hash') as string,
      },
    });

    await asOwnerWithoutTrigger(sql`DELETE FROM installation_events WHERE seq = 2`);
    expect(await verifyAuditLog(t.pools.owner, key)).toMatchObject({
      ok: false,
      break: {
        orgId: 'installation',
        seq: 2,
        reason: expect.stringContaining('missing') as string,
      },
    });
  });
});

describe('a forged pending sign-in', () => {
  it('is refused and recorded in the installation log', async () => {
    const before = (await events()).length;
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa',
      headers: { cookie: 'steward_mfa_pending=forged-value' },
      payload: { code: '123456' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json<{ code: string }>().code).toBe('auth.mfa_challenge_invalid');
    expect(res.headers['set-cookie']).toBeUndefined();
    const added = (await events()).slice(before);
    expect(added.map((r) => [r.kind, r.detail])).toEqual([
      ['auth.sign_in_failed', { method: 'totp', reason: 'pending_sign_in_invalid' }],
    ]);
  });
});
