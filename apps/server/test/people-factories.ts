import { createUnitOfWork } from '../src/platform/audit/unit-of-work.ts';
import { createScimToken } from '../src/modules/scim/index.ts';
import { seedActor } from './factories.ts';
import type { TestApp } from './harness.ts';

/** A SCIM token of an identity provider connection: its id and the secret to send. */
export interface SeededScimToken {
  id: string;
  orgId: string;
  secret: string;
}

/** Create a SCIM token for an org through the real service. */
export async function seedScimToken(
  t: TestApp,
  orgId: string,
  name = 'Test IdP',
): Promise<SeededScimToken> {
  const uow = createUnitOfWork({
    db: t.pools.app,
    auditWriter: t.auditWriter,
    orgId,
    actor: seedActor,
  });
  const { token, secret } = await createScimToken(
    uow,
    { label: 'test-seed', userId: null },
    { name },
  );
  return { id: token.id, orgId, secret };
}

/** Headers of a SCIM request with a token, sent as `application/scim+json`. */
export function scimHeaders(token: { secret: string }): Record<string, string> {
  return {
    authorization: `Bearer ${token.secret}`,
    'content-type': 'application/scim+json',
  };
}

/** A minimal SCIM user body. */
export function scimUser(
  userName: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    active: true,
    ...extra,
  };
}
