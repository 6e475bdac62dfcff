import type { AuditAction, actorTypes, authMethods } from '@steward/contracts';
import { randomUUID } from 'node:crypto';
import { sql, type CompiledQuery, type Insertable } from 'kysely';
import { compileOnce, executeAhead, sendPrepared, type Tx } from '../db/pools.ts';
import type { AuditEventsTable } from '../db/schema.ts';
import { hashAuditEvent, normaliseChanges } from './chain.ts';
import { checkpointMessage, type CheckpointSigner } from './signing.ts';

/** Who acted, how they authenticated, and from where. */
export interface Actor {
  type: (typeof actorTypes)[number];
  id: string | null;
  label: string | null;
  authMethod: (typeof authMethods)[number];
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/** What a service says about one change. */
export interface AuditEventInput {
  action: AuditAction;
  targetType: string;
  targetId: string | null;
  changes?: Record<string, unknown>;
}

/** Events per org after which a signed checkpoint is written in the same transaction. */
export const checkpointEvery = 10_000;

/** The locked head of an org's chain inside one transaction. */
export interface ChainCursor {
  orgId: string;
  seq: number;
  lastHash: string;
  isDirty: boolean;
  /** Events chained since the head was locked, stored when the chain closes. */
  pending: Insertable<AuditEventsTable>[];
}

// Rows per INSERT when a chain closes (17 parameters each, well under PostgreSQL's 65,535).
const insertBatch = 1_000;

/** Appends hash-chained events and signs checkpoints. */
export interface AuditWriter {
  /** Lock the org's chain head for the rest of the transaction. */
  openChain(tx: Tx, orgId: string): Promise<ChainCursor>;
  /**
   * Append one event after the cursor (which advances). The row is written by `closeChain`, in
   * the same transaction: a write's events then cost one statement, however many there are.
   */
  append(
    tx: Tx,
    cursor: ChainCursor,
    actor: Actor,
    event: AuditEventInput,
  ): Promise<{ seq: number }>;
  /** Store the chained events and the advanced head; call once before the transaction commits. */
  closeChain(tx: Tx, cursor: ChainCursor): Promise<void>;
  writeCheckpoint(tx: Tx, orgId: string): Promise<{ seq: number } | null>;
  signer: CheckpointSigner;
}

/** The events among these that reach a multiple of `checkpointEvery`. */
function checkpointsIn(rows: readonly Insertable<AuditEventsTable>[]) {
  return rows.flatMap((row) =>
    Number(row.seq) % checkpointEvery === 0 ? [{ seq: Number(row.seq), hash: row.hash }] : [],
  );
}

const lockHeadQuery = compileOnce((db, orgId: string) =>
  db.selectFrom('audit_heads').select(['seq', 'last_hash']).where('org_id', '=', orgId).forUpdate(),
);

// The columns of a pending row, in the order the compiled statements bind them.
const eventColumns = [
  'org_id',
  'seq',
  'id',
  'occurred_at',
  'actor_type',
  'actor_id',
  'actor_label',
  'auth_method',
  'action',
  'target_type',
  'target_id',
  'request_id',
  'ip',
  'user_agent',
  'changes',
  'prev_hash',
  'hash',
] as const satisfies readonly (keyof Insertable<AuditEventsTable>)[];

// A write records one to a few events: the statement that stores them with the head is compiled
// once per count (building it costs more CPU than PostgreSQL spends running it).
const compiledCloseMax = 4;
const closeQueries = Array.from({ length: compiledCloseMax + 1 }, (_, count) =>
  count === 0
    ? null
    : compileOnce((db, ...args: unknown[]) => {
        const rows = Array.from({ length: count }, (_row, i) =>
          Object.fromEntries(
            eventColumns.map((column, j) => [column, args[i * eventColumns.length + j]]),
          ),
        ) as Insertable<AuditEventsTable>[];
        const at = count * eventColumns.length;
        return db
          .with('e', (qb) => qb.insertInto('audit_events').values(rows))
          .updateTable('audit_heads')
          .set({ seq: args[at] as number, last_hash: args[at + 1] as string })
          .where('org_id', '=', args[at + 2] as string);
      }),
);

function closeQuery(
  rows: readonly Insertable<AuditEventsTable>[],
  head: { seq: number; last_hash: string },
  orgId: string,
): CompiledQuery | null {
  const compiled = closeQueries[rows.length];
  if (!compiled) return null;
  return compiled(
    ...rows.flatMap((row) => eventColumns.map((column) => row[column])),
    head.seq,
    head.last_hash,
    orgId,
  );
}

/** Create the audit writer around the checkpoint signer. */
export function createAuditWriter(signer: CheckpointSigner): AuditWriter {
  async function lockHead(tx: Tx, orgId: string): Promise<{ seq: number; lastHash: string }> {
    // Sent before the first await: a caller may lock the head ahead of its own statements'
    // answers (see WriteScope.lockAuditAhead), in their round trip.
    const head = (await sendPrepared(tx, lockHeadQuery(orgId))).rows[0];
    if (!head) throw new Error(`audit head missing for org ${orgId}`);
    return { seq: Number(head.seq), lastHash: head.last_hash };
  }

  async function insertCheckpoint(tx: Tx, orgId: string, seq: number, eventHash: string) {
    const signedAt = new Date();
    const signature = signer.sign(checkpointMessage({ orgId, seq, eventHash, signedAt }));
    await tx
      .insertInto('audit_checkpoints')
      .values({
        org_id: orgId,
        seq,
        event_hash: eventHash,
        signed_at: signedAt,
        key_id: signer.keyId,
        signature,
      })
      .onConflict((oc) => oc.columns(['org_id', 'seq']).doNothing())
      .execute();
  }

  return {
    signer,
    async openChain(tx, orgId) {
      const head = await lockHead(tx, orgId);
      return { orgId, seq: head.seq, lastHash: head.lastHash, isDirty: false, pending: [] };
    },
    async closeChain(tx, cursor) {
      if (!cursor.isDirty) return;
      const rows = cursor.pending;
      cursor.pending = [];
      // All but the last batch alone; the last (usually the only) one goes with the head.
      const lastStart = Math.max(0, Math.ceil(rows.length / insertBatch) - 1) * insertBatch;
      for (let i = 0; i < lastStart; i += insertBatch) {
        await tx
          .insertInto('audit_events')
          .values(rows.slice(i, i + insertBatch))
          .execute();
      }
      const last = rows.slice(lastStart);
      const head = { seq: cursor.seq, last_hash: cursor.lastHash };
      const compiled = closeQuery(last, head, cursor.orgId);
      if (compiled) {
        // Nothing is read back: the statement travels with the next one (the COMMIT at the
        // latest), which fails if it did.
        await executeAhead(tx, compiled);
      } else if (last.length > 0) {
        await tx
          .with('e', (db) => db.insertInto('audit_events').values(last))
          .updateTable('audit_heads')
          .set(head)
          .where('org_id', '=', cursor.orgId)
          .execute();
      } else {
        await tx.updateTable('audit_heads').set(head).where('org_id', '=', cursor.orgId).execute();
      }
      for (const checkpoint of checkpointsIn(rows)) {
        await insertCheckpoint(tx, cursor.orgId, checkpoint.seq, checkpoint.hash);
      }
      cursor.isDirty = false;
    },
    append(_tx, cursor, actor, event) {
      const orgId = cursor.orgId;
      const head = { seq: cursor.seq, lastHash: cursor.lastHash };
      const seq = head.seq + 1;
      const fields = {
        id: randomUUID(),
        orgId,
        seq,
        occurredAt: new Date(),
        actorType: actor.type,
        actorId: actor.id,
        actorLabel: actor.label,
        authMethod: actor.authMethod,
        action: event.action,
        targetType: event.targetType,
        targetId: event.targetId,
        requestId: actor.requestId,
        ip: actor.ip,
        userAgent: actor.userAgent?.slice(0, 500) ?? null,
        changes: normaliseChanges(event.changes ?? {}),
      };
      const hash = hashAuditEvent(head.lastHash, fields);
      cursor.pending.push({
        org_id: orgId,
        seq,
        id: fields.id,
        occurred_at: fields.occurredAt,
        actor_type: fields.actorType,
        actor_id: fields.actorId,
        actor_label: fields.actorLabel,
        auth_method: fields.authMethod,
        action: fields.action,
        target_type: fields.targetType,
        target_id: fields.targetId,
        request_id: fields.requestId,
        ip: fields.ip,
        user_agent: fields.userAgent,
        changes: JSON.stringify(fields.changes),
        prev_hash: head.lastHash,
        hash,
      });
      cursor.seq = seq;
      cursor.lastHash = hash;
      cursor.isDirty = true;
      return Promise.resolve({ seq });
    },
    async writeCheckpoint(tx, orgId) {
      const head = await lockHead(tx, orgId);
      if (head.seq === 0) return null;
      const last = await tx
        .selectFrom('audit_checkpoints')
        .select(sql<string>`max(seq)`.as('seq'))
        .where('org_id', '=', orgId)
        .executeTakeFirst();
      if (last?.seq != null && Number(last.seq) >= head.seq) return null;
      await insertCheckpoint(tx, orgId, head.seq, head.lastHash);
      return { seq: head.seq };
    },
  };
}
