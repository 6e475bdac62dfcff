import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import type { TestApp } from '../../../test/harness.ts';
import { linkToken, startMailTestApp, type MailTestApp } from '../../../test/mail-catcher.ts';

let t: TestApp;
let mail: MailTestApp;
let catcher: MailTestApp['catcher'];
let owner: SeededUser;
let admin: SeededUser;
let contributor: SeededUser;
const password = 'saffron-glacier-window-58';

beforeAll(async () => {
  mail = await startMailTestApp();
  ({ app: t, catcher } = mail);
  const orgId = await seedOrg(t, 'Invite Org');
  owner = await seedUser(t, orgId, 'owner');
  admin = await seedUser(t, orgId, 'admin');
  contributor = await seedUser(t, orgId, 'contributor');
});

afterAll(async () => {
  await mail.close();
});

const invite = (by: SeededUser, payload: Record<string, unknown>) =>
  t.http.inject({ method: 'POST', url: '/api/v1/invitations', headers: bearer(by), payload });

const accept = (payload: Record<string, unknown>) =>
  t.http.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload });

const listInvitations = async () =>
  (
    await t.http.inject({ method: 'GET', url: '/api/v1/invitations', headers: bearer(admin) })
  ).json<{ items: { id: string; email: string }[] }>().items;

