import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  seedOrg,
  seedUser,
  signInSession,
  type SeededUser,
} from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
let admin: SeededUser;

beforeAll(async () => {
  t = await createTestApp({ STEWARD_BODY_LIMIT_BYTES: '2048' });
  admin = await seedUser(t, await seedOrg(t), 'admin');
});

afterAll(async () => {
  await t.close();
});

const validUser = {
  email: 'new.person@example.test',
  name: 'New Person',
  role: 'contributor',
  password: 'quiet-harbour-lamp-77',
};

interface ProblemBody {
  code: string;
  status: number;
  title: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

function problem(res: { json: () => unknown; headers: Record<string, unknown> }): ProblemBody {
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  return res.json() as ProblemBody;
}

describe('errors are RFC 9457 problems with stable codes', () => {
  it('malformed JSON → 400 request.malformed_json', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(res.statusCode).toBe(400);
    expect(problem(res).code).toBe('request.malformed_json');
  });

  it('unknown fields → 400 naming them', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(admin),
      payload: { ...validUser, isAdmin: true, colour: 'red' },
    });
    expect(res.statusCode).toBe(400);
    const body = problem(res);
    expect(body.code).toBe('request.invalid');
    expect(body.detail).toContain('isAdmin');
    expect(body.detail).toContain('colour');
  });

  it('invalid fields → 400 with the field path', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(admin),
      payload: { ...validUser, email: 'not-an-email', role: 'emperor' },
    });
    expect(res.statusCode).toBe(400);
    const paths = (problem(res).errors ?? []).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'role']));
  });

  it('wrong content type → 415', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...bearer(admin), 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(res.statusCode).toBe(415);
    expect(problem(res).code).toBe('request.unsupported_media_type');
  });

  it('too large → 413', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(admin),
      payload: { ...validUser, name: 'x'.repeat(5000) },
    });
    expect(res.statusCode).toBe(413);
    expect(problem(res).code).toBe('request.too_large');
  });

  it('unknown API route → 404', async () => {
    const res = await t.http.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(problem(res).code).toBe('route.not_found');
    const post = await t.http.inject({ method: 'POST', url: '/api/v1/nothing-here', payload: {} });
    expect(post.statusCode).toBe(404);
  });

  it('bad path parameter → 400, not 500', async () => {
    const res = await t.http.inject({
      method: 'GET',
      url: '/api/v1/users/not-a-uuid',
      headers: bearer(admin),
    });
    expect(res.statusCode).toBe(400);
    expect(problem(res).errors?.[0]?.path).toBe('params.id');
  });

  it('not signed in → 401; a malformed or unknown token → 401', async () => {
    for (const authorization of [undefined, 'Bearer stw_nope', 'Bearer', 'Basic abc']) {
      const res = await t.http.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: authorization ? { authorization } : {},
      });
      expect(res.statusCode, authorization).toBe(401);
      expect(problem(res).code).toBe('auth.unauthenticated');
    }
  });
});

describe('security headers and CSRF', () => {
  it('sets a strict CSP, no-sniff and frame denial', async () => {
    const res = await t.http.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.json()).toEqual({
      status: 'ok',
      database: 'ok',
      version: expect.any(String) as string,
    });
  });

  it('refuses cookie-authenticated writes without the CSRF token, and from another origin', async () => {
    const session = await signInSession(t, admin.email);
    const without = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: session.cookie },
      payload: validUser,
    });
    expect(without.statusCode).toBe(403);
    expect(problem(without).code).toBe('request.csrf_failed');
    const foreign = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: {
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        origin: 'https://evil.example',
      },
      payload: validUser,
    });
    expect(foreign.statusCode).toBe(403);
    const ok = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      payload: validUser,
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('serves the web UI shell for client-side routes with the same headers', async () => {
    const res = await t.http.inject({ method: 'GET', url: '/settings/users' });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toContain('text/html');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
  });
});

describe('health', () => {
  it('answers 503 with database down when PostgreSQL is unreachable', async () => {
    const { createApp } = await import('../../app.ts');
    const { openDatabasePools } = await import('../db/pools.ts');
    const pools = openDatabasePools({
      ownerUrl: 'postgres://nobody:x@127.0.0.1:1/none',
      poolSize: 1,
    });
    const down = await createApp({
      config: t.config,
      logger: t.http.log as never,
      pools,
      signer: t.signer,
    });
    try {
      const res = await down.http.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'degraded', database: 'down' });
    } finally {
      await down.http.close();
      await pools.close();
    }
  });
});

describe('rate limiting', () => {
  it('answers 429 with a problem once the sign-in limit is spent', async () => {
    const limited = await createTestApp({ STEWARD_AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const res = await limited.http.inject({
          method: 'POST',
          url: '/api/v1/auth/sign-in',
          payload: { email: 'nobody@example.test', password: 'wrong-password-here' },
        });
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses.slice(3)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });
});
