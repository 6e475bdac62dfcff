import {
  auditActions,
  endpoints,
  isPublicAccess,
  isScimAccess,
  permissions,
  scimBasePath,
} from '@steward/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../src/platform/http/server.ts';
import { createTestApp, type TestApp } from './harness.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

describe('route registry', () => {
  it('declares access for every route, and an audit event or a reason for every write', () => {
    const routes = listRoutes(t.http);
    expect(routes.length).toBeGreaterThan(Object.keys(endpoints).length);
    const problems: string[] = [];
    for (const route of routes) {
      const name = `${route.method} ${route.url}`;
      const d = route.declaration;
      if (!d) {
        problems.push(`${name}: no access declaration`);
        continue;
      }
      if (isPublicAccess(d.access)) {
        if (d.access.public.trim().length < 10) problems.push(`${name}: public without a reason`);
      } else if (
        d.access !== 'authenticated' &&
        !isScimAccess(d.access) &&
        !permissions.includes(d.access)
      ) {
        problems.push(`${name}: unknown permission ${d.access}`);
      }
      const isWrite = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
      if (isWrite) {
        if (!d.audit) problems.push(`${name}: writes without an audit declaration`);
        else if (typeof d.audit === 'string' && !auditActions.includes(d.audit)) {
          problems.push(`${name}: unknown audit action ${d.audit}`);
        } else if (typeof d.audit === 'object' && d.audit.none.trim().length < 10) {
          problems.push(`${name}: audit: none without a reason`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('registers every endpoint of the contracts exactly once', () => {
    const registered = new Set(listRoutes(t.http).map((r) => `${r.method} ${r.url}`));
    for (const e of Object.values(endpoints)) {
      expect(registered.has(`${e.method} ${e.path}`), `${e.method} ${e.path}`).toBe(true);
    }
  });

  it('answers 401 to unauthenticated calls on every non-public route of the OpenAPI document', async () => {
    const res = await t.http.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    let checked = 0;
    for (const [openApiPath, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (Array.isArray(operation.security) && operation.security.length === 0) continue;
        const url = openApiPath.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const call = await t.http.inject({ method: method.toUpperCase() as 'GET', url });
        expect(call.statusCode, `${method} ${openApiPath}`).toBe(401);
        // SCIM routes answer in the SCIM error format identity providers read.
        if (openApiPath.startsWith(scimBasePath)) {
          expect(call.json<{ status: string }>().status).toBe('401');
        } else {
          expect(call.json<{ code: string }>().code).toBe('auth.unauthenticated');
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('serves the API documentation', async () => {
    const res = await t.http.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(res.statusCode);
  });
});