async function actionsFor(targetId: string): Promise<string[]> {
  const rows = await t.pools.owner
    .selectFrom('audit_events')
    .select('action')
    .where('target_id', '=', targetId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

describe('invitations', () => {
  it('invites, mails a link, and the invitee accepts once and is signed in', async () => {
    const res = await invite(admin, {
      email: 'Nina@Example.test',
      name: 'Nina New',
      role: 'contributor',
    });
    expect(res.statusCode, res.body).toBe(201);
    const invitation = res.json<{ id: string; userId: string; invitedBy: string }>();
    expect(invitation).toMatchObject({ email: 'nina@example.test', role: 'contributor' });
    expect(invitation.invitedBy).toContain(admin.email);
    expect((await listInvitations()).map((i) => i.email)).toContain('nina@example.test');

    const user = await t.http.inject({
      method: 'GET',
      url: `/api/v1/users/${invitation.userId}`,
      headers: bearer(admin),
    });
    expect(user.json<{ status: string }>().status).toBe('invited');
    const signIn = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'nina@example.test', password },
    });
    expect(signIn.statusCode).toBe(401);

    const mail = await catcher.nextMailTo('nina@example.test');
    expect(mail.subject).toBe('You are invited to Invite Org on Steward');
    expect(mail.text).toContain('https://steward.example.test/accept-invite?token=');
    const token = linkToken(mail, '/accept-invite');
    const stored = await t.pools.owner
      .selectFrom('invitations')
      .select(['token_hash', 'expires_at'])
      .where('id', '=', invitation.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    const minutes = (stored.expires_at.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(29);
    expect(minutes).toBeLessThanOrEqual(30);

    const weak = await accept({ token, password: 'password1234' });
    expect(weak.json()).toMatchObject({
      code: 'auth.weak_password',
      errors: [{ path: 'password' }],
    });

    const accepted = await accept({ token, password, name: 'Nina Newton' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      user: { email: 'nina@example.test', name: 'Nina Newton', status: 'active' },
    });
    const cookie = String(accepted.headers['set-cookie']).split(';')[0] ?? '';
    expect(cookie).toMatch(/^steward_session=/);
    const me = await t.http.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);

    const again = await accept({ token, password });
    expect(again.statusCode).toBe(400);
    expect(again.json<{ code: string }>().code).toBe('auth.link_used');
    expect((await listInvitations()).map((i) => i.email)).not.toContain('nina@example.test');
    expect(await actionsFor(invitation.userId)).toEqual([
      'user.invited',
      'auth.sign_in_failed',
      'user.invitation_accepted',
      'auth.signed_in',
      'user.invitation_failed',
    ]);
  });

  it('replaces the link when inviting again, so only the newest works', async () => {
    await invite(admin, { email: 'omar@example.test', name: 'Omar', role: 'auditor' });
    const first = linkToken(await catcher.nextMailTo('omar@example.test'), '/accept-invite');
    const again = await invite(admin, {
      email: 'omar@example.test',
      name: 'Omar Old',
      role: 'employee',
    });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ name: 'Omar Old', role: 'employee' });
    const second = linkToken(await catcher.nextMailTo('omar@example.test'), '/accept-invite');
    expect((await listInvitations()).filter((i) => i.email === 'omar@example.test')).toHaveLength(
      1,
    );
    const stale = await accept({ token: first, password });
    expect(stale.json<{ code: string }>().code).toBe('auth.link_invalid');
    expect((await accept({ token: second, password })).statusCode).toBe(200);
  });

  it('refuses an expired invitation with its own code', async () => {
    const res = await invite(admin, { email: 'pia@example.test', name: 'Pia', role: 'employee' });
    const token = linkToken(await catcher.nextMailTo('pia@example.test'), '/accept-invite');
    await t.pools.owner
      .updateTable('invitations')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', res.json<{ id: string }>().id)
      .execute();
    const expired = await accept({ token, password });
    expect(expired.statusCode).toBe(400);
    expect(expired.json<{ code: string }>().code).toBe('auth.link_expired');
  });

  it('revokes a pending invitation: the link stops working and the account is disabled', async () => {
    const res = await invite(admin, {
      email: 'quinn@example.test',
      name: 'Quinn',
      role: 'employee',
    });
    const { id, userId } = res.json<{ id: string; userId: string }>();
    const token = linkToken(await catcher.nextMailTo('quinn@example.test'), '/accept-invite');
    const forbidden = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/invitations/${id}`,
      headers: bearer(contributor),
    });
    expect(forbidden.statusCode).toBe(403);
    const revoked = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/invitations/${id}`,
      headers: bearer(admin),
    });
    expect(revoked.statusCode).toBe(200);
    const twice = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/invitations/${id}`,
      headers: bearer(admin),
    });
    expect(twice.statusCode).toBe(404);
    expect(twice.json<{ code: string }>().code).toBe('invitation.not_found');
    expect((await accept({ token, password })).json<{ code: string }>().code).toBe(
      'auth.link_invalid',
    );
    const user = await t.pools.owner
      .selectFrom('users')
      .select('status')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    expect(user.status).toBe('disabled');
    expect(await actionsFor(userId)).toEqual([
      'user.invited',
      'user.invitation_revoked',
      'user.invitation_failed',
    ]);
  });

  it('keeps grants within the inviter and emails unique', async () => {
    const tooHigh = await invite(admin, { email: 'r@example.test', name: 'R', role: 'owner' });
    expect(tooHigh.statusCode).toBe(403);
    expect(tooHigh.json<{ code: string }>().code).toBe('user.role_too_high');
    const taken = await invite(owner, { email: admin.email, name: 'Dup', role: 'employee' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'user.email_taken', errors: [{ path: 'email' }] });
  });

  it('refuses the status of a pending invitee to be changed directly', async () => {
    const res = await invite(admin, { email: 'sam@example.test', name: 'Sam', role: 'employee' });
    const patch = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${res.json<{ userId: string }>().userId}`,
      headers: bearer(admin),
      payload: { status: 'active' },
    });
    expect(patch.statusCode).toBe(409);
    expect(patch.json<{ code: string }>().code).toBe('user.invitation_pending');
  });

  it('forbids people without users.manage and refuses bad input with field paths', async () => {
    const forbidden = await invite(contributor, {
      email: 'x@example.test',
      name: 'X',
      role: 'employee',
    });
    expect(forbidden.statusCode).toBe(403);
    const list = await t.http.inject({
      method: 'GET',
      url: '/api/v1/invitations',
      headers: bearer(contributor),
    });
    expect(list.statusCode).toBe(403);
    const bad = await invite(admin, { email: 'nope', name: '', role: 'emperor' });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'name', 'role']));
    const unknownToken = await accept({ token: 'B'.repeat(43), password });
    expect(unknownToken.json<{ code: string }>().code).toBe('auth.link_invalid');
    const missing = await accept({ password });
    expect(missing.json()).toMatchObject({ code: 'request.invalid', errors: [{ path: 'token' }] });
  });
});
