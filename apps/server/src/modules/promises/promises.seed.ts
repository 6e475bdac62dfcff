import { createHash } from 'node:crypto';
import type { Tx } from '../../platform/db/pools.ts';
import { annexRequirements, annexSections, renderDefaultAnnex } from '../frameworks/index.ts';
import * as repo from './promises.repo.ts';

/** Name of the annex every org starts with. */
export const defaultAnnexName = 'Security measures annex (Steward default)';

/**
 * Insert the default annex of a new org: one promise per built-in requirement, mapped to and
 * confirmed on the controls that satisfy it (`controlIdsByRequirementRef`: requirement ref such
 * as `2.3` to control ids). A handful of statements whatever the size.
 */
export async function seedDefaultAnnex(
  tx: Tx,
  orgId: string,
  controlIdsByRequirementRef: ReadonlyMap<string, readonly string[]>,
): Promise<void> {
  const content = renderDefaultAnnex();
  const annex = await repo.insertAnnex(tx, {
    orgId,
    name: defaultAnnexName,
    source: 'default',
    fileName: null,
    sha256: createHash('sha256').update(content, 'utf8').digest('hex'),
    content,
    isDefault: true,
  });
  const lines = content.split('\n');
  const sectionTitles = new Map(annexSections.map((s) => [s.number, s.title]));
  const ids = await repo.insertPromises(
    tx,
    orgId,
    annex.id,
    annexRequirements.map((r) => {
      const index = lines.indexOf(`- ${r.text}`);
      return {
        ref: r.ref,
        sectionNumber: r.section,
        sectionTitle: sectionTitles.get(r.section) ?? '',
        body: r.text,
        line: index === -1 ? null : index + 1,
        isMappingConfirmed: true,
      };
    }),
  );
  const links: { promiseId: string; controlId: string; score: number; isConfirmed: boolean }[] = [];
  for (const [ref, promiseId] of ids) {
    for (const controlId of new Set(controlIdsByRequirementRef.get(ref) ?? [])) {
      // Mapped by design rather than by ranking: the strongest score there is.
      links.push({ promiseId, controlId, score: 1, isConfirmed: true });
    }
  }
  await repo.insertPromiseControls(tx, orgId, links);
}
