import { idParamsSchema, okSchema } from './common.ts';
import type { Endpoint } from './endpoints.ts';
import {
  passkeyListSchema,
  passkeySchema,
  passkeySignInOptionsSchema,
  passkeySignInSchema,
  registerPasskeySchema,
  removePasskeySchema,
  renamePasskeySchema,
  webAuthnOptionsSchema,
} from './passkeys.ts';
import { meSchema } from './users.ts';

function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

const challengeOnly =
  'only stores a short-lived, single-use challenge; the registration or sign-in it serves is audited';

/**
 * Passkey (WebAuthn) endpoints. Management is for signed-in browsers only (API tokens are
 * refused); sign-in with a passkey is either the first factor (discoverable credentials) or the
 * second factor of a pending password sign-in.
 */
export const passkeyEndpoints = {
  listPasskeys: endpoint({
    method: 'GET',
    path: '/api/v1/me/passkeys',
    summary: 'Your passkeys',
    tag: 'mfa',
    access: 'authenticated',
    duringMfaEnrolment: true,
    response: passkeyListSchema,
  }),
  passkeyRegistrationOptions: endpoint({
    method: 'POST',
    path: '/api/v1/me/passkeys/options',
    summary: 'Start registering a passkey: WebAuthn creation options with a fresh challenge',
    tag: 'mfa',
    access: 'authenticated',
    audit: { none: challengeOnly },
    duringMfaEnrolment: true,
    response: webAuthnOptionsSchema,
  }),
  registerPasskey: endpoint({
    method: 'POST',
    path: '/api/v1/me/passkeys',
    summary: "Finish registering a passkey with the authenticator's answer",
    tag: 'mfa',
    access: 'authenticated',
    audit: 'passkey.registered',
    duringMfaEnrolment: true,
    body: registerPasskeySchema,
    response: passkeySchema,
    successStatus: 201,
  }),
  renamePasskey: endpoint({
    method: 'PATCH',
    path: '/api/v1/me/passkeys/:id',
    summary: 'Rename one of your passkeys',
    tag: 'mfa',
    access: 'authenticated',
    audit: 'passkey.renamed',
    params: idParamsSchema,
    body: renamePasskeySchema,
    response: passkeySchema,
  }),
  removePasskey: endpoint({
    method: 'DELETE',
    path: '/api/v1/me/passkeys/:id',
    summary: 'Remove one of your passkeys (needs a sign-in within 15 minutes or your password)',
    tag: 'mfa',
    access: 'authenticated',
    audit: 'passkey.removed',
    params: idParamsSchema,
    body: removePasskeySchema,
    response: okSchema,
  }),
  passkeySignInOptions: endpoint({
    method: 'POST',
    path: '/api/v1/auth/passkey/options',
    summary: 'WebAuthn request options to sign in with a passkey, or to finish a password sign-in',
    tag: 'auth',
    access: { public: 'people ask for a passkey challenge before they are signed in' },
    audit: { none: challengeOnly },
    body: passkeySignInOptionsSchema,
    response: webAuthnOptionsSchema,
  }),
  passkeySignIn: endpoint({
    method: 'POST',
    path: '/api/v1/auth/passkey/verify',
    summary: 'Sign in with a passkey (first factor; user verification makes it multi-factor)',
    tag: 'auth',
    access: { public: 'the signed challenge from a registered passkey is the credential' },
    audit: 'auth.signed_in',
    body: passkeySignInSchema,
    response: meSchema,
  }),
  verifyMfaPasskey: endpoint({
    method: 'POST',
    path: '/api/v1/auth/mfa/passkey',
    summary: 'Complete a password sign-in with a passkey',
    tag: 'auth',
    access: {
      public: 'the pending sign-in cookie and a signed passkey challenge are the credential',
    },
    audit: 'auth.signed_in',
    body: passkeySignInSchema,
    response: meSchema,
  }),
} as const;
