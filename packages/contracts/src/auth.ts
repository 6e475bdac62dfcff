import { z } from 'zod';
import { emailSchema, nameSchema, passwordSchema } from './common.ts';

/** Whether first-run setup has happened. */
export const setupStatusSchema = z.object({ isSetUp: z.boolean() });

/** First run: create the organisation and its owner. */
export const setupSchema = z.strictObject({
  orgName: z.string().trim().min(1, 'Enter the organisation name').max(200),
  name: nameSchema,
  email: emailSchema,
  password: passwordSchema,
});

/** Sign in with email and password. */
export const signInSchema = z.strictObject({
  email: emailSchema,
  password: z.string().min(1, 'Enter your password').max(1024),
});
