import { defineModule, type StewardModule } from '../../platform/module.ts';
import type { PersonChangeListener } from '../people/index.ts';
import { createScimRoutes } from './scim.routes.ts';

export { createScimAuthenticator } from './scim-authenticator.ts';
export {
  createScimToken,
  listScimTokens,
  revokeScimToken,
  scimTokenPrefix,
  type ScimTokenCreator,
} from './scim-tokens.service.ts';

/**
 * The SCIM 2.0 service provider (RFC 7643/7644) identity providers push people and groups to,
 * and the API for the bearer tokens of their connections.
 */
export function createScimModule(deps: {
  publicUrl: URL;
  /** Told of every recorded directory change, in its transaction. */
  onPersonChanges?: PersonChangeListener;
}): StewardModule {
  return defineModule({ name: 'scim', routes: createScimRoutes(deps) });
}
