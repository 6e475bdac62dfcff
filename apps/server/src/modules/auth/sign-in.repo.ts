import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/pools.ts';
import type { FirstFactor } from '../../platform/db/schema.ts';

/** A pending sign-in as the MFA step sees it (from the cross-tenant lookup function). */
export interface ChallengeLookup {
  id: string;
  org_id: string;
  user_id: string;
  user_email: string;
  user_status: string;
  expires_at: Date;
  first_factor: FirstFactor;
}

/** Find an unconsumed pending sign-in by the hash of its cookie value. */
export async function findChallenge(
  db: Db,
  tokenHash: Buffer,
): Promise<ChallengeLookup | undefined> {
  const { rows } = await sql<ChallengeLookup>`
    SELECT * FROM auth_find_sign_in_challenge(${tokenHash})`.execute(db);
  return rows[0];
}

/** Record a pending sign-in. */
export async function insertChallenge(
  tx: Tx,
  c: {
    orgId: string;
    userId: string;
    tokenHash: Buffer;
    ip: string | null;
    userAgent: string | null;
    expiresAt: Date;
    firstFactor: FirstFactor;
  },
): Promise<void> {
  await tx
    .insertInto('sign_in_challenges')
    .values({
      org_id: c.orgId,
      user_id: c.userId,
      token_hash: c.tokenHash,
      ip: c.ip,
      user_agent: c.userAgent?.slice(0, 500) ?? null,
      expires_at: c.expiresAt,
      first_factor: c.firstFactor,
    })
    .execute();
}

/** Consume a pending sign-in once; false when another request already did. */
export async function consumeChallenge(tx: Tx, id: string): Promise<boolean> {
  const row = await tx
    .updateTable('sign_in_challenges')
    .set({ consumed_at: new Date() })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
