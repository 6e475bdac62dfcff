import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  goodPassword,
  seedOrg,
  seedUser,
  signInSession,
  type SeededUser,
} from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { linkToken, startMailTestApp, type MailTestApp } from '../../../test/mail-catcher.ts';

let t: TestApp;
let mail: MailTestApp;
let catcher: MailTestApp['catcher'];
let admin: SeededUser;
let alice: SeededUser;
const newPassword = 'violet-harbour-engine-77';

beforeAll(async () => {
  mail = await startMailTestApp();
  ({ app: t, catcher } = mail);
  const orgId = await seedOrg(t, 'Reset Org');
  admin = await seedUser(t, orgId, 'admin');
  alice = await seedUser(t, orgId, 'contributor');
});

afterAll(async () => {
  await mail.close();
});

const requestReset = (email: string) =>
  t.http.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email } });

const confirmReset = (token: string, password: string) =>
  t.http.inject({
    method: 'POST',
    url: '/api/v1/auth/password-reset/confirm',
    payload: { token, password },
  });

async function eventsFor(action: string, targetId: string) {
  return t.pools.owner
    .selectFrom('audit_events')
    .select(['changes', 'actor_type', 'auth_method', 'actor_label'])
    .where('action', '=', action)
    .where('target_id', '=', targetId)
    .orderBy('seq')
    .execute();
}

async function mailJobsTo(email: string) {
  const { rows } = await sql<{ retry_limit: number }>`
    SELECT retry_limit FROM pgboss.job WHERE name = 'mail.send' AND data->>'to' = ${email}`.execute(
    t.pools.owner,
  );
  return rows;
}

