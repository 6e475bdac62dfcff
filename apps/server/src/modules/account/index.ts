import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createAccountRoutes } from './account.routes.ts';
import type { AccountDeps } from './account.service.ts';

/** What the account module needs. */
export type { AccountDeps } from './account.service.ts';

/** Account: a signed-in person changes their own password, ending their other sessions. */
export function createAccountModule(deps: AccountDeps): StewardModule {
  return defineModule({ name: 'account', routes: createAccountRoutes(deps) });
}
