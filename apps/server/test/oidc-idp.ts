import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person the test identity provider knows. */
export interface IdpAccount {
  email: string;
  email_verified: boolean;
  name: string;
}

/**
 * A real OpenID provider (`oidc-provider`) on 127.0.0.1. Logins complete without interaction as
 * `nextLogin`, or, with `loginForm`, through an HTML form a browser fills in with an email.
 */
export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, IdpAccount>;
  /** Who the next authorization logs in as, and what the IdP says about how. */
  nextLogin: { accountId: string; amr?: string[]; acr?: string };
  /** Lifetime of issued id tokens in seconds; negative issues already expired tokens. */
  idTokenTtlSeconds: number;
  /** Follow the IdP's redirects (with its cookies) until it sends the browser to `redirectUri`. */
  authorize(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
}

/** Start the identity provider with one confidential client for `redirectUri`. */
export async function startTestIdp(
  redirectUri: string,
  options: { loginForm?: boolean } = {},
): Promise<TestIdp> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const idp: TestIdp = {
    issuer,
    clientId: 'steward-test',
    clientSecret: randomBytes(24).toString('base64url'),
    accounts: new Map(),
    nextLogin: { accountId: '' },
    idTokenTtlSeconds: 300,
    authorize: (url) => followRedirects(url, redirectUri),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    acrValues: ['urn:test:loa:1', 'urn:test:loa:2'],
    claims: {
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    ttl: {
      IdToken: () => idp.idTokenTtlSeconds,
      AccessToken: 300,
      AuthorizationCode: 60,
      Grant: 600,
      Interaction: 600,
      Session: 600,
    },
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(16).toString('hex')] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { methods: ['S256'], required: () => true },
    findAccount: (_ctx, sub) => {
      const account = idp.accounts.get(sub);
      return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
    },
  });
  const callback = provider.callback();
  async function finishLogin(req: http.IncomingMessage, res: http.ServerResponse, sub: string) {
    const login = idp.nextLogin;
    const grant = new provider.Grant({ accountId: sub, clientId: idp.clientId });
    grant.addOIDCScope('openid email profile');
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: sub, amr: login.amr, acr: login.acr }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  async function interact(req: http.IncomingMessage, res: http.ServerResponse) {
    const { uid } = await provider.interactionDetails(req, res);
    if (!options.loginForm) {
      await finishLogin(req, res, idp.nextLogin.accountId);
      return;
    }
    if (req.method !== 'POST') {
      sendLoginPage(res, uid, null);
      return;
    }
    const email = new URLSearchParams(await readBody(req)).get('email')?.trim().toLowerCase();
    const sub = [...idp.accounts].find(([, account]) => account.email === email)?.[0];
    if (!sub) {
      sendLoginPage(res, uid, 'Unknown account');
      return;
    }
    await finishLogin(req, res, sub);
  }

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) {
      void callback(req, res);
      return;
    }
    interact(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  return idp;
}

async function followRedirects(start: string, redirectUri: string): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = new URL(start);
  for (let hop = 0; hop < 10; hop += 1) {
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`IdP answered ${res.status}: ${await res.text()}`);
    url = new URL(location, url);
    if (url.href.startsWith(redirectUri)) return url;
  }
  throw new Error('too many redirects at the IdP');
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function sendLoginPage(res: http.ServerResponse, uid: string, error: string | null) {
  res.statusCode = error ? 401 : 200;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test IdP sign-in</title></head>
<body><main><h1>Test IdP</h1>${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${encodeURIComponent(uid)}">
<label>IdP email <input name="email" type="email" autocomplete="username"></label>
<button type="submit">Sign in at the IdP</button>
</form></main></body></html>`);
}
