import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createPasskeyRoutes } from './passkeys.routes.ts';
import type { PasskeyDeps } from './passkeys.service.ts';

export {
  findPasskeyOwner,
  issueSignInChallenge,
  takeSignInChallenge,
  verifyPasskeyAssertion,
  type PasskeyFailure,
} from './passkey-assertions.ts';
export { hasPasskey, passkeyUserIds } from './passkeys.service.ts';
export type { PasskeyDeps } from './passkeys.service.ts';
export { relyingPartyFor, type RelyingParty } from './webauthn.ts';

/** Passkeys (WebAuthn): register, rename and remove; sign-in with them lives in auth. */
export function createPasskeysModule(deps: PasskeyDeps): StewardModule {
  return defineModule({ name: 'passkeys', routes: createPasskeyRoutes(deps) });
}
