import { createHash, randomBytes } from 'node:crypto';
import { executePrepared, type Tx } from '../db/pools.ts';
import { markSharedResponse } from '../http/serializer.ts';
import type { UnitOfWork } from './unit-of-work.ts';

/** What a memoised read answers: the value (absent when the caller's copy is current) and its tag. */
export interface MemoisedRead<T> {
  /** An HTTP entity tag naming this value; it changes whenever the org changes. */
  etag: string;
  /** The value; undefined when `ifNoneMatch` named the current tag (the caller's copy is current). */
  value: T | undefined;
}

/** Values read from an org's data, reused until the org next changes. */
export interface OrgReadMemo<T> {
  /**
   * The value for `key` in the caller's org: computed in a read of the org unless computed since
   * the org's last write. `key` must name everything besides the org's rows that the value
   * depends on (query, day).
   */
  read(
    uow: UnitOfWork,
    key: string,
    ifNoneMatch: string | undefined,
    compute: (tx: Tx) => Promise<T>,
  ): Promise<MemoisedRead<T>>;
}

/** The sequence number of the org's audit chain head (RLS scopes the read to the org). */
async function readAuditSeq(tx: Tx, orgId: string): Promise<string> {
  const query = tx.selectFrom('audit_heads').select('seq').where('org_id', '=', orgId).compile();
  const { rows } = await executePrepared(tx, query);
  // bigint arrives as its decimal text (see pools.ts).
  return rows[0]?.seq ?? '';
}

/** Whether an If-None-Match header lists `etag` (weak comparison, RFC 9110 §13.1.2). */
function isTagListed(header: string, etag: string): boolean {
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === etag || trimmed === `W/${etag}`;
  });
}

/**
 * Create a memo of org reads keyed by the org's audit head. Every committed write records an
 * audit event in its transaction and so moves the head: a value computed at a head stays current
 * until the head moves. Keep one memo per module instance (not per process), holding at most
 * `maxEntries` values; values are shared between callers and must not be mutated.
 */
export function createOrgReadMemo<T>(maxEntries = 32): OrgReadMemo<T> {
  const entries = new Map<string, { seq: string; value: T }>();
  // Tags name a value computed by this process only: code (and so a value's shape) may change
  // between runs while the head does not.
  const salt = randomBytes(12).toString('base64url');
  return {
    async read(uow, key, ifNoneMatch, compute) {
      const entryKey = `${uow.orgId}\n${key}`;
      return uow.read(async (tx) => {
        // The head is read first, so a value computed below is at least as new as its head.
        const seq = await readAuditSeq(tx, uow.orgId);
        const etag = `"${createHash('sha256')
          .update(`${salt}\n${entryKey}\n${seq}`)
          .digest('base64url')
          .slice(0, 27)}"`;
        if (ifNoneMatch !== undefined && isTagListed(ifNoneMatch, etag)) {
          return { etag, value: undefined };
        }
        const cached = entries.get(entryKey);
        if (cached?.seq === seq) return { etag, value: cached.value };
        const value = await compute(tx);
        if (typeof value === 'object' && value !== null) markSharedResponse(value);
        entries.delete(entryKey);
        entries.set(entryKey, { seq, value });
        // Oldest inserted first: the map's iteration order.
        for (const oldest of entries.keys()) {
          if (entries.size <= maxEntries) break;
          entries.delete(oldest);
        }
        return { etag, value };
      });
    },
  };
}
