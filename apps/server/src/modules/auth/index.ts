import { defineModule, type StewardModule } from '../../platform/module.ts';
import type { RelyingParty } from '../passkeys/index.ts';
import { createAuthRoutes } from './auth.routes.ts';
import type { AuthDeps } from './auth.service.ts';
import { createPasskeySignInRoutes } from './passkey-sign-in.routes.ts';

export { createAuthenticator, sessionCookie, tokenPrefix } from './authenticator.ts';
export { setSessionCookie } from './auth.routes.ts';
export { setUp, isSetUp, readMe, openSession } from './auth.service.ts';
export { signIn, completeMfaSignIn } from './sign-in.service.ts';
export { mfaChallengeCookie } from './auth.routes.ts';
export { findUserByEmail } from './auth.repo.ts';
export { insertChallenge } from './sign-in.repo.ts';
export type { AuthDeps, NewSession, OrgCreatedHook } from './auth.service.ts';

/** Auth: first-run setup, sign-in and sign-out, sessions, and who the caller is. */
export function createAuthModule(
  deps: AuthDeps & { isHttps: boolean; relyingParty: RelyingParty },
): StewardModule {
  return defineModule({
    name: 'auth',
    routes: [...createAuthRoutes(deps), ...createPasskeySignInRoutes(deps)],
  });
}
