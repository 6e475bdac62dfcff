import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createSecurityPolicyRoutes } from './security-policy.routes.ts';
import type { PolicyDefaults } from './security-policy.service.ts';

export {
  defaultMfaRequiredRoles,
  isMfaRequiredFor,
  isPasswordSignInAllowed,
  readSecurityPolicy,
} from './security-policy.service.ts';
export type { PolicyDefaults } from './security-policy.service.ts';

/** Security policy: per-org MFA requirements, session lifetimes and allowed sign-in methods. */
export function createSecurityPolicyModule(defaults: PolicyDefaults): StewardModule {
  return defineModule({
    name: 'security-policy',
    routes: createSecurityPolicyRoutes(defaults),
  });
}
