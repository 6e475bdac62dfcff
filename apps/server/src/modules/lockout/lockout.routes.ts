import { endpoints } from '@steward/contracts';
import type { Tx } from '../../platform/db/pools.ts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import * as service from './lockout.service.ts';

/** What the lockout routes need to know about MFA (given by the composition root). */
export interface LockoutRouteDeps {
  mfaEnabledUserIds: (tx: Tx) => Promise<Set<string>>;
  isMfaEnabled: (tx: Tx, userId: string) => Promise<boolean>;
}

/** HTTP routes of the lockout module. */
export function createLockoutRoutes(deps: LockoutRouteDeps): RouteDefinition[] {
  return [
    defineRoute(endpoints.listUserSecurity, async ({ uow }) => ({
      items: await service.listUserSecurity(uow, deps.mfaEnabledUserIds),
    })),
    defineRoute(endpoints.unlockUser, ({ uow, params }) =>
      service.unlockUser(uow, params.id, deps.isMfaEnabled),
    ),
  ];
}
