import {
  isRoleWithin,
  type Role,
  type User,
  type createUserSchema,
  type updateUserSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { hashPassword } from '../../platform/crypto/passwords.ts';
import { findPasswordProblem } from '../../platform/crypto/password-policy.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { revokeUserSessions } from '../sessions/index.ts';
import * as repo from './users.repo.ts';

/** List the org's users. */
export async function listUsers(uow: UnitOfWork): Promise<User[]> {
  return (await uow.read((tx) => repo.listUsers(tx))).map(repo.toUser);
}

/** Get one user of the org. */
export async function getUser(uow: UnitOfWork, id: string): Promise<User> {
  const row = await uow.read((tx) => repo.findUser(tx, id));
  if (!row) throw new AppError('user.not_found');
  return repo.toUser(row);
}

/** Create a user with an initial password; the role may not exceed the creator's. */
export async function createUser(
  uow: UnitOfWork,
  creatorRole: Role,
  input: z.output<typeof createUserSchema>,
): Promise<User> {
  if (!isRoleWithin(input.role, creatorRole)) {
    throw new AppError(
      'user.role_too_high',
      `A ${creatorRole} cannot create a user with the ${input.role} role`,
    );
  }
  const orgName = await uow.read(
    async (tx) => (await tx.selectFrom('orgs').select('name').executeTakeFirst())?.name,
  );
  const problem = findPasswordProblem(input.password, {
    email: input.email,
    ...(orgName ? { orgName } : {}),
  });
  if (problem)
    throw new AppError('auth.weak_password', problem, [{ path: 'password', message: problem }]);
  const passwordHash = await hashPassword(input.password);
  try {
    return await uow.write(async ({ tx, audit }) => {
      const row = await repo.insertUser(tx, {
        orgId: uow.orgId,
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash,
      });
      await audit({
        action: 'user.created',
        targetType: 'user',
        targetId: row.id,
        changes: { email: row.email, name: row.name, role: row.role },
      });
      return repo.toUser(row);
    });
  } catch (error) {
    if (repo.isDuplicateEmail(error)) {
      throw new AppError('user.email_taken', undefined, [
        { path: 'email', message: 'This email is already in use' },
      ]);
    }
    throw error;
  }
}

/**
 * Change a user's name, role or status, keeping at least one active owner. A role change ends
 * the user's other sessions (privilege change), sparing the editor's own current session.
 */
export async function updateUser(
  uow: UnitOfWork,
  editorRole: Role,
  id: string,
  input: z.output<typeof updateUserSchema>,
  editorSessionId: string | null = null,
): Promise<User> {
  return uow.write(async ({ tx, audit }) => {
    const before = await repo.findUser(tx, id);
    if (!before) throw new AppError('user.not_found');
    const currentRole = before.role as Role;
    if (!isRoleWithin(currentRole, editorRole)) {
      throw new AppError('user.role_too_high', `A ${editorRole} cannot change a ${currentRole}`);
    }
    if (input.role && !isRoleWithin(input.role, editorRole)) {
      throw new AppError(
        'user.role_too_high',
        `A ${editorRole} cannot grant the ${input.role} role`,
      );
    }
    const losesOwner =
      currentRole === 'owner' &&
      before.status === 'active' &&
      ((input.role !== undefined && input.role !== 'owner') || input.status === 'disabled');
    if (losesOwner && (await repo.countActiveOwners(tx)) <= 1) {
      throw new AppError('user.last_owner');
    }
    if (input.status !== undefined && before.status === 'invited') {
      throw new AppError('user.invitation_pending');
    }
    const after = await repo.updateUser(tx, id, input);
    if (!after) throw new AppError('user.not_found');
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ['name', 'role', 'status'] as const) {
      if (input[key] !== undefined && input[key] !== before[key]) {
        changes[key] = { from: before[key], to: after[key] };
      }
    }
    await audit({ action: 'user.updated', targetType: 'user', targetId: id, changes });
    if (changes.role) {
      const revoked = await revokeUserSessions(tx, id, editorSessionId);
      if (revoked > 0) {
        await audit({
          action: 'user.sessions_revoked',
          targetType: 'user',
          targetId: id,
          changes: { count: revoked, reason: 'role_changed' },
        });
      }
    }
    return repo.toUser(after);
  });
}

/** Sign a user out everywhere; the editor must hold at least the user's role. */
export async function revokeSessionsOfUser(
  uow: UnitOfWork,
  editorRole: Role,
  id: string,
): Promise<{ revoked: number }> {
  return uow.write(async ({ tx, audit }) => {
    const user = await repo.findUser(tx, id);
    if (!user) throw new AppError('user.not_found');
    const role = user.role as Role;
    if (!isRoleWithin(role, editorRole)) {
      throw new AppError('user.role_too_high', `A ${editorRole} cannot sign out a ${role}`);
    }
    const revoked = await revokeUserSessions(tx, id, null);
    await audit({
      action: 'user.sessions_revoked',
      targetType: 'user',
      targetId: id,
      changes: { count: revoked, reason: 'admin' },
    });
    return { revoked };
  });
}
