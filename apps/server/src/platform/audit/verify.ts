import type { KeyObject } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/pools.ts';
import { genesisHash, hashAuditEvent } from './chain.ts';
import { checkpointMessage, keyIdOf, verifyCheckpointSignature } from './signing.ts';

/** Where and why an org's audit chain fails verification. */
export interface ChainBreak {
  orgId: string;
  seq: number;
  eventId: string | null;
  reason: string;
}

/** Outcome of verifying the audit log. */
export type VerifyResult =
  | { ok: true; orgs: number; events: number; checkpoints: number }
  | { ok: false; events: number; break: ChainBreak };

const batchSize = 10_000;

interface EventRow {
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

// PostgreSQL formats the time (sparing a Date per row) with microseconds, so a change below the
// millisecond is not hidden by rounding: only whole milliseconds take the form the hash covers.
async function fetchEvents(db: Db, orgId: string, afterSeq: number): Promise<EventRow[]> {
  const { rows } = await sql<EventRow>`
    SELECT seq, id,
           to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
           actor_type, actor_id, actor_label, auth_method, action, target_type, target_id,
           request_id, ip, user_agent, changes, prev_hash, hash
      FROM audit_events
     WHERE org_id = ${orgId} AND seq > ${afterSeq}
     ORDER BY seq
     LIMIT ${batchSize}`.execute(db);
  return rows;
}

interface CheckpointRow {
  seq: string;
  event_hash: string;
  signed_at: Date;
  key_id: string;
  signature: string;
}

/**
 * Recompute every org's hash chain and check its signed checkpoints. Reads with the owner
 * connection (all orgs); streams in batches so memory stays flat.
 */
export async function verifyAuditLog(
  db: Db,
  publicKey: KeyObject,
  options: { orgId?: string } = {},
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
    let prevHash = genesisHash;
    let lastSeq = 0;
    // The next batch is fetched while the current one is hashed.
    let pending = fetchEvents(db, orgId, 0);
    for (;;) {
      const rows = await pending;
      const last = rows.at(-1);
      pending =
        rows.length === batchSize && last
          ? fetchEvents(db, orgId, Number(last.seq))
          : Promise.resolve([]);
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq !== lastSeq + 1) {
          return fail(lastSeq + 1, null, `event ${lastSeq + 1} is missing (next found is ${seq})`);
        }
        if (row.prev_hash !== prevHash) {
          return fail(
            seq,
            row.id,
            'its previous-hash link does not match the event before it (reordered or inserted)',
          );
        }
        const expected = hashAuditEvent(prevHash, {
          id: row.id,
          orgId,
          seq,
          occurredAt: row.occurred_at.endsWith('000Z')
            ? `${row.occurred_at.slice(0, -4)}Z`
            : row.occurred_at,
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
        if (expected !== row.hash) {
          return fail(seq, row.id, 'its content does not match its hash (the row was changed)');
        }
        const checkpoint = checkpoints.get(seq);
        if (checkpoint && checkpoint.event_hash !== row.hash) {
          return fail(seq, row.id, 'the signed checkpoint at this event records a different hash');
        }
        prevHash = row.hash;
        lastSeq = seq;
        events += 1;
      }
      if (rows.length < batchSize) break;
    }
    for (const [seq, c] of checkpoints) {
      if (seq > lastSeq) {
        return fail(
          seq,
          null,
          `a signed checkpoint covers event ${seq} but the log ends at ${lastSeq} (events were removed from the end)`,
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
    if (Number(head.seq) !== lastSeq || head.last_hash !== prevHash) {
      return fail(
        lastSeq,
        null,
        `the log head says ${head.seq} events but ${lastSeq} chain (events were removed or added outside Steward)`,
      );
    }
  }
  return { ok: true, orgs: heads.length, events, checkpoints: checkpointCount };
}
