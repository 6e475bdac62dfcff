import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createLockoutRoutes, type LockoutRouteDeps } from './lockout.routes.ts';

export { confirmPassword } from './confirm-password.ts';
export {
  accountFailureLimit,
  accountLockedUntil,
  assertIpAllowed,
  clearAccountFailures,
  lockMinutes,
  recordAccountFailure,
  recordIpFailure,
  type FailureKind,
} from './lockout.service.ts';

/** Lockout: per-account and per-IP failure counters with growing locks, liftable by admins. */
export function createLockoutModule(deps: LockoutRouteDeps): StewardModule {
  return defineModule({ name: 'lockout', routes: createLockoutRoutes(deps) });
}
