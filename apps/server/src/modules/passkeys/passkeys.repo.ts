import { sql, type Selectable } from 'kysely';
import type { Db, Tx } from '../../platform/db/pools.ts';
import type { PasskeysTable } from '../../platform/db/schema.ts';

/** A stored passkey. */
export type PasskeyRow = Selectable<PasskeysTable>;

/** Whose credential this is, from the cross-tenant lookup function. */
export interface PasskeyOwner {
  id: string;
  org_id: string;
  user_id: string;
  user_email: string;
  user_status: string;
}

/** A user's passkeys, oldest first. */
export function listPasskeys(tx: Tx, userId: string): Promise<PasskeyRow[]> {
  return tx
    .selectFrom('passkeys')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

/** One passkey of a user. */
export function findPasskey(tx: Tx, userId: string, id: string): Promise<PasskeyRow | undefined> {
  return tx
    .selectFrom('passkeys')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** Ids of the org's users with at least one passkey. */
export async function listPasskeyUserIds(tx: Tx): Promise<string[]> {
  const rows = await tx.selectFrom('passkeys').select('user_id').distinct().execute();
  return rows.map((r) => r.user_id);
}

/** Store a verified passkey. */
export function insertPasskey(
  tx: Tx,
  row: {
    orgId: string;
    userId: string;
    credentialId: string;
    publicKey: Buffer;
    counter: number;
    transports: string[];
    aaguid: string;
    deviceType: string;
    isBackedUp: boolean;
    name: string;
  },
): Promise<PasskeyRow> {
  return tx
    .insertInto('passkeys')
    .values({
      org_id: row.orgId,
      user_id: row.userId,
      credential_id: row.credentialId,
      public_key: row.publicKey,
      counter: row.counter,
      transports: row.transports,
      aaguid: row.aaguid,
      device_type: row.deviceType,
      is_backed_up: row.isBackedUp,
      name: row.name,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Rename a passkey. */
export function renamePasskey(tx: Tx, id: string, name: string): Promise<PasskeyRow | undefined> {
  return tx
    .updateTable('passkeys')
    .set({ name })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Delete a passkey. */
export async function deletePasskey(tx: Tx, id: string): Promise<void> {
  await tx.deleteFrom('passkeys').where('id', '=', id).execute();
}

/**
 * Record a use: the new counter only if it grew (or both stay 0, for authenticators without a
 * counter), atomically, so two racing assertions cannot both pass with the same counter.
 */
export async function recordUse(
  tx: Tx,
  id: string,
  use: { counter: number; isBackedUp: boolean },
): Promise<boolean> {
  const row = await tx
    .updateTable('passkeys')
    .set({ counter: use.counter, is_backed_up: use.isBackedUp, last_used_at: new Date() })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('counter', '<', String(use.counter)),
        eb.and([eb('counter', '=', '0'), eb.val(use.counter === 0)]),
      ]),
    )
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** When a session began (for the recent sign-in rule). */
export async function sessionCreatedAt(tx: Tx, sessionId: string): Promise<Date | null> {
  const row = await tx
    .selectFrom('sessions')
    .select('created_at')
    .where('id', '=', sessionId)
    .executeTakeFirst();
  return row?.created_at ?? null;
}

/** Let the user's sessions past the MFA enrolment gate once they hold a second factor. */
export async function liftEnrolmentRequirement(tx: Tx, userId: string): Promise<void> {
  await tx
    .updateTable('sessions')
    .set({ mfa_enrolment_required: false })
    .where('user_id', '=', userId)
    .where('mfa_enrolment_required', '=', true)
    .execute();
}

/** Find a credential's owner across organisations (sign-in, before the org is known). */
export async function findPasskeyOwner(
  db: Db | Tx,
  credentialId: string,
): Promise<PasskeyOwner | undefined> {
  const { rows } = await sql<PasskeyOwner>`
    SELECT * FROM auth_find_passkey(${credentialId})`.execute(db);
  return rows[0];
}

/** Store a challenge for its binding, replacing an older one. */
export async function issueChallenge(
  db: Db,
  binding: string,
  challenge: string,
  minutes: number,
): Promise<void> {
  await sql`SELECT auth_passkey_challenge_issue(${binding}, ${challenge}, ${minutes})`.execute(db);
}

/** Take a binding's challenge (it is deleted); null when missing or expired. */
export async function takeChallenge(db: Db, binding: string): Promise<string | null> {
  const { rows } = await sql<{ challenge: string | null }>`
    SELECT auth_passkey_challenge_take(${binding}) AS challenge`.execute(db);
  return rows[0]?.challenge ?? null;
}
