import { z } from 'zod';
import { passwordLimits, passwordSchema } from './common.ts';

/** Change your own password: the current one proves it is you; the new one meets the policy. */
export const changePasswordSchema = z.strictObject({
  currentPassword: z
    .string()
    .min(1, 'Enter your current password')
    .max(passwordLimits.max, 'This is not your current password'),
  newPassword: passwordSchema,
});

/** A changed password, and how many of your other sessions it signed out. */
export const passwordChangedSchema = z.object({
  ok: z.literal(true),
  sessionsRevoked: z.number().int().min(0),
});
