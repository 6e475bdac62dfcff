import { z } from 'zod';
import { emailSchema, nameSchema, passwordSchema } from './common.ts';
import { permissions, roleSchema } from './permissions.ts';

/** Status of a Steward sign-in account. */
export const userStatuses = ['active', 'disabled', 'invited'] as const;

/** A Steward user as the API returns it. */
export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  status: z.enum(userStatuses),
  createdAt: z.iso.datetime(),
  lastSignInAt: z.iso.datetime().nullable(),
});

/** A Steward user. */
export type User = z.infer<typeof userSchema>;

/** An organisation (tenant). */
export const orgSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.iso.datetime(),
});

/** `GET /api/v1/me`: who is calling, in which org, with which effective permissions. */
export const meSchema = z.object({
  user: userSchema,
  org: orgSchema,
  permissions: z.array(z.enum(permissions)),
  authMethod: z.enum(['session', 'token']),
  csrfToken: z.string().nullable(),
  /** The org's policy needs MFA for this user, who has none: only enrolment is reachable. */
  mfaEnrolmentRequired: z.boolean(),
});

/** The signed-in identity. */
export type Me = z.infer<typeof meSchema>;

/** Create a user. */
export const createUserSchema = z.strictObject({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema,
  password: passwordSchema,
});

/** Change a user's name, role or status. */
export const updateUserSchema = z
  .strictObject({
    name: nameSchema.optional(),
    role: roleSchema.optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { error: 'Change at least one field' });

/** A list of users. */
export const userListSchema = z.object({ items: z.array(userSchema) });

/** A role and what it grants. */
export const roleInfoSchema = z.object({
  role: roleSchema,
  description: z.string(),
  permissions: z.array(z.enum(permissions)),
});

/** All built-in roles. */
export const roleListSchema = z.object({ items: z.array(roleInfoSchema) });
