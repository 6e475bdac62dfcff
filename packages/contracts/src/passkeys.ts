import { z } from 'zod';

/** Minutes a passkey challenge (registration or sign-in) stays valid; each works once. */
export const passkeyChallengeMinutes = 5;

/** Minutes after a sign-in during which a passkey may be removed without the password. */
export const passkeyRecentSignInMinutes = 15;

const base64url = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*$/, 'Expected base64url');

/** A passkey's display name. */
export const passkeyNameSchema = z
  .string()
  .trim()
  .min(1, 'Name the passkey')
  .max(100, 'At most 100 characters');

/** A registered passkey as its owner sees it (never the key material). */
export const passkeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  transports: z.array(z.string()),
  isBackedUp: z.boolean(),
  isMultiDevice: z.boolean(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});

/** A passkey. */
export type Passkey = z.infer<typeof passkeySchema>;

/** The caller's passkeys. */
export const passkeyListSchema = z.object({ items: z.array(passkeySchema) });

/** WebAuthn options for the browser (`PublicKeyCredential*OptionsJSON`), passed through as-is. */
export const webAuthnOptionsSchema = z.looseObject({ challenge: z.string() });

/** The browser's answer to `navigator.credentials.create()`, as `@simplewebauthn/browser` sends it. */
export const registrationCredentialSchema = z.looseObject({
  id: base64url.min(1),
  rawId: base64url.min(1),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: base64url.min(1),
    attestationObject: base64url.min(1),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

/** The browser's answer to `navigator.credentials.get()`, as `@simplewebauthn/browser` sends it. */
export const authenticationCredentialSchema = z.looseObject({
  id: base64url.min(1),
  rawId: base64url.min(1),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: base64url.min(1),
    authenticatorData: base64url.min(1),
    signature: base64url.min(1),
    userHandle: base64url.optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

/** Finish registering a passkey with the browser's answer to the registration options. */
export const registerPasskeySchema = z.strictObject({
  name: passkeyNameSchema,
  credential: registrationCredentialSchema,
});

/** Rename a passkey. */
export const renamePasskeySchema = z.strictObject({ name: passkeyNameSchema });

/** Remove a passkey: the password is needed unless the session signed in within 15 minutes. */
export const removePasskeySchema = z.strictObject({
  password: z.string().min(1, 'Enter your password').max(1024).optional(),
});

/** Which sign-in step wants passkey options: the first factor, or the second after a password. */
export const passkeySignInOptionsSchema = z.strictObject({
  step: z.enum(['sign_in', 'second_factor']).default('sign_in'),
});

/** Sign in (or finish a password sign-in) with the browser's answer to the options. */
export const passkeySignInSchema = z.strictObject({ credential: authenticationCredentialSchema });
