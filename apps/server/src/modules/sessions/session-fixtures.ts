import { bearer, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import type { TestApp } from '../../../test/harness.ts';

/** An organisation with one owner, one admin and one contributor. */
export interface RoleTrio {
  orgId: string;
  owner: SeededUser;
  admin: SeededUser;
  contributor: SeededUser;
}

/** Seed an organisation with an owner, an admin and a contributor. */
export async function seedRoleTrio(t: TestApp, orgName: string): Promise<RoleTrio> {
  const orgId = await seedOrg(t, orgName);
  const owner = await seedUser(t, orgId, 'owner');
  const admin = await seedUser(t, orgId, 'admin');
  const contributor = await seedUser(t, orgId, 'contributor');
  return { orgId, owner, admin, contributor };
}

/** Let every role sign in with a password alone (no MFA), with a 60-minute idle and 12-hour limit. */
export async function allowPasswordOnlySessions(t: TestApp, owner: SeededUser): Promise<void> {
  const policy = await t.http.inject({
    method: 'PUT',
    url: '/api/v1/org/security-policy',
    headers: bearer(owner),
    payload: {
      mfaRequiredRoles: [],
      sessionIdleMinutes: 60,
      sessionMaxHours: 12,
      allowedSignInMethods: ['password'],
    },
  });
  if (policy.statusCode !== 200) throw new Error(`policy not saved: ${policy.body}`);
}
