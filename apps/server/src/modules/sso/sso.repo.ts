import { sql, type Selectable } from 'kysely';
import type { Db, Tx } from '../../platform/db/pools.ts';
import type { OidcConfigsTable } from '../../platform/db/schema.ts';

/** The org's stored OIDC configuration. */
export type OidcConfigRow = Selectable<OidcConfigsTable>;

/** Read the org's OIDC configuration. */
export async function findConfig(tx: Tx): Promise<OidcConfigRow | undefined> {
  return tx.selectFrom('oidc_configs').selectAll().executeTakeFirst();
}

/** Insert or replace the org's OIDC configuration. */
export async function saveConfig(
  tx: Tx,
  orgId: string,
  values: {
    issuer: string;
    clientId: string;
    sealedClientSecret: string;
    isEnabled: boolean;
    provisioning: string;
    defaultRole: string;
    allowedDomains: string[];
  },
): Promise<OidcConfigRow> {
  const row = {
    issuer: values.issuer,
    client_id: values.clientId,
    sealed_client_secret: values.sealedClientSecret,
    is_enabled: values.isEnabled,
    provisioning: values.provisioning,
    default_role: values.defaultRole,
    allowed_domains: values.allowedDomains,
    updated_at: new Date(),
  };
  return tx
    .insertInto('oidc_configs')
    .values({ org_id: orgId, ...row })
    .onConflict((oc) => oc.column('org_id').doUpdateSet(row))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Remove the org's OIDC configuration; false when there was none. */
export async function deleteConfig(tx: Tx): Promise<boolean> {
  const result = await tx.deleteFrom('oidc_configs').executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Orgs that claim any of these email domains for SSO (across orgs). */
export async function findDomainOwners(
  db: Db | Tx,
  domains: string[],
): Promise<{ org_id: string; domain: string }[]> {
  if (domains.length === 0) return [];
  const { rows } = await sql<{ org_id: string; domain: string }>`
    SELECT * FROM auth_find_oidc_domains(${domains}::text[])`.execute(db);
  return rows;
}

/** Record a started sign-in. */
export async function insertRequest(
  tx: Tx,
  r: {
    orgId: string;
    stateHash: Buffer;
    browserHash: Buffer;
    nonce: string;
    codeVerifier: string;
    expiresAt: Date;
  },
): Promise<void> {
  await tx
    .insertInto('oidc_sign_in_requests')
    .values({
      org_id: r.orgId,
      state_hash: r.stateHash,
      browser_hash: r.browserHash,
      nonce: r.nonce,
      code_verifier: r.codeVerifier,
      expires_at: r.expiresAt,
    })
    .execute();
}

/** Which org a state belongs to (across orgs); the rest is read inside that org. */
export async function findRequestByState(
  db: Db,
  stateHash: Buffer,
): Promise<{ id: string; org_id: string; expires_at: Date; consumed_at: Date | null } | undefined> {
  const { rows } = await sql<{
    id: string;
    org_id: string;
    expires_at: Date;
    consumed_at: Date | null;
  }>`SELECT * FROM auth_find_oidc_request(${stateHash})`.execute(db);
  return rows[0];
}

/** Take a started sign-in once: null when already used. */
export async function consumeRequest(
  tx: Tx,
  id: string,
): Promise<{ browser_hash: Buffer; nonce: string; code_verifier: string } | undefined> {
  return tx
    .updateTable('oidc_sign_in_requests')
    .set({ consumed_at: new Date() })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .returning(['browser_hash', 'nonce', 'code_verifier'])
    .executeTakeFirst();
}
