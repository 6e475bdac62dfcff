import type { Tx } from '../../platform/db/pools.ts';

/** The org's name (for the password policy). */
export async function findOrgName(tx: Tx): Promise<string> {
  const org = await tx.selectFrom('orgs').select('name').executeTakeFirst();
  return org?.name ?? '';
}

/**
 * A user's password hash, the row locked for the rest of the transaction so two changes cannot
 * both pass against the same old password. Undefined when the user does not exist.
 */
export async function lockPasswordHash(
  tx: Tx,
  userId: string,
): Promise<{ password_hash: string | null } | undefined> {
  return tx
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}
