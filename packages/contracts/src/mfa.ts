import { z } from 'zod';
import { meSchema } from './users.ts';

/** Second factors a sign-in can be completed with. */
export const mfaMethods = ['totp', 'recovery_code', 'passkey'] as const;

/** A second factor. */
export type MfaMethod = (typeof mfaMethods)[number];

/** A 6-digit TOTP code as typed (spaces allowed). */
export const totpCodeSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app'));

/** A recovery code as typed: case, spaces and dashes do not matter. */
export const recoveryCodeSchema = z
  .string()
  .max(64)
  .transform((s) => s.replace(/[\s-]+/g, '').toLowerCase())
  .pipe(z.string().regex(/^[a-z2-7]{16}$/, 'Enter one of your recovery codes'));

/** Number of recovery codes generated at a time. */
export const recoveryCodeCount = 10;

/** Minutes a password-verified sign-in waits for its second factor. */
export const mfaChallengeMinutes = 5;

/** `POST /auth/sign-in` when a second factor is needed: no session yet, a pending cookie instead. */
export const mfaRequiredSchema = z.object({
  status: z.literal('mfa_required'),
  methods: z.array(z.enum(mfaMethods)),
  expiresAt: z.iso.datetime(),
});

/** The answer to a sign-in: the identity, or a request for the second factor. */
export const signInResultSchema = z.union([meSchema, mfaRequiredSchema]);

/** The answer to a sign-in. */
export type SignInResult = z.infer<typeof signInResultSchema>;

/** Complete a pending sign-in with a TOTP code or a recovery code (exactly one). */
export const mfaVerifySchema = z
  .strictObject({
    code: totpCodeSchema.optional(),
    recoveryCode: recoveryCodeSchema.optional(),
  })
  .refine((v) => (v.code === undefined) !== (v.recoveryCode === undefined), {
    error: 'Send either code or recoveryCode',
  });

/** The caller's second factors. */
export const mfaStatusSchema = z.object({
  totp: z.object({ isEnabled: z.boolean(), enabledAt: z.iso.datetime().nullable() }),
  recoveryCodesRemaining: z.number().int().min(0),
  isRequiredByPolicy: z.boolean(),
});

/** MFA status. */
export type MfaStatus = z.infer<typeof mfaStatusSchema>;

/** A started TOTP enrolment: the secret (shown once, for manual entry), its URI and a QR code. */
export const totpEnrolmentSchema = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrCodeDataUrl: z.string(),
});

/** Confirm a TOTP enrolment with the first code the app shows. */
export const confirmTotpSchema = z.strictObject({ code: totpCodeSchema });

/** Fresh recovery codes: shown this once, stored hashed. */
export const recoveryCodesSchema = z.object({ codes: z.array(z.string()) });

/** Remove TOTP: prove presence with the password or a current code. */
export const removeTotpSchema = z
  .strictObject({
    password: z.string().min(1, 'Enter your password').max(1024).optional(),
    code: totpCodeSchema.optional(),
  })
  .refine((v) => v.password !== undefined || v.code !== undefined, {
    error: 'Send your password or a current code',
  });

/** Regenerate recovery codes (the old ones stop working); needs a current code. */
export const regenerateRecoveryCodesSchema = z.strictObject({ code: totpCodeSchema });
