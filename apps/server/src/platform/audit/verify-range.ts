import { canonicalChanges, chainHash, serialiseFields } from './chain.ts';

/**
 * An audit event row as verification reads it: the columns of eventRangeQuery in order (pg's
 * array row mode, which spares an object per row).
 */
export type EventRow = [
  seq: string,
  id: string,
  /** ISO 8601 with microseconds, as PostgreSQL formats it for verification. */
  occurredAt: string,
  actorType: string,
  actorId: string | null,
  actorLabel: string | null,
  authMethod: string,
  action: string,
  targetType: string,
  targetId: string | null,
  requestId: string | null,
  ip: string | null,
  userAgent: string | null,
  changes: Record<string, unknown>,
  prevHash: string,
  hash: string,
];

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
  const t = row[2];
  return chainHash(
    row[14],
    serialiseFields(
      row[7],
      row[4],
      row[5],
      row[3],
      row[6],
      canonicalChanges(row[13]),
      row[1],
      row[11],
      t.endsWith('000Z') ? `${t.slice(0, -4)}Z` : t,
      orgId,
      row[10],
      Number(row[0]),
      row[9],
      row[8],
      row[12],
    ),
  );
}

/** The reason given when an event's stored content does not hash to its stored hash. */
export const changedContentReason = 'its content does not match its hash (the row was changed)';

/** The reason given when a signed checkpoint names another hash than its event's. */
export const checkpointMismatchReason =
  'the signed checkpoint at this event records a different hash';

/** A range result before its first row. */
export function emptyRangeResult(fromSeq: number): RangeResult {
  return {
    count: 0,
    firstId: null,
    firstPrevHash: null,
    lastHash: null,
    lastSeq: fromSeq - 1,
    break: null,
  };
}

/** Check rows that continue `result`, advancing it; false once a break is recorded. */
function checkRows(
  rows: readonly EventRow[],
  orgId: string,
  checkpointHashes: ReadonlyMap<number, string>,
  result: RangeResult,
): boolean {
  const stop = (seq: number, eventId: string | null, reason: string) => {
    result.break = { seq, eventId, reason };
    return false;
  };
  for (const row of rows) {
    const seq = Number(row[0]);
    const expectedSeq = result.lastSeq + 1;
    if (seq !== expectedSeq) {
      return stop(expectedSeq, null, `event ${expectedSeq} is missing (next found is ${seq})`);
    }
    if (result.lastHash === null) {
      result.firstId = row[1];
      result.firstPrevHash = row[14];
    } else if (row[14] !== result.lastHash) {
      return stop(seq, row[1], brokenLinkReason);
    }
    if (hashOf(orgId, row) !== row[15]) {
      return stop(seq, row[1], changedContentReason);
    }
    const checkpoint = checkpointHashes.get(seq);
    if (checkpoint !== undefined && checkpoint !== row[15]) {
      return stop(seq, row[1], checkpointMismatchReason);
    }
    result.lastHash = row[15];
    result.lastSeq = seq;
    result.count += 1;
  }
  return true;
}

/** Close a range: a break unless its rows reached `toSeq`. */
export function endRange(result: RangeResult, toSeq: number): RangeResult {
  if (result.break === null && result.lastSeq < toSeq) {
    const missing = result.lastSeq + 1;
    result.break = {
      seq: missing,
      eventId: null,
      reason: `event ${missing} is missing (the log ends at ${result.lastSeq})`,
    };
  }
  return result;
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
  const result = emptyRangeResult(fromSeq);
  // The next batch is fetched while the current one is hashed.
  let pending = fetchEvents(fromSeq - 1);
  for (;;) {
    const rows = await pending;
    const last = rows.at(-1);
    const isFull = rows.length === verifyBatchSize && last !== undefined;
    pending = isFull ? fetchEvents(Number(last[0])) : Promise.resolve([]);
    if (!checkRows(rows, orgId, checkpointHashes, result)) {
      pending.catch(() => undefined);
      return result;
    }
    if (!isFull) break;
  }
  return endRange(result, toSeq);
}

/** A slice of an org's log verified as one unit. */
export interface Chunk {
  index: number;
  fromSeq: number;
  toSeq: number;
}

/** How an org's log is cut into chunks. */
export interface ChunkPlan {
  headSeq: number;
  chunkSize: number;
}

/** The chunks of a plan. */
export function chunkCount(plan: ChunkPlan): number {
  return Math.ceil(plan.headSeq / plan.chunkSize);
}

/** The seq range of chunk `index`. */
export function chunkAt(plan: ChunkPlan, index: number): Chunk {
  return {
    index,
    fromSeq: index * plan.chunkSize + 1,
    toSeq: Math.min(plan.headSeq, (index + 1) * plan.chunkSize),
  };
}

/**
 * Verify chunks one after another as `claim` hands them out (several threads share one queue),
 * reporting each result as soon as it is known.
 */
export async function verifyClaimedChunks(
  claim: () => Chunk | null,
  verifyChunk: (chunk: Chunk) => Promise<RangeResult>,
  report: (chunk: Chunk, result: RangeResult) => void,
): Promise<void> {
  for (let chunk = claim(); chunk; chunk = claim()) report(chunk, await verifyChunk(chunk));
}

/** A queue of chunks shared by threads through `state`: [next index, last index still wanted]. */
export function chunkQueue(state: Int32Array, plan: ChunkPlan) {
  const total = chunkCount(plan);
  return {
    /** The next chunk nobody has taken, or null when none is left or needed. */
    claim: (): Chunk | null => {
      const index = Atomics.add(state, 0, 1);
      return index < total && index <= Atomics.load(state, 1) ? chunkAt(plan, index) : null;
    },
    /** Chunks after `index` are no longer needed (a break was found at or before it). */
    stopAfter: (index: number): void => {
      for (;;) {
        const wanted = Atomics.load(state, 1);
        if (wanted <= index || Atomics.compareExchange(state, 1, wanted, index) === wanted) return;
      }
    },
  };
}
