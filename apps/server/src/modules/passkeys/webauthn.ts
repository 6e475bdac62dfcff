import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers';
import { passkeyChallengeMinutes, type webAuthnOptionsSchema } from '@steward/contracts';
import type { z } from 'zod';
import type { PasskeyRow } from './passkeys.repo.ts';

/** Who the passkeys belong to: RP ID and origin come from PUBLIC_URL. */
export interface RelyingParty {
  id: string;
  origin: string;
  name: string;
}

/** The relying party for a public URL. */
export function relyingPartyFor(publicUrl: URL): RelyingParty {
  return { id: publicUrl.hostname, origin: publicUrl.origin, name: 'Steward' };
}

/** Options as the browser receives them. */
export type WebAuthnOptions = z.output<typeof webAuthnOptionsSchema>;

const timeoutMs = passkeyChallengeMinutes * 60_000;

function transportsOf(row: { transports: string[] }): AuthenticatorTransport[] {
  return row.transports as AuthenticatorTransport[];
}

/** Creation options for a new resident, user-verified passkey (no attestation needed). */
export async function registrationOptions(
  rp: RelyingParty,
  user: { id: string; email: string; name: string },
  existing: PasskeyRow[],
): Promise<WebAuthnOptions> {
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name,
    userID: isoUint8Array.fromUTF8String(user.id),
    timeout: timeoutMs,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: transportsOf(p) })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  return { ...options };
}

/** Request options: any discoverable passkey, or one of `allowed` for a second factor. */
export async function authenticationOptions(
  rp: RelyingParty,
  allowed: PasskeyRow[] = [],
): Promise<WebAuthnOptions> {
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    timeout: timeoutMs,
    userVerification: 'required',
    allowCredentials: allowed.map((p) => ({ id: p.credential_id, transports: transportsOf(p) })),
  });
  return { ...options };
}

/** A verified registration, ready to store; null when the answer does not verify. */
export async function checkRegistration(
  rp: RelyingParty,
  response: RegistrationResponseJSON,
  expectedChallenge: string,
) {
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
    return result.verified ? result.registrationInfo : null;
  } catch {
    return null;
  }
}

/** Why an assertion was refused, or the counter and backup state it brought. */
export type AssertionCheck =
  | { ok: true; counter: number; isBackedUp: boolean }
  | { ok: false; reason: 'counter_regression' | 'user_handle_mismatch' | 'invalid_assertion' };

/** Verify an assertion against a stored passkey: challenge, origin, RP ID, UV, signature, counter. */
export async function checkAssertion(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  passkey: PasskeyRow,
): Promise<AssertionCheck> {
  const userHandle = response.response.userHandle;
  if (userHandle && isoBase64URL.toUTF8String(userHandle) !== passkey.user_id) {
    return { ok: false, reason: 'user_handle_mismatch' };
  }
  const stored = Number(passkey.counter);
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: passkey.credential_id,
        publicKey: new Uint8Array(passkey.public_key),
        // The library would refuse a regressed counter before we could tell it from a forgery, so
        // it checks the signature only and the counter rule is applied below.
        counter: 0,
        transports: transportsOf(passkey),
      },
    });
    if (!result.verified) return { ok: false, reason: 'invalid_assertion' };
    const presented = result.authenticationInfo.newCounter;
    if ((presented > 0 || stored > 0) && presented <= stored) {
      return { ok: false, reason: 'counter_regression' };
    }
    return {
      ok: true,
      counter: presented,
      isBackedUp: result.authenticationInfo.credentialBackedUp,
    };
  } catch {
    return { ok: false, reason: 'invalid_assertion' };
  }
}
