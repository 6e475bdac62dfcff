import type { Role, SsoConfig, updateSsoConfigSchema } from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { SecretBox } from '../../platform/crypto/envelope.ts';
import type { Db, Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { readSecurityPolicy, type PolicyDefaults } from '../security-policy/index.ts';
import type { OidcClient, OidcClientSettings } from './oidc-client.ts';
import * as repo from './sso.repo.ts';

/** What the SSO module needs. */
export interface SsoDeps {
  db: Db;
  secrets: SecretBox;
  oidc: OidcClient;
  publicUrl: URL;
  policyDefaults: PolicyDefaults;
}

/** The AAD an org's client secret is sealed under. */
export function ssoSecretPurpose(orgId: string): string {
  return `oidc:${orgId}`;
}

/** The callback URL to register at the identity provider. */
export function redirectUriOf(publicUrl: URL): string {
  return new URL('/api/v1/auth/sso/callback', publicUrl).href;
}

function toConfig(row: repo.OidcConfigRow, redirectUri: string): SsoConfig {
  return {
    issuer: row.issuer,
    clientId: row.client_id,
    isClientSecretSet: row.sealed_client_secret.length > 0,
    isEnabled: row.is_enabled,
    provisioning: row.provisioning as SsoConfig['provisioning'],
    defaultRole: row.default_role as Role,
    allowedDomains: row.allowed_domains,
    redirectUri,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Whether the org has an enabled SSO configuration. */
export async function isSsoConfigured(tx: Tx): Promise<boolean> {
  const row = await repo.findConfig(tx);
  return row?.is_enabled === true;
}

/** The org's enabled configuration with its secret opened, for a sign-in. */
export async function loadClientSettings(
  tx: Tx,
  deps: Pick<SsoDeps, 'secrets'>,
  orgId: string,
): Promise<{ row: repo.OidcConfigRow; settings: OidcClientSettings } | null> {
  const row = await repo.findConfig(tx);
  if (!row?.is_enabled) return null;
  const clientSecret = await deps.secrets.openSecret(
    ssoSecretPurpose(orgId),
    row.sealed_client_secret,
  );
  return { row, settings: { issuer: row.issuer, clientId: row.client_id, clientSecret } };
}

/** The org's SSO configuration (never the secret). */
export async function getSsoConfig(
  uow: UnitOfWork,
  deps: SsoDeps,
): Promise<{ config: SsoConfig | null; redirectUri: string }> {
  const redirectUri = redirectUriOf(deps.publicUrl);
  const row = await uow.read((tx) => repo.findConfig(tx));
  return { config: row ? toConfig(row, redirectUri) : null, redirectUri };
}

/**
 * Save the org's SSO configuration. The issuer must answer discovery; a new client secret is
 * sealed, an omitted one keeps the stored secret; domains must not belong to another org.
 */
export async function updateSsoConfig(
  uow: UnitOfWork,
  deps: SsoDeps,
  input: z.output<typeof updateSsoConfigSchema>,
): Promise<{ config: SsoConfig | null; redirectUri: string }> {
  const purpose = ssoSecretPurpose(uow.orgId);
  const current = await uow.read(async (tx) => ({
    row: await repo.findConfig(tx),
    policy: await readSecurityPolicy(tx, deps.policyDefaults),
  }));
  if (!input.isEnabled && current.policy.ssoRequired) {
    throw new AppError('sso.required_by_policy', undefined, [
      { path: 'isEnabled', message: 'The security policy requires SSO' },
    ]);
  }
  const clientSecret =
    input.clientSecret ??
    (current.row ? await deps.secrets.openSecret(purpose, current.row.sealed_client_secret) : null);
  if (clientSecret === null) {
    throw new AppError('request.invalid', 'Enter the client secret', [
      { path: 'clientSecret', message: 'Enter the client secret' },
    ]);
  }
  const taken = (await repo.findDomainOwners(deps.db, input.allowedDomains)).filter(
    (d) => d.org_id !== uow.orgId,
  );
  if (taken.length > 0) {
    throw new AppError(
      'sso.domain_taken',
      `Already used by another organisation: ${taken.map((d) => d.domain).join(', ')}`,
      [{ path: 'allowedDomains', message: 'Another organisation already uses this domain' }],
    );
  }
  if (input.isEnabled)
    await deps.oidc.check({ issuer: input.issuer, clientId: input.clientId, clientSecret });
  const sealed =
    input.clientSecret !== undefined || !current.row
      ? await deps.secrets.sealSecret(purpose, clientSecret)
      : current.row.sealed_client_secret;
  return uow.write(async ({ tx, audit }) => {
    const before = await repo.findConfig(tx);
    const row = await repo.saveConfig(tx, uow.orgId, { ...input, sealedClientSecret: sealed });
    const changes: Record<string, unknown> = {};
    const fields = {
      issuer: [before?.issuer, row.issuer],
      clientId: [before?.client_id, row.client_id],
      isEnabled: [before?.is_enabled, row.is_enabled],
      provisioning: [before?.provisioning, row.provisioning],
      defaultRole: [before?.default_role, row.default_role],
      allowedDomains: [before?.allowed_domains, row.allowed_domains],
    } as const;
    for (const [key, [from, to]] of Object.entries(fields)) {
      if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from: from ?? null, to };
    }
    if (input.clientSecret !== undefined) changes.clientSecret = 'replaced';
    await audit({ action: 'org.sso_updated', targetType: 'org', targetId: uow.orgId, changes });
    return {
      config: toConfig(row, redirectUriOf(deps.publicUrl)),
      redirectUri: redirectUriOf(deps.publicUrl),
    };
  });
}

/** Remove the org's SSO configuration; refused while the policy requires SSO. */
export async function removeSsoConfig(uow: UnitOfWork, deps: SsoDeps): Promise<{ ok: true }> {
  return uow.write(async ({ tx, audit }) => {
    const policy = await readSecurityPolicy(tx, deps.policyDefaults);
    if (policy.ssoRequired) throw new AppError('sso.required_by_policy');
    if (!(await repo.deleteConfig(tx))) throw new AppError('sso.not_configured');
    await audit({ action: 'org.sso_removed', targetType: 'org', targetId: uow.orgId });
    return { ok: true as const };
  });
}
