import type {
  Asset,
  assetQuerySchema,
  createAssetSchema,
  updateAssetSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import * as repo from './assets.repo.ts';
import { findSlaPolicy, recomputeDueDates } from './sla-policy.repo.ts';

function toAsset(
  row: repo.AssetRow,
  counts: Record<string, number> | undefined,
  lastImportAt: Date | undefined,
): Asset {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as Asset['kind'],
    environment: row.environment as Asset['environment'],
    criticality: row.criticality as Asset['criticality'],
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    openFindings: {
      critical: counts?.critical ?? 0,
      high: counts?.high ?? 0,
      medium: counts?.medium ?? 0,
      low: counts?.low ?? 0,
      info: counts?.info ?? 0,
    },
    lastImportAt: lastImportAt?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

async function toAssets(tx: Tx, rows: readonly repo.AssetRow[]): Promise<Asset[]> {
  const ids = rows.map((r) => r.id);
  const [counts, lastImports] = await Promise.all([
    repo.countOpenFindings(tx, ids),
    repo.findLastImports(tx, ids),
  ]);
  return rows.map((row) => toAsset(row, counts.get(row.id), lastImports.get(row.id)));
}

async function readAsset(tx: Tx, id: string): Promise<Asset> {
  const row = await repo.findAsset(tx, id);
  if (!row) throw new AppError('asset.not_found');
  const [asset] = await toAssets(tx, [row]);
  if (!asset) throw new AppError('asset.not_found');
  return asset;
}

function nameTaken(name: string): AppError {
  const message = `Another asset is already called ${name}`;
  return new AppError('asset.name_taken', message, [{ path: 'name', message }]);
}

async function checkOwner(tx: Tx, ownerId: string | null | undefined): Promise<void> {
  if (ownerId === null || ownerId === undefined) return;
  if (!(await repo.isUserOfOrg(tx, ownerId))) {
    const message = 'No such person in this organisation';
    throw new AppError('request.invalid', message, [{ path: 'ownerId', message }]);
  }
}

/** Assets ordered by name, with their open findings. */
export async function listAssets(
  uow: UnitOfWork,
  query: z.output<typeof assetQuerySchema>,
): Promise<{ items: Asset[] }> {
  return uow.read(async (tx) => ({
    items: await toAssets(tx, await repo.findAssets(tx, query, query.limit)),
  }));
}

/** One asset. */
export async function getAsset(uow: UnitOfWork, id: string): Promise<Asset> {
  return uow.read((tx) => readAsset(tx, id));
}

/** Create an asset; its name must be free in the organisation. */
export async function createAsset(
  uow: UnitOfWork,
  input: z.output<typeof createAssetSchema>,
): Promise<Asset> {
  return uow.write(async ({ tx, audit }) => {
    await checkOwner(tx, input.ownerId);
    const id = await repo.insertAsset(tx, { orgId: uow.orgId, ...input });
    if (id === null) throw nameTaken(input.name);
    await audit({ action: 'asset.created', targetType: 'asset', targetId: id, changes: input });
    return readAsset(tx, id);
  });
}

/**
 * Change an asset. A new environment or criticality can shorten or lengthen the deadlines of its
 * findings, so their due dates are recomputed in the same transaction.
 */
export async function updateAsset(
  uow: UnitOfWork,
  id: string,
  input: z.output<typeof updateAssetSchema>,
): Promise<Asset> {
  try {
    return await uow.write(async ({ tx, audit }) => {
      const before = await repo.findAsset(tx, id);
      if (!before) throw new AppError('asset.not_found');
      await checkOwner(tx, input.ownerId);
      if (input.name !== undefined && input.name !== before.name) {
        const other = await repo.findAssetByName(tx, input.name);
        if (other) throw nameTaken(input.name);
      }
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const fields = [
        ['name', before.name, input.name],
        ['kind', before.kind, input.kind],
        ['environment', before.environment, input.environment],
        ['criticality', before.criticality, input.criticality],
        ['ownerId', before.owner_id, input.ownerId],
      ] as const;
      for (const [field, from, to] of fields) {
        if (to !== undefined && to !== from) changes[field] = { from, to };
      }
      await repo.updateAsset(tx, id, input);
      let dueDatesChanged = 0;
      if (changes.environment !== undefined || changes.criticality !== undefined) {
        dueDatesChanged = await recomputeDueDates(tx, await findSlaPolicy(tx), { assetId: id });
      }
      await audit({
        action: 'asset.updated',
        targetType: 'asset',
        targetId: id,
        changes: { ...changes, dueDatesChanged },
      });
      return readAsset(tx, id);
    });
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === '23505' && input.name !== undefined) throw nameTaken(input.name);
    throw error;
  }
}
