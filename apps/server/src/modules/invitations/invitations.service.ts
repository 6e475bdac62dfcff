import {
  invitationMinutes,
  isRoleWithin,
  type Invitation,
  type Role,
  type acceptInvitationSchema,
  type createInvitationSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { Actor, AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork, type UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { hashPassword } from '../../platform/crypto/passwords.ts';
import { findPasswordProblem } from '../../platform/crypto/password-policy.ts';
import { generateSecret, hashSecret } from '../../platform/crypto/tokens.ts';
import type { Db } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { composeMail } from '../../platform/mail/compose.ts';
import type { MailOutbox } from '../../platform/mail/mail.jobs.ts';
import type { NewSession } from '../auth/index.ts';
import { findUser, insertUser, isDuplicateEmail, updateUserRow } from '../users/index.ts';
import * as repo from './invitations.repo.ts';

/** What the invitations service needs; `signIn` is the ordinary password sign-in. */
export interface InvitationsDeps {
  db: Db;
  auditWriter: AuditWriter;
  outbox: MailOutbox;
  publicUrl: URL;
  signIn: (actor: Actor, credentials: { email: string; password: string }) => Promise<NewSession>;
}

const emailTaken = () =>
  new AppError('user.email_taken', undefined, [
    { path: 'email', message: 'This email already belongs to an account' },
  ]);

function inviteLink(publicUrl: URL, token: string): string {
  const url = new URL('/accept-invite', publicUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

/**
 * Invite a person: an `invited` account (no password, cannot sign in) and a single-use link by
 * email. Inviting a pending invitee again replaces their link, name and role.
 */
export async function createInvitation(
  deps: InvitationsDeps,
  uow: UnitOfWork,
  inviterRole: Role,
  input: z.output<typeof createInvitationSchema>,
): Promise<Invitation> {
  if (!isRoleWithin(input.role, inviterRole)) {
    throw new AppError(
      'user.role_too_high',
      `A ${inviterRole} cannot invite someone with the ${input.role} role`,
    );
  }
  try {
    return await uow.write(async ({ tx, audit, afterCommit }) => {
      const existing = await repo.findUserByEmail(tx, input.email);
      const isReinvite =
        existing !== undefined &&
        (existing.status === 'invited' ||
          (existing.status === 'disabled' && existing.password_hash === null));
      if (existing && !isReinvite) throw emailTaken();
      if (existing && !isRoleWithin(existing.role as Role, inviterRole)) {
        throw new AppError('user.role_too_high', `A ${inviterRole} cannot re-invite this user`);
      }
      const user = existing
        ? await updateUserRow(tx, existing.id, {
            name: input.name,
            role: input.role,
            status: 'invited',
          })
        : await insertUser(tx, {
            orgId: uow.orgId,
            email: input.email,
            name: input.name,
            role: input.role,
            passwordHash: null,
            status: 'invited',
          });
      if (!user) throw new AppError('user.not_found');
      const replaced = existing ? await repo.revokeOpenInvitation(tx, user.id) : null;
      const token = generateSecret('', 32);
      const expiresAt = new Date(Date.now() + invitationMinutes * 60_000);
      const invitation = await repo.insertInvitation(tx, {
        orgId: uow.orgId,
        userId: user.id,
        tokenHash: hashSecret(token),
        invitedBy: uow.actor.label,
        expiresAt,
      });
      await audit({
        action: 'user.invited',
        targetType: 'user',
        targetId: user.id,
        changes: {
          email: user.email,
          name: user.name,
          role: user.role,
          invitationId: invitation.id,
          ...(replaced ? { replacedInvitationId: replaced } : {}),
        },
      });
      const orgName = await repo.findOrgName(tx);
      const message = composeMail({
        to: user.email,
        subject: `You are invited to ${orgName} on Steward`,
        greeting: `Hello ${user.name},`,
        paragraphs: [
          `${uow.actor.label ?? 'An administrator'} invited you to join ${orgName} on Steward, where the organisation runs its security program.`,
          `Choose a password to activate your account. The link works once and expires in ${invitationMinutes} minutes; ask for a new one if it has.`,
        ],
        action: { label: 'Accept the invitation', url: inviteLink(deps.publicUrl, token) },
        footer: 'If you did not expect this invitation, ignore this email.',
      });
      afterCommit(() => deps.outbox.send(message));
      return repo.toInvitation({
        id: invitation.id,
        user_id: user.id,
        invited_by: uow.actor.label,
        created_at: invitation.created_at,
        expires_at: expiresAt,
        email: user.email,
        name: user.name,
        role: user.role,
      });
    });
  } catch (error) {
    if (isDuplicateEmail(error)) throw emailTaken();
    throw error;
  }
}

/** The org's pending invitations (expired ones included, so they can be sent again). */
export async function listInvitations(uow: UnitOfWork): Promise<Invitation[]> {
  return (await uow.read((tx) => repo.listOpenInvitations(tx))).map(repo.toInvitation);
}

/** Revoke a pending invitation: the link stops working and the invited account is disabled. */
export async function revokeInvitation(
  uow: UnitOfWork,
  editorRole: Role,
  id: string,
): Promise<void> {
  await uow.write(async ({ tx, audit }) => {
    const invitation = await repo.findOpenInvitation(tx, id);
    if (!invitation) throw new AppError('invitation.not_found');
    if (!isRoleWithin(invitation.role as Role, editorRole)) {
      throw new AppError('user.role_too_high', `A ${editorRole} cannot revoke this invitation`);
    }
    await repo.closeInvitation(tx, id, 'revoked');
    await updateUserRow(tx, invitation.user_id, { status: 'disabled' });
    await audit({
      action: 'user.invitation_revoked',
      targetType: 'user',
      targetId: invitation.user_id,
      changes: { invitationId: id, email: invitation.email },
    });
  });
}

/**
 * Accept an invitation with its emailed token: set the password, activate the account, then sign
 * in through the ordinary sign-in path (so every sign-in rule applies). Refusals are audited.
 */
export async function acceptInvitation(
  deps: InvitationsDeps,
  requestActor: Actor,
  input: z.output<typeof acceptInvitationSchema>,
): Promise<NewSession> {
  const invitation = await repo.findInvitationByTokenHash(deps.db, hashSecret(input.token));
  if (!invitation) throw new AppError('auth.link_invalid');
  const actor: Actor = {
    ...requestActor,
    type: 'user',
    id: invitation.user_id,
    authMethod: 'email_link',
  };
  const uow = createUnitOfWork({
    db: deps.db,
    auditWriter: deps.auditWriter,
    orgId: invitation.org_id,
    actor,
  });
  const context = await uow.read(async (tx) => ({
    user: await findUser(tx, invitation.user_id),
    orgName: await repo.findOrgName(tx),
  }));
  const user = context.user;
  actor.label = user?.email ?? null;
  const failure = invitation.accepted_at
    ? ('auth.link_used' as const)
    : invitation.revoked_at || user?.status !== 'invited'
      ? ('auth.link_invalid' as const)
      : invitation.expires_at.getTime() <= Date.now()
        ? ('auth.link_expired' as const)
        : null;
  if (failure || !user) {
    const code = failure ?? 'auth.link_invalid';
    await uow.write(({ audit }) =>
      audit({
        action: 'user.invitation_failed',
        targetType: 'user',
        targetId: invitation.user_id,
        changes: { reason: invitation.revoked_at ? 'revoked' : code.replace('auth.', '') },
      }),
    );
    throw new AppError(code);
  }
  const problem = findPasswordProblem(input.password, {
    email: user.email,
    orgName: context.orgName,
  });
  if (problem) {
    throw new AppError('auth.weak_password', problem, [{ path: 'password', message: problem }]);
  }
  const passwordHash = await hashPassword(input.password);
  await uow.write(async ({ tx, audit }) => {
    const locked = await repo.lockInvitation(tx, invitation.id);
    if (!locked || locked.accepted_at) throw new AppError('auth.link_used');
    if (locked.revoked_at) throw new AppError('auth.link_invalid');
    await repo.closeInvitation(tx, invitation.id, 'accepted');
    await updateUserRow(tx, user.id, {
      passwordHash,
      status: 'active',
      ...(input.name ? { name: input.name } : {}),
    });
    await audit({
      action: 'user.invitation_accepted',
      targetType: 'user',
      targetId: user.id,
      changes: {
        invitationId: invitation.id,
        ...(input.name && input.name !== user.name
          ? { name: { from: user.name, to: input.name } }
          : {}),
      },
    });
  });
  return deps.signIn(requestActor, { email: user.email, password: input.password });
}
