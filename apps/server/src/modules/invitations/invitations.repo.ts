import type { Invitation, Role } from '@steward/contracts';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/pools.ts';
import type { UsersTable } from '../../platform/db/schema.ts';

/** An invitation as the cross-tenant token lookup returns it. */
export interface InvitationLookup {
  id: string;
  org_id: string;
  user_id: string;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

/** Find an invitation by the hash of its token, across orgs. */
export async function findInvitationByTokenHash(
  db: Db,
  tokenHash: Buffer,
): Promise<InvitationLookup | undefined> {
  const { rows } = await sql<InvitationLookup>`
    SELECT * FROM auth_find_invitation(${tokenHash})`.execute(db);
  return rows[0];
}

/** A user of the org by email. */
export async function findUserByEmail(
  tx: Tx,
  email: string,
): Promise<Selectable<UsersTable> | undefined> {
  return tx.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

/** Close the open invitation of a user (inviting again replaces it); returns its id. */
export async function revokeOpenInvitation(tx: Tx, userId: string): Promise<string | null> {
  const row = await tx
    .updateTable('invitations')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Store a new invitation token hash. */
export async function insertInvitation(
  tx: Tx,
  values: {
    orgId: string;
    userId: string;
    tokenHash: Buffer;
    invitedBy: string | null;
    expiresAt: Date;
  },
): Promise<{ id: string; created_at: Date }> {
  return tx
    .insertInto('invitations')
    .values({
      org_id: values.orgId,
      user_id: values.userId,
      token_hash: values.tokenHash,
      invited_by: values.invitedBy,
      expires_at: values.expiresAt,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

const openInvitationColumns = [
  'i.id',
  'i.user_id',
  'i.invited_by',
  'i.created_at',
  'i.expires_at',
  'u.email',
  'u.name',
  'u.role',
] as const;

function openInvitations(tx: Tx) {
  return tx
    .selectFrom('invitations as i')
    .innerJoin('users as u', 'u.id', 'i.user_id')
    .select(openInvitationColumns)
    .where('i.accepted_at', 'is', null)
    .where('i.revoked_at', 'is', null);
}

type OpenInvitationRow = Awaited<ReturnType<ReturnType<typeof openInvitations>['execute']>>[number];

/** Map a row to the API shape. */
export function toInvitation(row: OpenInvitationRow): Invitation {
  return {
    id: row.id,
    userId: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    invitedBy: row.invited_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  };
}

/** The org's open invitations, newest first. */
export async function listOpenInvitations(tx: Tx): Promise<OpenInvitationRow[]> {
  return openInvitations(tx).orderBy('i.created_at', 'desc').execute();
}

/** One open invitation, locked for the rest of the transaction. */
export async function findOpenInvitation(
  tx: Tx,
  id: string,
): Promise<OpenInvitationRow | undefined> {
  return openInvitations(tx).where('i.id', '=', id).forUpdate('i').executeTakeFirst();
}

/** Lock an invitation by id so two acceptances cannot both use it. */
export async function lockInvitation(
  tx: Tx,
  id: string,
): Promise<{ accepted_at: Date | null; revoked_at: Date | null } | undefined> {
  return tx
    .selectFrom('invitations')
    .select(['accepted_at', 'revoked_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Mark an invitation accepted or revoked. */
export async function closeInvitation(
  tx: Tx,
  id: string,
  how: 'accepted' | 'revoked',
): Promise<void> {
  await tx
    .updateTable('invitations')
    .set(how === 'accepted' ? { accepted_at: new Date() } : { revoked_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The org's name, for the email and the password policy. */
export async function findOrgName(tx: Tx): Promise<string> {
  const org = await tx.selectFrom('orgs').select('name').executeTakeFirst();
  return org?.name ?? '';
}
