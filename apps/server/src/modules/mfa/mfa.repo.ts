import type { Selectable } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type { MfaTotpTable } from '../../platform/db/schema.ts';

/** A user's TOTP row (pending or confirmed). */
export async function findTotp(
  tx: Tx,
  userId: string,
): Promise<Selectable<MfaTotpTable> | undefined> {
  return tx.selectFrom('mfa_totp').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Ids of the org's users with confirmed TOTP. */
export async function listTotpUserIds(tx: Tx): Promise<string[]> {
  const rows = await tx
    .selectFrom('mfa_totp')
    .select('user_id')
    .where('confirmed_at', 'is not', null)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Store a new, unconfirmed secret (replacing an unconfirmed one). */
export async function savePendingTotp(
  tx: Tx,
  row: { orgId: string; userId: string; sealedSecret: string },
): Promise<void> {
  await tx
    .insertInto('mfa_totp')
    .values({ org_id: row.orgId, user_id: row.userId, sealed_secret: row.sealedSecret })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        sealed_secret: row.sealedSecret,
        confirmed_at: null,
        last_used_step: null,
      }),
    )
    .execute();
}

/**
 * Claim a time step for a user's code: succeeds only if the step is later than the last one used,
 * atomically, so a code works once even when two requests race.
 */
export async function claimStep(tx: Tx, userId: string, step: number): Promise<boolean> {
  const row = await tx
    .updateTable('mfa_totp')
    .set({ last_used_step: step })
    .where('user_id', '=', userId)
    .where((eb) =>
      eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', String(step))]),
    )
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Mark enrolment done. */
export async function confirmTotp(tx: Tx, userId: string): Promise<void> {
  await tx
    .updateTable('mfa_totp')
    .set({ confirmed_at: new Date() })
    .where('user_id', '=', userId)
    .execute();
}

/** Remove TOTP and every recovery code. */
export async function deleteTotp(tx: Tx, userId: string): Promise<void> {
  await tx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
  await tx.deleteFrom('mfa_totp').where('user_id', '=', userId).execute();
}

/** Replace a user's recovery codes with new hashes. */
export async function replaceRecoveryCodes(
  tx: Tx,
  user: { orgId: string; userId: string },
  hashes: Buffer[],
): Promise<void> {
  await tx.deleteFrom('mfa_recovery_codes').where('user_id', '=', user.userId).execute();
  await tx
    .insertInto('mfa_recovery_codes')
    .values(hashes.map((h) => ({ org_id: user.orgId, user_id: user.userId, code_hash: h })))
    .execute();
}

/** Use a recovery code once: true when an unused code with this hash existed. */
export async function useRecoveryCode(tx: Tx, userId: string, hash: Buffer): Promise<boolean> {
  const row = await tx
    .updateTable('mfa_recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** How many unused recovery codes a user has. */
export async function countRecoveryCodes(tx: Tx, userId: string): Promise<number> {
  const row = await tx
    .selectFrom('mfa_recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Let the user's sessions reach everything once they have enrolled. */
export async function liftEnrolmentRequirement(tx: Tx, userId: string): Promise<void> {
  await tx
    .updateTable('sessions')
    .set({ mfa_enrolment_required: false })
    .where('user_id', '=', userId)
    .where('mfa_enrolment_required', '=', true)
    .execute();
}
