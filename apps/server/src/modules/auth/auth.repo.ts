import type { Role } from '@steward/contracts';
import { CompiledQuery, sql } from 'kysely';
import { compileOnce, executePrepared, type Db, type Tx } from '../../platform/db/pools.ts';

/** A session as authentication sees it (from the cross-tenant lookup function). */
export interface SessionLookup {
  id: string;
  org_id: string;
  user_id: string;
  csrf_token: string;
  auth_method: string;
  role: Role;
  user_email: string;
  user_status: string;
  last_seen_at: Date;
  idle_timeout_minutes: number;
  expires_at: Date;
  mfa_enrolment_required: boolean;
}

/** An API token as authentication sees it. */
export interface TokenLookup {
  id: string;
  org_id: string;
  user_id: string;
  name: string;
  role: Role;
  user_role: Role;
  user_email: string;
  user_status: string;
  expires_at: Date;
  last_used_at: Date | null;
}

/** Whether any organisation exists. */
export async function isSetUp(db: Db | Tx): Promise<boolean> {
  const { rows } = await sql<{ is_set_up: boolean }>`SELECT auth_is_set_up() AS is_set_up`.execute(
    db,
  );
  return rows[0]?.is_set_up === true;
}

/** Serialise first-run setup so two concurrent requests cannot both create an org. */
export async function lockSetup(tx: Tx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('steward.setup'))`.execute(tx);
}

/** Find the account for a sign-in email across orgs. */
export async function findUserByEmail(
  db: Db,
  email: string,
): Promise<
  { id: string; org_id: string; password_hash: string | null; status: string } | undefined
> {
  const { rows } = await sql<{
    id: string;
    org_id: string;
    password_hash: string | null;
    status: string;
  }>`
    SELECT * FROM auth_find_user_by_email(${email})`.execute(db);
  return rows[0];
}

/** Find a live session by the hash of its cookie value. */
export async function findSession(db: Db, tokenHash: Buffer): Promise<SessionLookup | undefined> {
  const query = CompiledQuery.raw('SELECT * FROM auth_find_session($1)', [tokenHash]);
  const { rows } = await executePrepared(db, query as CompiledQuery<SessionLookup>);
  return rows[0];
}

/** Find a live API token by the hash of its secret. */
export async function findApiToken(db: Db, tokenHash: Buffer): Promise<TokenLookup | undefined> {
  const query = CompiledQuery.raw('SELECT * FROM auth_find_api_token($1)', [tokenHash]);
  const { rows } = await executePrepared(db, query as CompiledQuery<TokenLookup>);
  return rows[0];
}

/** Create the org and the head of its audit chain. */
export async function insertOrg(
  tx: Tx,
  org: { id: string; name: string },
  genesis: string,
): Promise<void> {
  await tx.insertInto('orgs').values({ id: org.id, name: org.name }).execute();
  await tx
    .insertInto('audit_heads')
    .values({ org_id: org.id, seq: 0, last_hash: genesis })
    .execute();
}

/** Insert a session. */
export async function insertSession(
  tx: Tx,
  s: {
    orgId: string;
    userId: string;
    tokenHash: Buffer;
    csrfToken: string;
    authMethod: string;
    ip: string | null;
    userAgent: string | null;
    idleTimeoutMinutes: number;
    expiresAt: Date;
    mfaEnrolmentRequired?: boolean;
    idp?: { amr: string[]; acr: string | null } | undefined;
  },
): Promise<{ id: string }> {
  return tx
    .insertInto('sessions')
    .values({
      org_id: s.orgId,
      user_id: s.userId,
      token_hash: s.tokenHash,
      csrf_token: s.csrfToken,
      auth_method: s.authMethod,
      ip: s.ip,
      user_agent: s.userAgent?.slice(0, 500) ?? null,
      idle_timeout_minutes: s.idleTimeoutMinutes,
      expires_at: s.expiresAt,
      mfa_enrolment_required: s.mfaEnrolmentRequired ?? false,
      ...(s.idp ? { idp_amr: s.idp.amr, idp_acr: s.idp.acr } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Mark a session revoked. */
export async function revokeSession(tx: Tx, id: string): Promise<void> {
  await tx.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', id).execute();
}

/** Record that a session was used now. */
export async function touchSession(tx: Tx, id: string): Promise<void> {
  await tx.updateTable('sessions').set({ last_seen_at: new Date() }).where('id', '=', id).execute();
}

/** Record that a token was used now. */
export async function touchApiToken(tx: Tx, id: string): Promise<void> {
  await tx
    .updateTable('api_tokens')
    .set({ last_used_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The query reading a user of the org with the org's name and creation time. */
export const userWithOrgQuery = compileOnce((db, userId: string) =>
  // Columns are named rather than `users.*`, so a column added later does not change the
  // result of the prepared statement under a running process.
  db
    .selectFrom('users')
    .innerJoin('orgs', 'orgs.id', 'users.org_id')
    .select([
      'users.id',
      'users.org_id',
      'users.email',
      'users.name',
      'users.role',
      'users.status',
      'users.password_hash',
      'users.created_at',
      'users.updated_at',
      'users.last_sign_in_at',
      'orgs.name as org_name',
      'orgs.created_at as org_created_at',
    ])
    .where('users.id', '=', userId),
);

/** A user of the org with the org's name and creation time, in one query. */
export async function findUserWithOrg(tx: Tx, userId: string) {
  const { rows } = await executePrepared(tx, userWithOrgQuery(userId));
  return rows[0];
}
