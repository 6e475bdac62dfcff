import type { Tx } from './pools.ts';

/** A user as a record names them. */
export interface UserRef {
  id: string;
  name: string;
  email: string;
}

/** Users of the org by id; ids may repeat, and null (a record naming nobody) is passed over. */
export async function findUserRefs(
  tx: Tx,
  ids: readonly (string | null)[],
): Promise<Map<string, UserRef>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await tx
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}
