import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createMfaRoutes } from './mfa.routes.ts';
import type { MfaDeps } from './mfa.service.ts';

export {
  isTotpEnabled,
  mfaEnabledUserIds,
  totpPurpose,
  verifySecondFactor,
} from './mfa.service.ts';
export type { MfaDeps } from './mfa.service.ts';
export { totpCodeAt } from './totp.ts';

/** MFA: TOTP enrolment and removal, recovery codes (the sign-in step is in auth). */
export function createMfaModule(deps: MfaDeps): StewardModule {
  return defineModule({ name: 'mfa', routes: createMfaRoutes(deps) });
}
