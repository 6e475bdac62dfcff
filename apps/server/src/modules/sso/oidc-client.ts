import * as client from 'openid-client';
import { AppError } from '../../platform/errors/app-error.ts';

/** What Steward needs to talk to one org's identity provider. */
export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** The verified outcome of a code exchange: the id token's claims. */
export interface VerifiedIdToken {
  sub: string;
  email: string | null;
  isEmailVerified: boolean;
  name: string | null;
  amr: string[];
  acr: string | null;
}

const cacheMs = 5 * 60_000;
const timeoutSeconds = 10;
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why a code exchange failed, for the audit log (never a token or secret). */
export class OidcVerificationError extends Error {}

/** Discovery and the code exchange with openid-client, one cached configuration per org. */
export function createOidcClient() {
  const cache = new Map<string, { at: number; config: Promise<client.Configuration> }>();

  async function discover(settings: OidcClientSettings): Promise<client.Configuration> {
    const issuer = new URL(settings.issuer);
    // Plain http only for an IdP on this machine (development, tests); everything else is https.
    const isInsecureAllowed = issuer.protocol === 'http:' && loopbackHosts.has(issuer.hostname);
    if (issuer.protocol !== 'https:' && !isInsecureAllowed) {
      throw new AppError('sso.discovery_failed', 'The issuer must use https', [
        { path: 'issuer', message: 'Use an https:// issuer URL' },
      ]);
    }
    try {
      return await client.discovery(
        issuer,
        settings.clientId,
        { id_token_signed_response_alg: 'RS256' },
        client.ClientSecretBasic(settings.clientSecret),
        {
          timeout: timeoutSeconds,
          // Deprecated only as a warning sign; it is limited to loopback issuers above.
          // eslint-disable-next-line @typescript-eslint/no-deprecated
          ...(isInsecureAllowed ? { execute: [client.allowInsecureRequests] } : {}),
        },
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unknown error';
      throw new AppError('sso.discovery_failed', `Discovery at ${issuer.href} failed: ${reason}`, [
        { path: 'issuer', message: 'No OpenID provider answers at this issuer URL' },
      ]);
    }
  }

  function configurationFor(
    orgId: string,
    version: string,
    settings: OidcClientSettings,
  ): Promise<client.Configuration> {
    const key = `${orgId}:${version}`;
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < cacheMs) return hit.config;
    const config = discover(settings);
    cache.set(key, { at: Date.now(), config });
    config.catch(() => cache.delete(key));
    return config;
  }

  return {
    /** Check that the issuer answers discovery (used when an owner saves the configuration). */
    async check(settings: OidcClientSettings): Promise<void> {
      await discover(settings);
    },

    /** The URL that sends the browser to the IdP, with PKCE (S256), state and nonce. */
    async authorizationUrl(
      org: { id: string; version: string; settings: OidcClientSettings },
      request: { redirectUri: string; state: string; nonce: string; codeVerifier: string },
    ): Promise<string> {
      const config = await configurationFor(org.id, org.version, org.settings);
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: request.redirectUri,
        scope: 'openid email profile',
        state: request.state,
        nonce: request.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(request.codeVerifier),
        code_challenge_method: 'S256',
      });
      return url.href;
    },

    /** Exchange the code and validate the id token (signature, issuer, audience, expiry, nonce). */
    async exchange(
      org: { id: string; version: string; settings: OidcClientSettings },
      callbackUrl: URL,
      checks: { state: string; nonce: string; codeVerifier: string },
    ): Promise<VerifiedIdToken> {
      const config = await configurationFor(org.id, org.version, org.settings);
      let claims: client.IDToken | undefined;
      try {
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          pkceCodeVerifier: checks.codeVerifier,
          idTokenExpected: true,
        });
        claims = tokens.claims();
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const message = error instanceof Error ? error.message : 'unknown error';
        throw new OidcVerificationError(typeof code === 'string' ? `${code}: ${message}` : message);
      }
      if (!claims) throw new OidcVerificationError('no id token');
      return {
        sub: claims.sub,
        email: typeof claims.email === 'string' ? claims.email.toLowerCase() : null,
        isEmailVerified: claims.email_verified === true,
        name: typeof claims.name === 'string' ? claims.name : null,
        amr: Array.isArray(claims.amr) ? claims.amr.filter((v) => typeof v === 'string') : [],
        acr: typeof claims.acr === 'string' ? claims.acr : null,
      };
    },
  };
}

/** The OIDC client Steward uses. */
export type OidcClient = ReturnType<typeof createOidcClient>;
