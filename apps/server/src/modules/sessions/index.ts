import { defineModule } from '../../platform/module.ts';
import { sessionsRoutes } from './sessions.routes.ts';

/** Revoke every session of a user inside the caller's transaction, sparing `exceptId`; returns how many. */
export { revokeUserSessions } from './sessions.repo.ts';

/** Sessions: people list and sign out their own sign-in sessions. */
export const sessionsModule = defineModule({ name: 'sessions', routes: sessionsRoutes });
