import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Db } from '../db/pools.ts';
import { genesisHash } from './chain.ts';
import { verifyInstallationEvents } from './installation-log.ts';
import { checkpointMessage, keyIdOf, verifyCheckpointSignature } from './signing.ts';
import {
  brokenLinkReason,
  chunkCount,
  chunkQueue,
  eventRangeQuery,
  verifyClaimedChunks,
  verifyRange,
  type ChunkPlan,
  type EventRow,
  type RangeResult,
} from './verify-range.ts';
import { verifyChunkByCopy } from './verify-stream.ts';
import type { VerifyWorkerMessage, VerifyWorkerTask } from './verify-worker.ts';

/** Where and why an org's audit chain fails verification. */
export interface ChainBreak {
  orgId: string;
  seq: number;
  eventId: string | null;
  reason: string;
}

/** Outcome of verifying the audit log. */
export type VerifyResult =
  | { ok: true; orgs: number; events: number; checkpoints: number; installationEvents: number }
  | { ok: false; events: number; break: ChainBreak };

/** The `orgId` a break carries when it is in the installation's own security log. */
export const installationLog = 'installation';

/** How verification reads the log and may spread work over worker threads. */
export interface VerifyOptions {
  orgId?: string;
  /**
   * Owner connection URL: events are then streamed with binary COPY over connections of their
   * own, and large orgs are shared with worker threads. Without it, events are read through `db`
   * in batches on this thread.
   */
  parallelUrl?: string;
  /** Orgs with more events than this are shared with workers (default 50,000). */
  parallelAbove?: number;
  /** Threads that share a large org, this one included (default: from the cores, see below). */
  threads?: number;
}

/**
 * Threads for a large org. A thread checks an event in about twice the CPU time its PostgreSQL
 * backend takes to send it, so each thread with its backend keeps about 1.5 cores busy: on two
 * cores one stream already uses both, and a worker would only add its start-up and contention.
 */
function defaultThreads(): number {
  return Math.max(1, Math.min(8, Math.floor((availableParallelism() * 2) / 3)));
}

interface CheckpointRow {
  seq: string;
  event_hash: string;
  signed_at: Date;
  key_id: string;
  signature: string;
}

interface EventRowObject {
  seq: string;
  id: string;
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

function fetchWithKysely(db: Db, orgId: string, toSeq: number) {
  return async (afterSeq: number): Promise<EventRow[]> =>
    (
      await db.executeQuery<EventRowObject>(
        CompiledQuery.raw(eventRangeQuery, [orgId, afterSeq, toSeq]),
      )
    ).rows.map((r) => [
      r.seq,
      r.id,
      r.occurred_at,
      r.actor_type,
      r.actor_id,
      r.actor_label,
      r.auth_method,
      r.action,
      r.target_type,
      r.target_id,
      r.request_id,
      r.ip,
      r.user_agent,
      r.changes,
      r.prev_hash,
      r.hash,
    ]);
}

function runWorker(
  task: VerifyWorkerTask,
  onResult: (index: number, result: RangeResult) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./verify-worker-entry.mjs', import.meta.url), {
      workerData: task,
    });
    worker.on('message', (message: VerifyWorkerMessage) => {
      if (message.type === 'result') onResult(message.index, message.result);
      else if (message.type === 'done') resolve();
      else reject(new Error(message.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      reject(new Error(`a verification worker stopped (exit code ${code})`));
    });
  });
}

// Chunks of at most this many events: few statements, yet a thread that starts late (a worker)
// or runs slowly still takes a share.
const maxChunkSize = 25_000;

/**
 * Verify an org's log in chunks that this thread and `threads - 1` workers take from one queue,
 * each over its own connection: the work starts at once on this thread, and workers join as soon
 * as they have started. Results come back in chunk order.
 */
async function verifyChunksInParallel(
  url: string,
  client: pg.Client,
  orgId: string,
  headSeq: number,
  checkpointHashes: Map<number, string>,
  threads: number,
): Promise<RangeResult[]> {
  // Several chunks per thread, so a late or slow thread does not leave the others waiting.
  const chunkSize = Math.max(1, Math.min(maxChunkSize, Math.ceil(headSeq / (threads * 4))));
  const plan: ChunkPlan = { headSeq, chunkSize };
  const total = chunkCount(plan);
  const state = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const view = new Int32Array(state);
  view[1] = total;
  const queue = chunkQueue(view, plan);
  const results: (RangeResult | undefined)[] = [];
  const record = (index: number, result: RangeResult) => {
    results[index] = result;
    if (result.break) queue.stopAfter(index);
  };
  const task: VerifyWorkerTask = { url, orgId, plan, checkpoints: [...checkpointHashes], state };
  const workers = Array.from({ length: threads - 1 }, () =>
    runWorker(task, record).catch((error: unknown) => {
      // The others finish the queue; a chunk the failed worker held is reported missing below.
      queue.stopAfter(-1);
      throw error;
    }),
  );
  try {
    await verifyClaimedChunks(
      queue.claim,
      (chunk) => verifyChunkByCopy(client, orgId, chunk, checkpointHashes),
      (chunk, result) => record(chunk.index, result),
    );
  } catch (error) {
    queue.stopAfter(-1);
    await Promise.allSettled(workers);
    throw error;
  }
  await Promise.all(workers);
  const ordered: RangeResult[] = [];
  for (let index = 0; index < total; index += 1) {
    const result = results[index];
    if (!result) throw new Error(`audit verification lost chunk ${index} of org ${orgId}`);
    ordered.push(result);
    if (result.break) break;
  }
  return ordered;
}

