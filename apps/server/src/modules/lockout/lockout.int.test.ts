import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodPassword, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { accountFailureLimit, ipFailureLimit } from './lockout.service.ts';

let t: TestApp;
let logText = '';
let orgId: string;
let users: SeededUser[];
const attackerIp = '203.0.113.7';
const unknownEmail = 'nobody-at-all@example.test';
const wrongPassword = 'not-the-right-password-1';

beforeAll(async () => {
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString();
      done();
    },
  });
  t = await createTestApp({ LOG_LEVEL: 'warn' }, { logDestination });
  orgId = await seedOrg(t);
  users = await Promise.all([1, 2, 3, 4].map(() => seedUser(t, orgId, 'employee')));
});

afterAll(async () => {
  await t.close();
});

function signIn(email: string, password: string, ip = attackerIp) {
  return t.http.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    payload: { email, password },
    remoteAddress: ip,
  });
}

async function failuresAudited(): Promise<{ targetId: string | null; changes: unknown }[]> {
  const rows = await t.pools.owner
    .selectFrom('audit_events')
    .select(['target_id', 'changes', 'ip'])
    .where('org_id', '=', orgId)
    .where('action', '=', 'auth.sign_in_failed')
    .orderBy('seq')
    .execute();
  for (const row of rows) expect(row.ip).toBe(attackerIp);
  return rows.map((r) => ({ targetId: r.target_id, changes: r.changes }));
}

describe('per-IP lockout', () => {
  it('locks an IP out after many failures across accounts, with Retry-After, audited and logged', async () => {
    // Spread over accounts so no single account reaches its own limit: only the IP locks.
    const perAccount = accountFailureLimit - 1;
    const known = users.length * perAccount;
    expect(known).toBeLessThan(ipFailureLimit);
    for (const user of users) {
      for (let i = 0; i < perAccount; i += 1) {
        const res = await signIn(user.email, wrongPassword);
        expect(res.statusCode).toBe(401);
        expect(res.json<{ code: string }>().code).toBe('auth.invalid_credentials');
      }
    }
    for (let i = known; i < ipFailureLimit; i += 1) {
      const res = await signIn(unknownEmail, wrongPassword);
      expect(res.statusCode).toBe(401);
    }

    const [firstUser] = users;
    if (!firstUser) throw new Error('no seeded user');
    const refused = await signIn(firstUser.email, goodPassword);
    expect(refused.statusCode, refused.body).toBe(429);
    expect(refused.json<{ code: string }>().code).toBe('request.rate_limited');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['set-cookie']).toBeUndefined();

    // Each failure on a known account is audited in its org; the refusal while locked is not a
    // password check, so it adds no event and no account failure.
    const audited = await failuresAudited();
    expect(audited).toHaveLength(known);
    for (const user of users) {
      const own = audited.filter((e) => e.targetId === user.id);
      expect(own).toHaveLength(perAccount);
      for (const event of own) {
        expect(event.changes).toEqual({ method: 'password', reason: 'wrong_password' });
      }
    }
    const accountLocks = await t.pools.owner
      .selectFrom('user_lockouts')
      .select(['user_id', 'failures', 'locked_until'])
      .where('org_id', '=', orgId)
      .execute();
    expect(accountLocks).toHaveLength(users.length);
    for (const row of accountLocks) {
      expect(row.failures).toBe(perAccount);
      expect(row.locked_until).toBeNull();
    }

    // Unknown accounts have no org to audit in: they are logged with the IP, never the email
    // or the password.
    const warnings = logText
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg?: string; ip?: string });
    const unknownLines = warnings.filter((w) => w.msg === 'sign-in attempt for an unknown account');
    expect(unknownLines).toHaveLength(ipFailureLimit - known);
    for (const line of unknownLines) expect(line.ip).toBe(attackerIp);
    expect(logText).not.toContain(unknownEmail);
    expect(logText).not.toContain(wrongPassword);
    expect(logText).not.toContain(goodPassword);
  });

  it('leaves other addresses alone', async () => {
    const [firstUser] = users;
    if (!firstUser) throw new Error('no seeded user');
    const res = await signIn(firstUser.email, goodPassword, '198.51.100.20');
    expect(res.statusCode, res.body).toBe(200);
    const stillLocked = await signIn(firstUser.email, goodPassword);
    expect(stillLocked.statusCode).toBe(429);
  });
});
