import { endpoints, passkeyChallengeMinutes } from '@steward/contracts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import { mfaChallengeCookie, setSessionCookie } from './auth.routes.ts';
import * as service from './passkey-sign-in.service.ts';

/** Cookie binding a usernameless passkey challenge to the browser that asked for it. */
export const passkeyChallengeCookie = 'steward_passkey_pending';

const cookiePath = '/api/v1/auth';

/** HTTP routes for signing in with a passkey, first or second factor. */
export function createPasskeySignInRoutes(
  deps: service.PasskeySignInDeps & { isHttps: boolean },
): RouteDefinition[] {
  return [
    defineRoute(endpoints.passkeySignInOptions, async ({ actor, body, reply, request }) => {
      if (body.step === 'second_factor') {
        return service.startPasskeySecondFactor(deps, actor, request.cookies[mfaChallengeCookie]);
      }
      const { cookieValue, options } = await service.startPasskeySignIn(deps);
      reply.setCookie(passkeyChallengeCookie, cookieValue, {
        httpOnly: true,
        secure: deps.isHttps,
        sameSite: 'strict',
        path: cookiePath,
        maxAge: passkeyChallengeMinutes * 60,
      });
      return options;
    }),
    defineRoute(endpoints.passkeySignIn, async ({ actor, body, reply, request }) => {
      const session = await service.signInWithPasskey(
        deps,
        actor,
        request.cookies[passkeyChallengeCookie],
        body,
        () => request.log.warn({ ip: request.ip }, 'passkey sign-in with an unknown credential'),
      );
      reply.clearCookie(passkeyChallengeCookie, { path: cookiePath });
      setSessionCookie(reply, session, deps.isHttps);
      return session.me;
    }),
    defineRoute(endpoints.verifyMfaPasskey, async ({ actor, body, reply, request }) => {
      const session = await service.completeMfaWithPasskey(
        deps,
        actor,
        request.cookies[mfaChallengeCookie],
        body,
      );
      reply.clearCookie(mfaChallengeCookie, { path: cookiePath });
      setSessionCookie(reply, session, deps.isHttps);
      return session.me;
    }),
  ];
}
