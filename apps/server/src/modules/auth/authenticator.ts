import { isAuthMethod, isRoleWithin } from '@steward/contracts';
import type { FastifyRequest } from 'fastify';
import { recordInstallationEvent } from '../../platform/audit/installation-log.ts';
import type { Identity, Authenticator } from '../../platform/authz/identity.ts';
import { hashSecret } from '../../platform/crypto/tokens.ts';
import { changeFeedOf, withOrg, type Db } from '../../platform/db/pools.ts';
import * as repo from './auth.repo.ts';
import { PrincipalCache } from './principal-cache.ts';

/** Name of the session cookie. */
export const sessionCookie = 'steward_session';

/** Prefix of API token secrets. */
export const tokenPrefix = 'stw_';

// Writing last-use times on every request would turn reads into writes; a minute is precise enough.
const touchIntervalMs = 60_000;

function isTokenUsable(token: repo.TokenLookup, now: number): boolean {
  return token.user_status === 'active' && token.expires_at.getTime() > now;
}

function isSessionUsable(session: repo.SessionLookup, now: number): boolean {
  const idleDeadline = session.last_seen_at.getTime() + session.idle_timeout_minutes * 60_000;
  return (
    session.user_status === 'active' && session.expires_at.getTime() > now && idleDeadline > now
  );
}

function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? '';
}

/** Resolve callers from an API token (Authorization: Bearer) or the session cookie. */
export function createAuthenticator(db: Db): Authenticator {
  // Recently looked-up credentials, forgotten as soon as a change to them is announced (see
  // PrincipalCache); without a change feed every request asks the database.
  const feed = changeFeedOf(db);
  const tokens = new PrincipalCache<repo.TokenLookup>(undefined, () => feed?.isListening === true);
  const sessions = new PrincipalCache<repo.SessionLookup>(
    undefined,
    () => feed?.isListening === true,
  );
  feed?.subscribe({
    onChange(orgId) {
      tokens.forget(orgId);
      sessions.forget(orgId);
    },
  });

  async function findToken(hash: Buffer, now: number): Promise<repo.TokenLookup | undefined> {
    const key = hash.toString('base64');
    const kept = tokens.get(key, now);
    // A kept answer that no longer passes is looked up again rather than refused on its word.
    if (kept && isTokenUsable(kept, now)) return kept;
    const ticket = tokens.ticket();
    const token = await repo.findApiToken(db, hash);
    if (token && isTokenUsable(token, now)) tokens.set(key, token.org_id, token, ticket, now);
    return token;
  }

  async function fromToken(secret: string): Promise<Identity | null> {
    if (!secret.startsWith(tokenPrefix)) return null;
    const hash = hashSecret(secret);
    const now = Date.now();
    const token = await findToken(hash, now);
    if (!token || !isTokenUsable(token, now)) return null;
    if (!token.last_used_at || now - token.last_used_at.getTime() > touchIntervalMs) {
      await withOrg(db, token.org_id, (tx) => repo.touchApiToken(tx, token.id));
      tokens.update(hash.toString('base64'), { ...token, last_used_at: new Date(now) });
    }
    return {
      kind: 'token',
      orgId: token.org_id,
      userId: token.user_id,
      // A token never carries more than its creator holds today, even after a demotion.
      role: isRoleWithin(token.role, token.user_role) ? token.role : token.user_role,
      label: `${token.user_email} (token ${token.name})`,
      sessionId: null,
      tokenId: token.id,
      csrfToken: null,
      mfaEnrolmentRequired: false,
      authMethod: 'token',
    };
  }

  async function findSession(hash: Buffer, now: number): Promise<repo.SessionLookup | undefined> {
    const key = hash.toString('base64');
    const kept = sessions.get(key, now);
    if (kept && isSessionUsable(kept, now)) return kept;
    const ticket = sessions.ticket();
    const session = await repo.findSession(db, hash);
    if (session && isSessionUsable(session, now)) {
      sessions.set(key, session.org_id, session, ticket, now);
    }
    return session;
  }

  async function fromSession(value: string): Promise<Identity | null> {
    const hash = hashSecret(value);
    const now = Date.now();
    const session = await findSession(hash, now);
    if (!session || !isSessionUsable(session, now)) return null;
    if (now - session.last_seen_at.getTime() > touchIntervalMs) {
      await withOrg(db, session.org_id, (tx) => repo.touchSession(tx, session.id));
      sessions.update(hash.toString('base64'), { ...session, last_seen_at: new Date(now) });
    }
    return {
      kind: 'session',
      orgId: session.org_id,
      userId: session.user_id,
      role: session.role,
      label: session.user_email,
      sessionId: session.id,
      tokenId: null,
      csrfToken: session.csrf_token,
      mfaEnrolmentRequired: session.mfa_enrolment_required,
      authMethod: isAuthMethod(session.auth_method) ? session.auth_method : 'session',
    };
  }

  return {
    async resolve(request) {
      const bearer = bearerOf(request);
      const cookie = request.cookies[sessionCookie];
      if (bearer === null && !cookie) return null;
      const identity = bearer !== null ? await fromToken(bearer) : await fromSession(cookie ?? '');
      if (!identity) {
        // Unknown, revoked, expired or forged: no organisation can be told, the installation can.
        await recordInstallationEvent(db, {
          kind: 'auth.credential_refused',
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          requestId: request.id,
          detail: { credential: bearer !== null ? 'api_token' : 'session_cookie' },
        });
      }
      return identity;
    },
  };
}
