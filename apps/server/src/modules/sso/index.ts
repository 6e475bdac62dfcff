import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createSsoRoutes } from './sso.routes.ts';
import type { SsoSignInDeps } from './sso-sign-in.service.ts';

export { createOidcClient, type OidcClient } from './oidc-client.ts';
export { isSsoConfigured, ssoSecretPurpose } from './sso.service.ts';
export { isIdpMfa } from './sso-sign-in.service.ts';
export type { SsoSignInDeps } from './sso-sign-in.service.ts';

/** SSO with OpenID Connect: the org's IdP configuration and the sign-in round trip. */
export function createSsoModule(deps: SsoSignInDeps & { isHttps: boolean }): StewardModule {
  return defineModule({ name: 'sso', routes: createSsoRoutes(deps) });
}
