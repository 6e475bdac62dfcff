import {
  endpoints,
  isPublicAccess,
  isScimAccess,
  roleHasPermission,
  roles,
  type Endpoint,
  type Role,
} from '@steward/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, type SeededUser } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

let t: TestApp;
const users = new Map<Role, SeededUser>();

beforeAll(async () => {
  t = await createTestApp();
  const orgId = await seedOrg(t);
  for (const role of roles) users.set(role, await seedUser(t, orgId, role));
});

afterAll(async () => {
  await t.close();
});

function isExpectedAllowed(e: Endpoint, role: Role): boolean {
  if (isPublicAccess(e.access) || e.access === 'authenticated') return true;
  if (isScimAccess(e.access)) return false;
  return roleHasPermission(role, e.access);
}

const absentId = '00000000-0000-4000-8000-000000000000';
const catalogue: Record<string, Endpoint> = endpoints;
const cases = Object.entries(catalogue).flatMap(([name, e]) =>
  roles.map((role) => ({ name, e, role })),
);

describe('authorization matrix: every endpoint × every role', () => {
  it.each(cases)('$name as $role', async ({ e, role }) => {
    const user = users.get(role);
    if (!user) throw new Error(`no seeded ${role}`);
    const res = await t.http.inject({
      method: e.method,
      url: e.path.replace(':id', absentId),
      headers: bearer(user),
      ...(e.body ? { payload: {} } : {}),
    });
    if (isScimAccess(e.access)) {
      // SCIM routes take an identity provider's SCIM token only: a user's credential is none.
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json<{ status: string }>().status).toBe('401');
      return;
    }
    const expected = isExpectedAllowed(e, role);
    if (expected) {
      expect(res.statusCode, res.body).not.toBe(403);
      expect(res.statusCode, res.body).not.toBe(401);
      expect(res.statusCode, res.body).toBeLessThan(500);
    } else {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json<{ code: string }>().code).toBe('auth.forbidden');
    }
  });
});
