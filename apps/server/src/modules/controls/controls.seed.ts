import type { Tx } from '../../platform/db/pools.ts';
import { defaultControls } from '../frameworks/index.ts';
import * as checksRepo from './checks.repo.ts';
import * as repo from './controls.repo.ts';

/**
 * Insert the default controls of a new organisation with their requirement links (through the
 * built-in framework's requirement ids by ref) and their checks. Returns the id of each control
 * by ref; evidence tasks are seeded from the same catalogue by the tasks module.
 */
export async function seedDefaultControls(
  tx: Tx,
  orgId: string,
  requirementIds: ReadonlyMap<string, string>,
  ownerId: string | null,
): Promise<Map<string, string>> {
  if (defaultControls.length === 0) return new Map();
  const inserted = await tx
    .insertInto('controls')
    .values(
      defaultControls.map((c) => ({
        org_id: orgId,
        ref: c.ref,
        title: c.title,
        description: c.description,
        owner_id: ownerId,
        section: c.section,
        implementation_status: 'planned',
      })),
    )
    .returning(['id', 'ref'])
    .execute();
  const controlIds = new Map(inserted.map((r) => [r.ref, r.id]));
  const links: { controlId: string; requirementId: string }[] = [];
  const checks = new Map<string, { key: string; name: string; description: string }>();
  for (const control of defaultControls) {
    const controlId = controlIds.get(control.ref);
    if (controlId === undefined) continue;
    for (const ref of control.requirementRefs) {
      const requirementId = requirementIds.get(ref);
      if (requirementId !== undefined) links.push({ controlId, requirementId });
    }
    for (const check of control.checks) checks.set(check.key, check);
  }
  await repo.insertControlRequirements(tx, orgId, links);
  const checkIds = await checksRepo.upsertChecks(tx, orgId, [...checks.values()]);
  const checkLinks: { controlId: string; checkId: string }[] = [];
  for (const control of defaultControls) {
    const controlId = controlIds.get(control.ref);
    if (controlId === undefined) continue;
    for (const check of control.checks) {
      const checkId = checkIds.get(check.key);
      if (checkId !== undefined) checkLinks.push({ controlId, checkId });
    }
  }
  await repo.insertControlChecks(tx, orgId, checkLinks);
  return controlIds;
}
