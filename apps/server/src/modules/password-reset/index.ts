import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createPasswordResetRoutes } from './password-reset.routes.ts';
import type { PasswordResetDeps } from './password-reset.service.ts';

/** What the password reset module needs. */
export type { PasswordResetDeps } from './password-reset.service.ts';

/** Password reset: a single-use link by email that sets a new password and ends every session. */
export function createPasswordResetModule(deps: PasswordResetDeps): StewardModule {
  return defineModule({ name: 'password-reset', routes: createPasswordResetRoutes(deps) });
}