describe('password reset by email', () => {
  it('answers 202 with the same body for known and unknown emails, and mails only the known one', async () => {
    const known = await requestReset(alice.email.toUpperCase());
    const unknown = await requestReset('ghost@example.test');
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    expect(known.json()).toEqual({ accepted: true });

    const mail = await catcher.nextMailTo(alice.email);
    expect(mail.subject).toBe('Reset your Steward password');
    expect(mail.from).toContain('steward@example.test');
    expect(mail.text).toContain('https://steward.example.test/reset-password?token=');
    expect(mail.html).toContain('https://steward.example.test/reset-password?token=');
    const token = linkToken(mail, '/reset-password');

    const stored = await t.pools.owner
      .selectFrom('password_resets')
      .select(['token_hash', 'expires_at', 'used_at'])
      .where('user_id', '=', alice.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    const minutesLeft = (stored.expires_at.getTime() - Date.now()) / 60_000;
    expect(minutesLeft).toBeGreaterThan(29);
    expect(minutesLeft).toBeLessThanOrEqual(30);

    expect(await eventsFor('auth.password_reset_requested', alice.id)).toEqual([
      {
        changes: { mailed: true },
        actor_type: 'anonymous',
        auth_method: 'none',
        actor_label: null,
      },
    ]);
    expect(await mailJobsTo('ghost@example.test')).toEqual([]);
    expect(await mailJobsTo(alice.email)).toEqual([{ retry_limit: 5 }]);
    const audit = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('action', '=', 'auth.password_reset_requested')
      .execute();
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('sets the password once, ends every session, and refuses the used link', async () => {
    await requestReset(alice.email);
    const token = linkToken(await catcher.nextMailTo(alice.email), '/reset-password');
    const first = await signInSession(t, alice.email);
    const second = await signInSession(t, alice.email);

    const weak = await confirmReset(token, 'password1234');
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({
      code: 'auth.weak_password',
      errors: [{ path: 'password' }],
    });

    const res = await confirmReset(token, newPassword);
    expect(res.statusCode, res.body).toBe(200);
    for (const session of [first, second]) {
      const me = await t.http.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { cookie: session.cookie },
      });
      expect(me.statusCode).toBe(401);
    }
    await expect(signInSession(t, alice.email, goodPassword)).rejects.toThrow(/401/);
    await signInSession(t, alice.email, newPassword);

    const again = await confirmReset(token, 'another-fine-passphrase-1');
    expect(again.statusCode).toBe(400);
    expect(again.json<{ code: string }>().code).toBe('auth.link_used');

    const [reset] = await eventsFor('auth.password_reset', alice.id);
    expect(reset).toMatchObject({
      changes: { sessionsRevoked: 2 },
      actor_type: 'user',
      auth_method: 'email_link',
      actor_label: alice.email,
    });
    expect(await eventsFor('auth.password_reset_failed', alice.id)).toMatchObject([
      { changes: { reason: 'link_used' } },
    ]);
  });

  it('makes older unused links of the account stop working after a reset', async () => {
    await requestReset(alice.email);
    const older = linkToken(await catcher.nextMailTo(alice.email), '/reset-password');
    await requestReset(alice.email);
    const newer = linkToken(await catcher.nextMailTo(alice.email), '/reset-password');
    expect((await confirmReset(newer, 'quartz-meadow-falcon-31')).statusCode).toBe(200);
    const res = await confirmReset(older, 'quartz-meadow-falcon-32');
    expect(res.json<{ code: string }>().code).toBe('auth.link_used');
  });

  it('refuses an expired link with its own code and audits the refusal', async () => {
    await requestReset(alice.email);
    const token = linkToken(await catcher.nextMailTo(alice.email), '/reset-password');
    await t.pools.owner
      .updateTable('password_resets')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('token_hash', '=', createHash('sha256').update(token).digest())
      .execute();
    const res = await confirmReset(token, 'expired-link-passphrase-9');
    expect(res.statusCode).toBe(400);
    expect(res.json<{ code: string }>().code).toBe('auth.link_expired');
    const failed = await eventsFor('auth.password_reset_failed', alice.id);
    expect(failed.at(-1)?.changes).toEqual({ reason: 'link_expired' });
  });

  it('refuses unknown and malformed tokens', async () => {
    const unknown = await confirmReset('A'.repeat(43), newPassword);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ code: string }>().code).toBe('auth.link_invalid');
    const malformed = await confirmReset('this is not a valid token!', newPassword);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({
      code: 'request.invalid',
      errors: [{ path: 'token' }],
    });
  });

  it('refuses bad input with field paths', async () => {
    const badEmail = await requestReset('not-an-email');
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json()).toMatchObject({ code: 'request.invalid', errors: [{ path: 'email' }] });
    const extra = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { email: alice.email, role: 'owner' },
    });
    expect(extra.statusCode).toBe(400);
    const short = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token: 'A'.repeat(43), password: 'short' },
    });
    expect(short.json()).toMatchObject({ code: 'request.invalid', errors: [{ path: 'password' }] });
  });

  it('mails no link to a disabled account but audits the request', async () => {
    const disabled = await seedUser(t, admin.orgId, 'employee');
    await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${disabled.id}`,
      headers: bearer(admin),
      payload: { status: 'disabled' },
    });
    const res = await requestReset(disabled.email);
    expect(res.statusCode).toBe(202);
    expect(await eventsFor('auth.password_reset_requested', disabled.id)).toMatchObject([
      { changes: { mailed: false, reason: 'account_disabled' } },
    ]);
    expect(await mailJobsTo(disabled.email)).toEqual([]);
  });
});

describe('password reset rate limit', () => {
  let limited: TestApp;

  beforeAll(async () => {
    limited = await createTestApp({ STEWARD_AUTH_RATE_LIMIT_PER_MINUTE: '3' });
  });

  afterAll(async () => {
    await limited.close();
  });

  it('limits reset requests and confirmations per client like sign-in', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await limited.http.inject({
        method: 'POST',
        url: '/api/v1/auth/password-reset',
        payload: { email: `nobody${i}@example.test` },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    const confirm = async () =>
      limited.http.inject({
        method: 'POST',
        url: '/api/v1/auth/password-reset/confirm',
        payload: { token: 'A'.repeat(43), password: newPassword },
      });
    const results = [await confirm(), await confirm(), await confirm(), await confirm()];
    expect(results.map((r) => r.statusCode)).toEqual([400, 400, 400, 429]);
    expect(results[3]?.json<{ code: string }>().code).toBe('request.rate_limited');
  });
});
