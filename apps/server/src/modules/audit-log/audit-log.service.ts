import type { AuditEvent, auditEventQuerySchema } from '@steward/contracts';
import type { z } from 'zod';
import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { withOrg } from '../../platform/db/pools.ts';
import { markSharedResponse } from '../../platform/http/serializer.ts';
import * as repo from './audit-log.repo.ts';

/** A page of the audit log. */
export interface AuditEventPage {
  items: AuditEvent[];
  nextBefore: number | null;
}

/**
 * Pages already read, by org, head of the org's chain and query. The log only grows by appends,
 * and every append moves the head in its transaction: a page read at or after a head is the
 * page of that head until the head moves. Keep one per module instance; pages are shared
 * between callers and never mutated.
 */
export interface AuditPageMemo {
  get(key: string): AuditEventPage | undefined;
  set(key: string, page: AuditEventPage): void;
}

/** A memo of audit pages holding at most `maxEntries` pages (the oldest stored go first). */
export function createAuditPageMemo(maxEntries = 32): AuditPageMemo {
  const pages = new Map<string, AuditEventPage>();
  return {
    get: (key) => pages.get(key),
    set(key, page) {
      markSharedResponse(page);
      pages.delete(key);
      pages.set(key, page);
      for (const oldest of pages.keys()) {
        if (pages.size <= maxEntries) break;
        pages.delete(oldest);
      }
    },
  };
}

/** Search the org's audit log with keyset pagination. */
export async function searchAuditLog(
  uow: UnitOfWork,
  query: z.output<typeof auditEventQuerySchema>,
  memo?: AuditPageMemo,
): Promise<AuditEventPage> {
  // Each read is one statement, travelling with its transaction's BEGIN and COMMIT in one round
  // trip. The head is read first, so a page read after it is at least as new as that head. Only
  // first pages are kept: they are the ones read again and again (a dashboard, a refreshed log),
  // while the pages behind them are read once each by someone paging through, and reading the
  // head for them would cost a round trip for nothing.
  const keep = query.before === undefined ? memo : undefined;
  const [head] = keep ? await uow.readQuery(repo.auditHeadQuery(uow.orgId)) : [];
  const key = head ? `${uow.orgId}\n${head.seq}\n${JSON.stringify(query)}` : undefined;
  const kept = key === undefined ? undefined : keep?.get(key);
  if (kept) return kept;
  const rows = await uow.readArrays(repo.auditSearchQuery(uow.orgId, query));
  const items = rows.slice(0, query.limit).map(repo.toAuditEvent);
  const last = items.at(-1);
  const page = { items, nextBefore: rows.length > query.limit && last ? last.seq : null };
  if (key !== undefined) keep?.set(key, page);
  return page;
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
