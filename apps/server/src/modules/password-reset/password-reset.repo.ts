import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/pools.ts';

/** A reset as the cross-tenant token lookup returns it. */
export interface ResetLookup {
  id: string;
  org_id: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
}

/** Find a reset by the hash of its token, across orgs (the holder's org is not known yet). */
export async function findResetByTokenHash(
  db: Db,
  tokenHash: Buffer,
): Promise<ResetLookup | undefined> {
  const { rows } = await sql<ResetLookup>`
    SELECT * FROM auth_find_password_reset(${tokenHash})`.execute(db);
  return rows[0];
}

/** Store a new reset token hash. */
export async function insertReset(
  tx: Tx,
  values: { orgId: string; userId: string; tokenHash: Buffer; expiresAt: Date },
): Promise<void> {
  await tx
    .insertInto('password_resets')
    .values({
      org_id: values.orgId,
      user_id: values.userId,
      token_hash: values.tokenHash,
      expires_at: values.expiresAt,
    })
    .execute();
}

/** Lock a reset so two concurrent confirmations cannot both use it. */
export async function lockReset(
  tx: Tx,
  id: string,
): Promise<{ used_at: Date | null; expires_at: Date } | undefined> {
  return tx
    .selectFrom('password_resets')
    .select(['used_at', 'expires_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Mark every unused reset of a user used, so older links stop working too. */
export async function useAllResets(tx: Tx, userId: string): Promise<void> {
  await tx
    .updateTable('password_resets')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

/** The org's name (for the email and the password policy). */
export async function findOrgName(tx: Tx): Promise<string> {
  const org = await tx.selectFrom('orgs').select('name').executeTakeFirst();
  return org?.name ?? '';
}
