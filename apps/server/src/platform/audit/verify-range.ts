import { hashAuditEvent } from './chain.ts';

/** An audit event row as verification reads it. */
export interface EventRow {
  seq: string;
  id: string;
  /** ISO 8601 with microseconds, as PostgreSQL formats it for verification. */
  occurred_at: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  auth_method: string;
  action: string;
  target_type: string;
  target_id: string | null;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  changes: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** Rows per query. */
export const verifyBatchSize = 10_000;

/**
 * The query that reads a range of an org's events, oldest first. PostgreSQL formats the time
 * (sparing a Date per row) with microseconds, so a change below the millisecond is not hidden by
 * rounding: only whole milliseconds take the form the hash covers.
 */
export const eventRangeQuery = `
  SELECT seq, id,
         to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
         actor_type, actor_id, actor_label, auth_method, action, target_type, target_id,
         request_id, ip, user_agent, changes, prev_hash, hash
    FROM audit_events
   WHERE org_id = $1 AND seq > $2 AND seq <= $3
   ORDER BY seq
   LIMIT ${verifyBatchSize}`;

/** Reads the events after a sequence number, up to the range's end. */
export type FetchEvents = (afterSeq: number) => Promise<EventRow[]>;

/** The first problem found in a range. */
export interface RangeBreak {
  seq: number;
  eventId: string | null;
  reason: string;
}

/** What a verified range tells the caller, to link it with its neighbours. */
export interface RangeResult {
  count: number;
  firstId: string | null;
  firstPrevHash: string | null;
  lastHash: string | null;
  lastSeq: number;
  break: RangeBreak | null;
}

/** The reason given when an event's previous-hash link is wrong. */
export const brokenLinkReason =
  'its previous-hash link does not match the event before it (reordered or inserted)';

function hashOf(orgId: string, row: EventRow): string {
  const t = row.occurred_at;
  return hashAuditEvent(row.prev_hash, {
    id: row.id,
    orgId,
    seq: Number(row.seq),
    occurredAt: t.endsWith('000Z') ? `${t.slice(0, -4)}Z` : t,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    authMethod: row.auth_method,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    requestId: row.request_id,
    ip: row.ip,
    userAgent: row.user_agent,
    changes: row.changes,
  });
}

/**
 * Verify events fromSeq..toSeq of one org: contiguous, each linked to the one before, each
 * matching its hash and any checkpoint. The first row's link is left to the caller.
 */
export async function verifyRange(
  fetchEvents: FetchEvents,
  orgId: string,
  fromSeq: number,
  toSeq: number,
  checkpointHashes: ReadonlyMap<number, string>,
): Promise<RangeResult> {
  const result: RangeResult = {
    count: 0,
    firstId: null,
    firstPrevHash: null,
    lastHash: null,
    lastSeq: fromSeq - 1,
    break: null,
  };
  const stop = (seq: number, eventId: string | null, reason: string) => {
    result.break = { seq, eventId, reason };
    return result;
  };
  // The next batch is fetched while the current one is hashed.
  let pending = fetchEvents(fromSeq - 1);
  for (;;) {
    const rows = await pending;
    const last = rows.at(-1);
    const isFull = rows.length === verifyBatchSize && last !== undefined;
    pending = isFull ? fetchEvents(Number(last.seq)) : Promise.resolve([]);
    for (const row of rows) {
      const seq = Number(row.seq);
      const expectedSeq = result.lastSeq + 1;
      if (seq !== expectedSeq) {
        return stop(expectedSeq, null, `event ${expectedSeq} is missing (next found is ${seq})`);
      }
      if (result.lastHash === null) {
        result.firstId = row.id;
        result.firstPrevHash = row.prev_hash;
      } else if (row.prev_hash !== result.lastHash) {
        return stop(seq, row.id, brokenLinkReason);
      }
      if (hashOf(orgId, row) !== row.hash) {
        return stop(seq, row.id, 'its content does not match its hash (the row was changed)');
      }
      const checkpoint = checkpointHashes.get(seq);
      if (checkpoint !== undefined && checkpoint !== row.hash) {
        return stop(seq, row.id, 'the signed checkpoint at this event records a different hash');
      }
      result.lastHash = row.hash;
      result.lastSeq = seq;
      result.count += 1;
    }
    if (!isFull) break;
  }
  if (result.lastSeq < toSeq) {
    return stop(
      result.lastSeq + 1,
      null,
      `event ${result.lastSeq + 1} is missing (the log ends at ${result.lastSeq})`,
    );
  }
  return result;
}
