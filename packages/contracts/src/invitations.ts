import { z } from 'zod';
import { emailSchema, nameSchema, passwordSchema } from './common.ts';
import { roleSchema } from './permissions.ts';
import { emailLinkTokenSchema } from './password-reset.ts';

/** Minutes an invitation link stays valid; an admin re-sends it to issue a new one. */
export const invitationMinutes = 30;

/** Invite a person by email with a role no higher than the inviter's. */
export const createInvitationSchema = z.strictObject({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema,
});

/** A pending invitation as admins see it (never the token). */
export const invitationSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  invitedBy: z.string().nullable(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});

/** A pending invitation. */
export type Invitation = z.infer<typeof invitationSchema>;

/** Pending invitations, newest first. */
export const invitationListSchema = z.object({ items: z.array(invitationSchema) });

/** Accept an invitation: choose a password (and optionally correct the name). */
export const acceptInvitationSchema = z.strictObject({
  token: emailLinkTokenSchema,
  password: passwordSchema,
  name: nameSchema.optional(),
});
