import type { ScimToken } from '@steward/contracts';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { generateSecret, hashSecret } from '../../platform/crypto/tokens.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { forgetScimToken } from './scim-token-cache.ts';
import * as repo from './scim-tokens.repo.ts';

/** Prefix of SCIM token secrets (distinct from API tokens, which never work on SCIM routes). */
export const scimTokenPrefix = 'stwscim_';

/** Who creates a token: a user of the API, or an administrator at the command line. */
export interface ScimTokenCreator {
  label: string;
  userId: string | null;
}

/** The org's SCIM tokens, newest first (never their secrets). */
export async function listScimTokens(uow: UnitOfWork): Promise<ScimToken[]> {
  return (await uow.read((tx) => repo.listScimTokens(tx))).map(repo.toScimToken);
}

/**
 * Create the bearer token of an identity provider connection. The secret (256 random bits) is
 * returned once; only its SHA-256 is stored.
 */
export async function createScimToken(
  uow: UnitOfWork,
  creator: ScimTokenCreator,
  input: { name: string },
): Promise<{ token: ScimToken; secret: string }> {
  const secret = generateSecret(scimTokenPrefix, 32);
  return uow.write(async ({ tx, audit }) => {
    const row = await repo.insertScimToken(tx, {
      orgId: uow.orgId,
      name: input.name,
      prefix: secret.slice(0, scimTokenPrefix.length + 6),
      tokenHash: hashSecret(secret),
      createdBy: creator.label,
      createdByUserId: creator.userId,
    });
    await audit({
      action: 'scim_token.created',
      targetType: 'scim_token',
      targetId: row.id,
      changes: { name: row.name, prefix: row.prefix },
    });
    return { token: repo.toScimToken(row), secret };
  });
}

/**
 * Revoke a SCIM token: its identity provider is refused from the next request on (by another
 * process, such as a server while the CLI revokes, within `scimTokenCacheMs`).
 */
export async function revokeScimToken(uow: UnitOfWork, id: string): Promise<ScimToken> {
  return uow.write(async ({ tx, audit, afterCommit }) => {
    const row = await repo.revokeScimToken(tx, id);
    if (!row) throw new AppError('scim_token.not_found');
    await audit({
      action: 'scim_token.revoked',
      targetType: 'scim_token',
      targetId: id,
      changes: { name: row.name },
    });
    afterCommit(() => {
      forgetScimToken(id);
      return Promise.resolve();
    });
    return repo.toScimToken(row);
  });
}
