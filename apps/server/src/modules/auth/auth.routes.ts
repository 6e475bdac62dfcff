import { endpoints } from '@steward/contracts';
import type { FastifyReply } from 'fastify';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import * as service from './auth.service.ts';
import { sessionCookie } from './authenticator.ts';
import { createMeReader } from './me-answers.ts';
import * as signIn from './sign-in.service.ts';

/** Name of the cookie that carries a pending sign-in to the MFA step (never a session). */
export const mfaChallengeCookie = 'steward_mfa_pending';

/** Hand a new session to the browser as an HttpOnly, SameSite=Lax cookie. */
export function setSessionCookie(
  reply: FastifyReply,
  session: service.NewSession,
  isHttps: boolean,
): void {
  reply.setCookie(sessionCookie, session.cookieValue, {
    httpOnly: true,
    secure: isHttps,
    sameSite: 'lax',
    path: '/',
    expires: session.expiresAt,
  });
}

/** HTTP routes of the auth module. */
export function createAuthRoutes(deps: service.AuthDeps & { isHttps: boolean }): RouteDefinition[] {
  const readMe = createMeReader(deps.db);
  return [
    defineRoute(endpoints.setupStatus, async () => ({ isSetUp: await service.isSetUp(deps) })),
    defineRoute(endpoints.setup, async ({ actor, body, reply }) => {
      const result = await service.setUp(deps, actor, body, { openSession: true });
      if (result.session) setSessionCookie(reply, result.session, deps.isHttps);
      return result.me;
    }),
    defineRoute(endpoints.signIn, async ({ actor, body, reply, request }) => {
      const outcome = await signIn.signIn(deps, actor, body, () =>
        request.log.warn({ ip: request.ip }, 'sign-in attempt for an unknown account'),
      );
      if (outcome.kind === 'mfa') {
        reply.setCookie(mfaChallengeCookie, outcome.cookieValue, {
          httpOnly: true,
          secure: deps.isHttps,
          sameSite: 'strict',
          path: '/api/v1/auth',
          expires: outcome.expiresAt,
        });
        return outcome.result;
      }
      setSessionCookie(reply, outcome.session, deps.isHttps);
      return outcome.session.me;
    }),
    defineRoute(endpoints.verifyMfa, async ({ actor, body, reply, request }) => {
      const session = await signIn.completeMfaSignIn(
        deps,
        actor,
        request.cookies[mfaChallengeCookie],
        body,
      );
      reply.clearCookie(mfaChallengeCookie, { path: '/api/v1/auth' });
      setSessionCookie(reply, session, deps.isHttps);
      return session.me;
    }),
    defineRoute(endpoints.signOut, async ({ uow, identity, reply }) => {
      await service.signOut(uow, identity);
      reply.clearCookie(sessionCookie, { path: '/' });
      return { ok: true as const };
    }),
    defineRoute(endpoints.me, ({ uow, identity }) => readMe(uow, identity)),
  ];
}
