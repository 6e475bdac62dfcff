import { sql, type Selectable } from 'kysely';
import type { Db, Tx } from '../../platform/db/pools.ts';
import type { UserLockoutsTable } from '../../platform/db/schema.ts';

/** A user's failure counter and lock, if any failure was ever recorded. */
export async function findLockout(
  tx: Tx,
  userId: string,
): Promise<Selectable<UserLockoutsTable> | undefined> {
  return tx
    .selectFrom('user_lockouts')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Every failure counter of the org. */
export async function listLockouts(tx: Tx): Promise<Selectable<UserLockoutsTable>[]> {
  return tx.selectFrom('user_lockouts').selectAll().execute();
}

/**
 * Count one failure atomically (several processes may race). Failures older than an hour no
 * longer count, and the lock ladder starts over after a quiet day.
 */
export async function addFailure(
  tx: Tx,
  user: { orgId: string; userId: string },
): Promise<Selectable<UserLockoutsTable>> {
  return tx
    .insertInto('user_lockouts')
    .values({ user_id: user.userId, org_id: user.orgId, failures: 1, last_failure_at: new Date() })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        failures: sql<number>`CASE WHEN user_lockouts.last_failure_at < now() - interval '1 hour'
          THEN 1 ELSE user_lockouts.failures + 1 END`,
        lock_level: sql<number>`CASE WHEN user_lockouts.last_failure_at < now() - interval '1 day'
          THEN 0 ELSE user_lockouts.lock_level END`,
        last_failure_at: new Date(),
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Lock an account for some minutes, moving one step up the ladder and resetting the counter. */
export async function lock(
  tx: Tx,
  userId: string,
  minutes: number,
): Promise<Selectable<UserLockoutsTable>> {
  return tx
    .updateTable('user_lockouts')
    .set({
      failures: 0,
      lock_level: sql<number>`lock_level + 1`,
      locked_until: sql<Date>`now() + make_interval(mins => ${minutes})`,
    })
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Forget failures and any lock (successful sign-in, or an admin's unlock). */
export async function clear(tx: Tx, userId: string): Promise<number> {
  const result = await tx
    .deleteFrom('user_lockouts')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Until when an IP is locked out of sign-in, or null. */
export async function ipLockedUntil(db: Db, ip: string): Promise<Date | null> {
  const { rows } = await sql<{
    until: Date | null;
  }>`SELECT auth_ip_locked_until(${ip}) AS until`.execute(db);
  return rows[0]?.until ?? null;
}

/** Count one failure from an IP; returns the lock's end when this failure locked it. */
export async function addIpFailure(
  db: Db,
  ip: string,
  threshold: number,
  lockMinutes: readonly number[],
): Promise<Date | null> {
  const { rows } = await sql<{ until: Date | null }>`
    SELECT auth_record_ip_failure(${ip}, ${threshold}, ${sql.val([...lockMinutes])}::integer[]) AS until`.execute(
    db,
  );
  return rows[0]?.until ?? null;
}
