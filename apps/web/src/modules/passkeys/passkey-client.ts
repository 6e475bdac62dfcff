import {
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/browser';
import {
  endpoints,
  type authenticationCredentialSchema,
  type registrationCredentialSchema,
} from '@steward/contracts';
import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { call } from '../../lib/api-client.ts';

// The browser library's interfaces lack the index signature of the contracts' loose objects
// (which accept fields browsers add); the server validates the shape either way.
function toWire<S extends z.ZodType>(credential: object): z.input<S> {
  return credential as z.input<S>;
}

/** The signed-in person's passkeys. */
export const passkeysQuery = queryOptions({
  queryKey: ['passkeys'],
  queryFn: ({ signal }) => call(endpoints.listPasskeys, { signal }),
});

/** Create a passkey with the browser's authenticator and register it under `name`. */
export async function addPasskey(name: string) {
  const options = await call(endpoints.passkeyRegistrationOptions);
  const credential = await startRegistration({
    optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
  });
  return call(endpoints.registerPasskey, {
    body: { name, credential: toWire<typeof registrationCredentialSchema>(credential) },
  });
}

async function assertPasskey(step: 'sign_in' | 'second_factor') {
  const options = await call(endpoints.passkeySignInOptions, { body: { step } });
  const credential = await startAuthentication({
    optionsJSON: options,
  });
  return toWire<typeof authenticationCredentialSchema>(credential);
}

/** Sign in with any passkey the browser offers (no email needed). */
export async function signInWithPasskey() {
  const credential = await assertPasskey('sign_in');
  return call(endpoints.passkeySignIn, { body: { credential } });
}

/** Finish a password sign-in with one of the person's passkeys. */
export async function verifyWithPasskey() {
  const credential = await assertPasskey('second_factor');
  return call(endpoints.verifyMfaPasskey, { body: { credential } });
}

/** A message for a browser-side WebAuthn failure (cancelled, timed out, not supported). */
export function describePasskeyError(error: unknown): string | null {
  if (error instanceof Error && ['NotAllowedError', 'AbortError'].includes(error.name)) {
    return 'The passkey request was cancelled or timed out.';
  }
  if (error instanceof Error && error.name === 'InvalidStateError') {
    return 'This authenticator already holds a passkey for your account.';
  }
  return null;
}
