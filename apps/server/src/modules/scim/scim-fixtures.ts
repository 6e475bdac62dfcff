import type { TestApp } from '../../../test/harness.ts';
import { scimHeaders, type SeededScimToken } from '../../../test/people-factories.ts';

/** The HTTP methods a SCIM client uses. */
export type ScimMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A SCIM ListResponse (RFC 7644 §3.4.2). */
export interface ScimListResponse {
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: Record<string, unknown>[];
}

/** Send a SCIM request under /scim/v2 as the token's identity provider, the body as SCIM JSON. */
export function sendScim(
  t: TestApp,
  token: SeededScimToken,
  method: ScimMethod,
  url: string,
  body?: unknown,
) {
  return t.http.inject({
    method,
    url: `/scim/v2${url}`,
    headers: scimHeaders(token),
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

/** The person ids of a group's members, sorted, as stored. */
export async function findGroupMemberIds(t: TestApp, groupId: string): Promise<string[]> {
  const rows = await t.pools.owner
    .selectFrom('scim_group_members')
    .select('person_id')
    .where('group_id', '=', groupId)
    .execute();
  return rows.map((r) => r.person_id).sort();
}
