import { isRoleWithin, type ApiToken, type Role, type createTokenSchema } from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { generateSecret, hashSecret } from '../../platform/crypto/tokens.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { tokenPrefix } from '../auth/index.ts';
import * as repo from './tokens.repo.ts';

/** The user a token is created for. */
export interface TokenOwner {
  userId: string;
  role: Role;
}

/** List the owner's tokens. */
export async function listTokens(uow: UnitOfWork, owner: TokenOwner): Promise<ApiToken[]> {
  return (await uow.read((tx) => repo.listTokens(tx, owner.userId))).map(repo.toApiToken);
}

/**
 * Create an API token acting as its owner, with a role no higher than the owner's. The secret
 * is returned once; only its SHA-256 is stored.
 */
export async function createToken(
  uow: UnitOfWork,
  owner: TokenOwner,
  input: z.output<typeof createTokenSchema>,
): Promise<{ token: ApiToken; secret: string }> {
  const role = input.role ?? owner.role;
  if (!isRoleWithin(role, owner.role)) {
    throw new AppError(
      'token.role_too_high',
      `A ${owner.role} cannot create a token with the ${role} role`,
      [{ path: 'role', message: `Choose a role no higher than ${owner.role}` }],
    );
  }
  const secret = generateSecret(tokenPrefix, 32);
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  return uow.write(async ({ tx, audit }) => {
    const row = await repo.insertToken(tx, {
      orgId: uow.orgId,
      userId: owner.userId,
      name: input.name,
      role,
      prefix: secret.slice(0, tokenPrefix.length + 6),
      tokenHash: hashSecret(secret),
      expiresAt,
    });
    await audit({
      action: 'token.created',
      targetType: 'api_token',
      targetId: row.id,
      changes: { name: row.name, role, userId: owner.userId, expiresAt: expiresAt.toISOString() },
    });
    return { token: repo.toApiToken(row), secret };
  });
}

/** Revoke one of the owner's tokens. */
export async function revokeToken(
  uow: UnitOfWork,
  owner: TokenOwner,
  id: string,
): Promise<ApiToken> {
  return uow.write(async ({ tx, audit }) => {
    const row = await repo.revokeToken(tx, owner.userId, id);
    if (!row) throw new AppError('token.not_found');
    await audit({
      action: 'token.revoked',
      targetType: 'api_token',
      targetId: id,
      changes: { name: row.name },
    });
    return repo.toApiToken(row);
  });
}
