import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createInvitationsRoutes } from './invitations.routes.ts';
import type { InvitationsDeps } from './invitations.service.ts';

/** What the invitations module needs. */
export type { InvitationsDeps } from './invitations.service.ts';

/** Invitations: admins invite people by email; the invitee chooses a password and is signed in. */
export function createInvitationsModule(
  deps: InvitationsDeps & { isHttps: boolean },
): StewardModule {
  return defineModule({ name: 'invitations', routes: createInvitationsRoutes(deps) });
}
