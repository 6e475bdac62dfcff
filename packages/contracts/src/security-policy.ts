import { z } from 'zod';
import { roleSchema } from './permissions.ts';

/** Ways to sign in; only `password` exists today, passkeys and SSO come next. */
export const signInMethods = ['password', 'passkey', 'sso'] as const;

/** A sign-in method. */
export type SignInMethod = (typeof signInMethods)[number];

/** Bounds of the per-org session lifetimes. */
export const sessionLimits = {
  idleMinutes: { min: 5, max: 1440 },
  maxHours: { min: 1, max: 720 },
} as const;

/** An organisation's security policy as the API returns it (defaults until first saved). */
export const securityPolicySchema = z.object({
  mfaRequiredRoles: z.array(roleSchema),
  sessionIdleMinutes: z.number().int(),
  sessionMaxHours: z.number().int(),
  allowedSignInMethods: z.array(z.enum(signInMethods)),
  /** Everyone signs in with SSO except the break-glass owner (password + MFA). */
  ssoRequired: z.boolean(),
  breakGlassOwnerId: z.uuid().nullable(),
  updatedAt: z.iso.datetime().nullable(),
});

/** A security policy. */
export type SecurityPolicy = z.infer<typeof securityPolicySchema>;

/** Replace the organisation's security policy. */
export const updateSecurityPolicySchema = z.strictObject({
  mfaRequiredRoles: z
    .array(roleSchema)
    .max(6)
    .refine((roles) => new Set(roles).size === roles.length, { error: 'List each role once' }),
  sessionIdleMinutes: z
    .number()
    .int()
    .min(sessionLimits.idleMinutes.min, `At least ${sessionLimits.idleMinutes.min} minutes`)
    .max(sessionLimits.idleMinutes.max, `At most ${sessionLimits.idleMinutes.max} minutes`),
  sessionMaxHours: z
    .number()
    .int()
    .min(sessionLimits.maxHours.min, `At least ${sessionLimits.maxHours.min} hour`)
    .max(sessionLimits.maxHours.max, `At most ${sessionLimits.maxHours.max} hours`),
  allowedSignInMethods: z
    .array(z.enum(signInMethods))
    .min(1, 'Allow at least one sign-in method')
    .refine((methods) => methods.includes('password'), {
      error: 'Keep password sign-in on: the break-glass owner needs it when SSO is required',
    }),
  ssoRequired: z.boolean().default(false),
  breakGlassOwnerId: z.uuid().nullable().default(null),
});

/** Sign-in protection of one user, as admins see it. */
export const userSecuritySchema = z.object({
  userId: z.uuid(),
  isMfaEnabled: z.boolean(),
  failedAttempts: z.number().int().min(0),
  lockedUntil: z.iso.datetime().nullable(),
});

/** Sign-in protection of one user. */
export type UserSecurity = z.infer<typeof userSecuritySchema>;

/** Sign-in protection of every user of the org. */
export const userSecurityListSchema = z.object({ items: z.array(userSecuritySchema) });
