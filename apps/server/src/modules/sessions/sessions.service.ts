import type { Session } from '@steward/contracts';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Identity } from '../../platform/authz/identity.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import * as repo from './sessions.repo.ts';

function toSession(row: repo.SessionRow, currentSessionId: string | null): Session {
  return {
    id: row.id,
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    ip: row.ip,
    userAgent: row.user_agent,
    authMethod: row.auth_method,
    isCurrent: row.id === currentSessionId,
  };
}

/** The caller's live sessions, the current one flagged. */
export async function listSessions(uow: UnitOfWork, identity: Identity): Promise<Session[]> {
  const rows = await uow.read((tx) => repo.listLiveSessions(tx, identity.userId));
  return rows.map((row) => toSession(row, identity.sessionId));
}

/** Revoke one of the caller's own sessions (the current one too: that signs this browser out). */
export async function revokeOwnSession(
  uow: UnitOfWork,
  identity: Identity,
  id: string,
): Promise<Session> {
  return uow.write(async ({ tx, audit }) => {
    const open = await repo.findOpenSession(tx, identity.userId, id);
    if (!open) throw new AppError('session.not_found');
    const revoked = await repo.revokeSession(tx, id);
    if (!revoked) throw new AppError('session.not_found');
    await audit({
      action: 'session.revoked',
      targetType: 'session',
      targetId: id,
      changes: { userId: identity.userId, isCurrent: id === identity.sessionId },
    });
    return toSession(revoked, identity.sessionId);
  });
}
