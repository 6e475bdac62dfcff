import { z } from 'zod';
import { emailSchema, passwordSchema } from './common.ts';

/** Minutes a password reset link stays valid. */
export const passwordResetMinutes = 30;

/** Ask for a password reset link by email. */
export const passwordResetRequestSchema = z.strictObject({ email: emailSchema });

/** The answer to a reset request: the same whether or not the account exists. */
export const passwordResetRequestedSchema = z.object({ accepted: z.literal(true) });

/** An emailed single-use token: long random text, base64url. */
export const emailLinkTokenSchema = z
  .string()
  .trim()
  .min(20, 'This link is incomplete; open it from the email again')
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'This link is malformed; open it from the email again');

/** Set a new password with the token from a reset email. */
export const passwordResetConfirmSchema = z.strictObject({
  token: emailLinkTokenSchema,
  password: passwordSchema,
});
