import type { auditEventQuerySchema } from '@steward/contracts';
import type { z } from 'zod';
import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { withOrg } from '../../platform/db/pools.ts';
import * as repo from './audit-log.repo.ts';

/** Search the org's audit log with keyset pagination. */
export async function searchAuditLog(
  uow: UnitOfWork,
  query: z.output<typeof auditEventQuerySchema>,
) {
  // One statement: it travels with the transaction's BEGIN and COMMIT in one round trip.
  const rows = await uow.readQuery(repo.auditSearchQuery(uow.orgId, query));
  const items = rows.slice(0, query.limit).map((row) => row.event);
  const last = items.at(-1);
  return { items, nextBefore: rows.length > query.limit && last ? last.seq : null };
}

/** Sign a checkpoint for every org whose log grew since its last one; returns how many. */
export async function signDueCheckpoints(db: Db, auditWriter: AuditWriter): Promise<number> {
  const orgIds = await db.transaction().execute((tx) => repo.listOrgsDueForCheckpoint(tx));
  let written = 0;
  for (const orgId of orgIds) {
    const result = await withOrg(db, orgId, (tx) => auditWriter.writeCheckpoint(tx, orgId));
    if (result) written += 1;
  }
  return written;
}