/** The results of an org's log read in order, on this thread or shared with workers. */
async function verifyOrgRanges(
  db: Db,
  client: pg.Client | null,
  orgId: string,
  headSeq: number,
  checkpointHashes: Map<number, string>,
  options: VerifyOptions,
): Promise<RangeResult[]> {
  const url = options.parallelUrl;
  if (!url || !client) {
    return [
      await verifyRange(fetchWithKysely(db, orgId, headSeq), orgId, 1, headSeq, checkpointHashes),
    ];
  }
  const threads = options.threads ?? defaultThreads();
  if (threads > 1 && headSeq > (options.parallelAbove ?? 50_000)) {
    return verifyChunksInParallel(url, client, orgId, headSeq, checkpointHashes, threads);
  }
  // One stream for the whole log: COPY keeps memory flat however long it is.
  return headSeq === 0
    ? []
    : [
        await verifyChunkByCopy(
          client,
          orgId,
          { index: 0, fromSeq: 1, toSeq: headSeq },
          checkpointHashes,
        ),
      ];
}

async function verifyOrgEvents(
  db: Db,
  client: pg.Client | null,
  orgId: string,
  headSeq: number,
  checkpointHashes: Map<number, string>,
  options: VerifyOptions,
): Promise<{
  count: number;
  lastSeq: number;
  lastHash: string;
  break: Omit<ChainBreak, 'orgId'> | null;
}> {
  const results = await verifyOrgRanges(db, client, orgId, headSeq, checkpointHashes, options);
  let count = 0;
  let lastHash = genesisHash;
  let lastSeq = 0;
  for (const result of results) {
    // Checked whenever the range read its first row, even one that then failed on its content,
    // so the reason is the one a single pass over the log would give.
    if (result.firstPrevHash !== null && result.firstPrevHash !== lastHash) {
      return {
        count,
        lastSeq,
        lastHash,
        break: { seq: lastSeq + 1, eventId: result.firstId, reason: brokenLinkReason },
      };
    }
    count += result.count;
    if (result.break) return { count, lastSeq, lastHash, break: result.break };
    if (result.lastHash !== null) lastHash = result.lastHash;
    lastSeq = result.lastSeq;
  }
  return { count, lastSeq, lastHash, break: null };
}

/**
 * Recompute every org's hash chain and check its signed checkpoints, reading as the owner (all
 * orgs) with memory flat. Given a connection URL, events are streamed with binary COPY and large
 * orgs are split across worker threads.
 */
export async function verifyAuditLog(
  db: Db,
  publicKey: KeyObject,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  if (!options.parallelUrl) return verifyAllOrgs(db, null, publicKey, options);
  const client = new pg.Client({ connectionString: options.parallelUrl });
  await client.connect();
  try {
    return await verifyAllOrgs(db, client, publicKey, options);
  } finally {
    await client.end();
  }
}

async function verifyAllOrgs(
  db: Db,
  client: pg.Client | null,
  publicKey: KeyObject,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const keyId = keyIdOf(publicKey);
  let orgQuery = db
    .selectFrom('audit_heads')
    .select(['org_id', 'seq', 'last_hash'])
    .orderBy('org_id');
  if (options.orgId) orgQuery = orgQuery.where('org_id', '=', options.orgId);
  const heads = await orgQuery.execute();
  if (options.orgId && heads.length === 0) {
    return {
      ok: false,
      events: 0,
      break: { orgId: options.orgId, seq: 0, eventId: null, reason: 'no such organisation' },
    };
  }
  let events = 0;
  let checkpointCount = 0;
  for (const head of heads) {
    const orgId = head.org_id;
    const fail = (seq: number, eventId: string | null, reason: string): VerifyResult => ({
      ok: false,
      events,
      break: { orgId, seq, eventId, reason },
    });
    const checkpoints = new Map<number, CheckpointRow>();
    for (const c of await db
      .selectFrom('audit_checkpoints')
      .select(['seq', 'event_hash', 'signed_at', 'key_id', 'signature'])
      .where('org_id', '=', orgId)
      .execute()) {
      checkpoints.set(Number(c.seq), c);
    }
    const hashes = new Map([...checkpoints].map(([seq, c]) => [seq, c.event_hash]));
    const chain = await verifyOrgEvents(db, client, orgId, Number(head.seq), hashes, options);
    events += chain.count;
    if (chain.break) return fail(chain.break.seq, chain.break.eventId, chain.break.reason);
    const beyond = await db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('seq').as('max'))
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    const lastStored = Number(beyond?.max ?? 0);
    for (const [seq, c] of checkpoints) {
      if (seq > chain.lastSeq) {
        return fail(
          seq,
          null,
          `a signed checkpoint covers event ${seq} but the log ends at ${chain.lastSeq} (events were removed from the end)`,
        );
      }
      if (c.key_id !== keyId) {
        return fail(
          seq,
          null,
          `checkpoint is signed by key ${c.key_id}, not the trusted key ${keyId}`,
        );
      }
      const message = checkpointMessage({
        orgId,
        seq,
        eventHash: c.event_hash,
        signedAt: c.signed_at,
      });
      if (!verifyCheckpointSignature(publicKey, message, c.signature)) {
        return fail(seq, null, 'the checkpoint signature is not valid');
      }
      checkpointCount += 1;
    }
    if (lastStored !== chain.lastSeq || head.last_hash !== chain.lastHash) {
      return fail(
        chain.lastSeq,
        null,
        `the log head says ${head.seq} events but ${lastStored} are stored (events were removed or added outside Steward)`,
      );
    }
  }
  let installationEvents = 0;
  if (!options.orgId) {
    const installation = await verifyInstallationEvents(db);
    if (installation.break) {
      return {
        ok: false,
        events,
        break: { orgId: installationLog, eventId: null, ...installation.break },
      };
    }
    installationEvents = installation.events;
  }
  return { ok: true, orgs: heads.length, events, checkpoints: checkpointCount, installationEvents };
}
