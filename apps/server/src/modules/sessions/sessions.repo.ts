import type { Selectable } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type { SessionsTable } from '../../platform/db/schema.ts';
import { sql } from 'kysely';

/** A session row. */
export type SessionRow = Selectable<SessionsTable>;

/** A user's sessions that still work: not revoked, not past their lifetime or idle timeout. */
export async function listLiveSessions(tx: Tx, userId: string): Promise<SessionRow[]> {
  return tx
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .where(sql<boolean>`last_seen_at + make_interval(mins => idle_timeout_minutes) > now()`)
    .orderBy('created_at', 'desc')
    .execute();
}

/** One unrevoked session of a user, locked for the rest of the transaction. */
export async function findOpenSession(
  tx: Tx,
  userId: string,
  id: string,
): Promise<SessionRow | undefined> {
  return tx
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** Revoke one session; returns the revoked row. */
export async function revokeSession(tx: Tx, id: string): Promise<SessionRow | undefined> {
  return tx
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Revoke every unrevoked session of a user, optionally sparing one; returns how many. */
export async function revokeUserSessions(
  tx: Tx,
  userId: string,
  exceptId: string | null,
): Promise<number> {
  let query = tx
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptId) query = query.where('id', '!=', exceptId);
  const rows = await query.returning('id').execute();
  return rows.length;
}
