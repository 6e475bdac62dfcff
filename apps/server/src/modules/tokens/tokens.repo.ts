import type { ApiToken, Role } from '@steward/contracts';
import type { Selectable } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type { ApiTokensTable } from '../../platform/db/schema.ts';

/** Map a row to the API shape. */
export function toApiToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    prefix: row.prefix,
    userId: row.user_id,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/** A user's tokens, newest first. */
export async function listTokens(tx: Tx, userId: string): Promise<Selectable<ApiTokensTable>[]> {
  return tx
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Insert a token. */
export async function insertToken(
  tx: Tx,
  t: {
    orgId: string;
    userId: string;
    name: string;
    role: Role;
    prefix: string;
    tokenHash: Buffer;
    expiresAt: Date;
  },
): Promise<Selectable<ApiTokensTable>> {
  return tx
    .insertInto('api_tokens')
    .values({
      org_id: t.orgId,
      user_id: t.userId,
      name: t.name,
      role: t.role,
      prefix: t.prefix,
      token_hash: t.tokenHash,
      expires_at: t.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Revoke a user's token; returns it, or undefined when the user has no such token. */
export async function revokeToken(
  tx: Tx,
  userId: string,
  id: string,
): Promise<Selectable<ApiTokensTable> | undefined> {
  return tx
    .updateTable('api_tokens')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(new Date())) }))
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}
