import { sql } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';

/** An asset row with its owner's name. */
export interface AssetRow {
  id: string;
  name: string;
  kind: string;
  environment: string;
  criticality: string;
  owner_id: string | null;
  owner_name: string | null;
  created_at: Date;
  updated_at: Date;
}

function selectAssets(tx: Tx) {
  return tx
    .selectFrom('assets as a')
    .leftJoin('users as u', 'u.id', 'a.owner_id')
    .select([
      'a.id',
      'a.name',
      'a.kind',
      'a.environment',
      'a.criticality',
      'a.owner_id',
      'u.name as owner_name',
      'a.created_at',
      'a.updated_at',
    ]);
}

/** Assets by name, optionally filtered. */
export async function findAssets(
  tx: Tx,
  filter: { q?: string | undefined; kind?: string | undefined; environment?: string | undefined },
  limit: number,
): Promise<AssetRow[]> {
  let query = selectAssets(tx).orderBy('a.name').limit(limit);
  if (filter.q !== undefined && filter.q !== '') {
    query = query.where('a.name', 'ilike', `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (filter.kind !== undefined) query = query.where('a.kind', '=', filter.kind);
  if (filter.environment !== undefined) {
    query = query.where('a.environment', '=', filter.environment);
  }
  return query.execute();
}

/** One asset by id. */
export async function findAsset(tx: Tx, id: string): Promise<AssetRow | undefined> {
  return selectAssets(tx).where('a.id', '=', id).executeTakeFirst();
}

/** One asset by name, locked for the rest of the transaction when asked (imports serialise on it). */
export async function findAssetByName(
  tx: Tx,
  name: string,
  options: { forUpdate?: boolean } = {},
): Promise<AssetRow | undefined> {
  let query = selectAssets(tx).where('a.name', '=', name);
  if (options.forUpdate) query = query.forUpdate('a');
  return query.executeTakeFirst();
}

/** The values of a new asset. */
export interface NewAsset {
  orgId: string;
  name: string;
  kind: string;
  environment: string;
  criticality: string;
  ownerId: string | null;
}

/** Insert an asset unless one has the name already; returns its id, or null when it existed. */
export async function insertAsset(tx: Tx, values: NewAsset): Promise<string | null> {
  const row = await tx
    .insertInto('assets')
    .values({
      org_id: values.orgId,
      name: values.name,
      kind: values.kind,
      environment: values.environment,
      criticality: values.criticality,
      owner_id: values.ownerId,
    })
    .onConflict((oc) => oc.columns(['org_id', 'name']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Change an asset's fields. */
export async function updateAsset(
  tx: Tx,
  id: string,
  values: Partial<Omit<NewAsset, 'orgId'>>,
): Promise<void> {
  await tx
    .updateTable('assets')
    .set({
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(values.kind !== undefined ? { kind: values.kind } : {}),
      ...(values.environment !== undefined ? { environment: values.environment } : {}),
      ...(values.criticality !== undefined ? { criticality: values.criticality } : {}),
      ...(values.ownerId !== undefined ? { owner_id: values.ownerId } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Whether a user of the org exists (owners must be people of the org). */
export async function isUserOfOrg(tx: Tx, userId: string): Promise<boolean> {
  const row = await tx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** Open findings per asset and severity; a duplicate of another tool's finding counts through it. */
export async function countOpenFindings(
  tx: Tx,
  assetIds: readonly string[],
): Promise<Map<string, Record<string, number>>> {
  const counts = new Map<string, Record<string, number>>();
  if (assetIds.length === 0) return counts;
  const rows = await sql<{ asset_id: string; severity: string; n: string }>`
    SELECT f.asset_id, f.severity, count(*) AS n
      FROM findings f
     WHERE f.asset_id = ANY (${assetIds}::uuid[]) AND f.state = 'open'
       AND f.canonical_id IS NULL
     GROUP BY f.asset_id, f.severity`.execute(tx);
  for (const row of rows.rows) {
    const entry = counts.get(row.asset_id) ?? {};
    entry[row.severity] = Number(row.n);
    counts.set(row.asset_id, entry);
  }
  return counts;
}

/** When each asset last had a completed import. */
export async function findLastImports(
  tx: Tx,
  assetIds: readonly string[],
): Promise<Map<string, Date>> {
  if (assetIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('scan_imports')
    .select(['asset_id', (eb) => eb.fn.max('finished_at').as('last')])
    .where('asset_id', 'in', assetIds)
    .where('status', '=', 'completed')
    .groupBy('asset_id')
    .execute();
  return new Map(rows.map((r) => [r.asset_id, r.last]));
}
