import type { ScimToken } from '@steward/contracts';
import { sql, type Selectable } from 'kysely';
import { executePrepared, type Db, type Tx } from '../../platform/db/pools.ts';
import type { ScimTokensTable } from '../../platform/db/schema.ts';

/** A row of `scim_tokens`. */
export type ScimTokenRow = Selectable<ScimTokensTable>;

/** Map a row to the API shape (never the hash). */
export function toScimToken(row: ScimTokenRow): ScimToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/** The org's SCIM tokens, newest first. */
export async function listScimTokens(tx: Tx): Promise<ScimTokenRow[]> {
  return tx.selectFrom('scim_tokens').selectAll().orderBy('created_at', 'desc').execute();
}

/** Insert a token. */
export async function insertScimToken(
  tx: Tx,
  token: {
    orgId: string;
    name: string;
    prefix: string;
    tokenHash: Buffer;
    createdBy: string;
    createdByUserId: string | null;
  },
): Promise<ScimTokenRow> {
  return tx
    .insertInto('scim_tokens')
    .values({
      org_id: token.orgId,
      name: token.name,
      prefix: token.prefix,
      token_hash: token.tokenHash,
      created_by: token.createdBy,
      created_by_user_id: token.createdByUserId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Revoke a token (once); returns it, or undefined when the org has no such token. */
export async function revokeScimToken(tx: Tx, id: string): Promise<ScimTokenRow | undefined> {
  return tx
    .updateTable('scim_tokens')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(new Date())) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** What authentication needs of a token. */
export interface ScimTokenLookup {
  id: string;
  org_id: string;
  name: string;
  last_used_at: Date | null;
}

/** Find a live token by the hash of its secret, across orgs (a narrow SECURITY DEFINER lookup). */
export async function findScimToken(
  db: Db,
  tokenHash: Buffer,
): Promise<ScimTokenLookup | undefined> {
  const query = sql<ScimTokenLookup>`SELECT * FROM scim_find_token(${tokenHash})`.compile(db);
  const { rows } = await executePrepared(db, query);
  return rows[0];
}

/** Record that a token was used. */
export async function touchScimToken(tx: Tx, id: string): Promise<void> {
  await tx
    .updateTable('scim_tokens')
    .set({ last_used_at: new Date() })
    .where('id', '=', id)
    .execute();
}
