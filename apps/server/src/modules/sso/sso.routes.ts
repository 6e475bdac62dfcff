import { endpoints } from '@steward/contracts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import { isAppError } from '../../platform/errors/app-error.ts';
import { mfaChallengeCookie, setSessionCookie } from '../auth/index.ts';
import * as signIn from './sso-sign-in.service.ts';
import * as service from './sso.service.ts';

/** Cookie binding an SSO sign-in to the browser that started it. */
export const ssoBrowserCookie = 'steward_sso';
const ssoCookiePath = '/api/v1/auth/sso';

/** HTTP routes of the SSO module. */
export function createSsoRoutes(
  deps: signIn.SsoSignInDeps & { isHttps: boolean },
): RouteDefinition[] {
  return [
    defineRoute(endpoints.getSsoConfig, ({ uow }) => service.getSsoConfig(uow, deps)),
    defineRoute(endpoints.updateSsoConfig, ({ uow, body }) =>
      service.updateSsoConfig(uow, deps, body),
    ),
    defineRoute(endpoints.removeSsoConfig, ({ uow }) => service.removeSsoConfig(uow, deps)),
    defineRoute(endpoints.startSso, async ({ actor, body, reply }) => {
      const started = await signIn.startSsoSignIn(deps, actor, body);
      reply.setCookie(ssoBrowserCookie, started.browserValue, {
        httpOnly: true,
        secure: deps.isHttps,
        // Lax: the IdP brings the browser back with a top-level GET from its own site.
        sameSite: 'lax',
        path: ssoCookiePath,
        expires: started.expiresAt,
      });
      return { authorizationUrl: started.authorizationUrl };
    }),
    defineRoute(endpoints.ssoCallback, async ({ actor, query, reply, request }) => {
      let location = '/';
      try {
        const outcome = await signIn.completeSsoSignIn(
          deps,
          actor,
          query,
          request.cookies[ssoBrowserCookie],
        );
        if (outcome.kind === 'mfa') {
          reply.setCookie(mfaChallengeCookie, outcome.cookieValue, {
            httpOnly: true,
            secure: deps.isHttps,
            sameSite: 'lax',
            path: '/api/v1/auth',
            expires: outcome.expiresAt,
          });
          location = '/sign-in/mfa';
        } else {
          setSessionCookie(reply, outcome.session, deps.isHttps);
        }
      } catch (error) {
        // The browser arrives here from the IdP: answer every refusal with a page, not JSON.
        const code =
          error instanceof signIn.SsoRefusal || isAppError(error) ? error.code : 'internal';
        if (code === 'internal') request.log.error({ err: error }, 'SSO callback failed');
        else request.log.warn({ code }, 'SSO sign-in refused');
        location = `/sign-in?sso_error=${encodeURIComponent(code)}`;
      }
      reply.clearCookie(ssoBrowserCookie, { path: ssoCookiePath });
      reply.status(302).header('location', location);
      return { location };
    }),
  ];
}
