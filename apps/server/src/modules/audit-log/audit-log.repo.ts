import type { AuditEvent, auditEventQuerySchema } from '@steward/contracts';
import { sql, type Selectable } from 'kysely';
import type { z } from 'zod';
import { executePrepared, type Tx } from '../../platform/db/pools.ts';
import type { AuditEventsTable } from '../../platform/db/schema.ts';

// What the API shows of an event: not the org (the caller's own) nor the previous hash.
const apiColumns = [
  'id',
  'seq',
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
  'hash',
] as const;

// The time as Date#toISOString would write it (milliseconds, truncated, and `Z`), formatted by
// PostgreSQL so a page of events needs no Date per row.
const occurredAtIso = sql<string>`to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** An audit event row as the API reads it, the time already in ISO 8601. */
export type AuditEventRow = Pick<Selectable<AuditEventsTable>, (typeof apiColumns)[number]> & {
  occurred_at_iso: string;
};

/** Map a row to the API shape. */
export function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    seq: Number(row.seq),
    occurredAt: row.occurred_at_iso,
    actorType: row.actor_type as AuditEvent['actorType'],
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    authMethod: row.auth_method as AuditEvent['authMethod'],
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    requestId: row.request_id,
    ip: row.ip,
    userAgent: row.user_agent,
    changes: row.changes,
    hash: row.hash,
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** One page of the org's audit events, newest first, after the given filters. */
export async function searchAuditEvents(
  tx: Tx,
  orgId: string,
  query: z.output<typeof auditEventQuerySchema>,
): Promise<AuditEventRow[]> {
  // Row-level security already limits rows to the org; naming it lets the planner walk the
  // (org_id, seq) key backwards even before statistics exist, e.g. right after a bulk import.
  let q = tx
    .selectFrom('audit_events')
    .select(apiColumns)
    .select(occurredAtIso.as('occurred_at_iso'))
    .where('org_id', '=', orgId);
  if (query.actor) {
    const actor = query.actor;
    q = q.where((eb) =>
      eb.or([eb('actor_id', '=', actor), eb('actor_label', 'ilike', `${escapeLike(actor)}%`)]),
    );
  }
  if (query.action) {
    q = query.action.endsWith('.')
      ? q.where('action', 'like', `${escapeLike(query.action)}%`)
      : q.where('action', '=', query.action);
  }
  if (query.targetType) q = q.where('target_type', '=', query.targetType);
  if (query.targetId) q = q.where('target_id', '=', query.targetId);
  if (query.from) q = q.where('occurred_at', '>=', new Date(query.from));
  if (query.to) q = q.where('occurred_at', '<=', new Date(query.to));
  if (query.before) q = q.where('seq', '<', String(query.before));
  // Prepared: each combination of filters is one SQL text (a few dozen at most), and PostgreSQL
  // keeps a generic plan only where it costs no more than planning each call.
  const compiled = q
    .orderBy('seq', 'desc')
    .limit(query.limit + 1)
    .compile();
  return (await executePrepared(tx, compiled)).rows;
}

/** Orgs whose log has grown since their last checkpoint. */
export async function listOrgsDueForCheckpoint(tx: Tx): Promise<string[]> {
  const rows = await tx
    .selectFrom((eb) => eb.fn<{ org_id: string }>('audit_orgs_due_for_checkpoint', []).as('due'))
    .select('due.org_id')
    .execute();
  return rows.map((r) => r.org_id);
}
