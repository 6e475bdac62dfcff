import type { AuditEvent, auditEventQuerySchema } from '@steward/contracts';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { z } from 'zod';
import { compileOnce, type Tx } from '../../platform/db/pools.ts';
import type { Database } from '../../platform/db/schema.ts';

// What the API shows of an event (not the org, the caller's own, nor the previous hash), as plain
// columns: building a JSON object per row in PostgreSQL (and formatting its time with to_char)
// cost the database about twice what the index scan and plain output cost. The time arrives as
// the text of its UTC wall-clock time and is written as Date#toISOString would in toAuditEvent.
const eventColumns = [
  'id',
  'seq',
  sql<string>`(occurred_at AT TIME ZONE 'UTC')::text`.as('occurred_at_utc'),
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

/**
 * An audit event as read from the database for the API: its columns in `eventColumns` order
 * (rows are read as arrays, cheaper to build than an object per row for a page of fifty).
 */
export type AuditEventRow = [
  id: string,
  seq: string,
  occurredAtUtc: string,
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
  hash: string,
];

/** `YYYY-MM-DD HH:MI:SS[.ffffff]` (UTC) as `YYYY-MM-DDTHH:MI:SS.mmmZ`, milliseconds truncated. */
export function toIsoInstant(utc: string): string {
  const fraction = utc.length > 20 ? utc.slice(20, 23).padEnd(3, '0') : '000';
  return `${utc.slice(0, 10)}T${utc.slice(11, 19)}.${fraction}Z`;
}

/** An audit event as the API shows it. */
export function toAuditEvent(values: unknown[]): AuditEvent {
  const row = values as AuditEventRow;
  return {
    id: row[0],
    // bigint arrives as its decimal text (see pools.ts); sequence numbers fit in a double.
    seq: Number(row[1]),
    occurredAt: toIsoInstant(row[2]),
    actorType: row[3] as AuditEvent['actorType'],
    actorId: row[4],
    actorLabel: row[5],
    authMethod: row[6] as AuditEvent['authMethod'],
    action: row[7],
    targetType: row[8],
    targetId: row[9],
    requestId: row[10],
    ip: row[11],
    userAgent: row[12],
    changes: row[13],
    hash: row[14],
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

type AuditEventQuery = z.output<typeof auditEventQuerySchema>;

/** A filter of the search as it shapes the SQL; its values are bound separately. */
type FilterKind =
  'actor' | 'actionPrefix' | 'action' | 'targetType' | 'targetId' | 'from' | 'to' | 'before';

function buildSearch(db: Kysely<Database>, kinds: readonly FilterKind[], values: unknown[]) {
  // values: the org, the limit, then one per filter (two for the actor).
  const [orgId, limit, ...filterValues] = values as [string, number, ...unknown[]];
  // Row-level security already limits rows to the org; naming it lets the planner walk the
  // (org_id, seq) key backwards even before statistics exist, e.g. right after a bulk import.
  let q = db.selectFrom('audit_events').select(eventColumns).where('org_id', '=', orgId);
  let next = 0;
  const take = () => filterValues[next++];
  for (const kind of kinds) {
    switch (kind) {
      case 'actor': {
        const [id, labelPattern] = [take() as string, take() as string];
        q = q.where((eb) =>
          eb.or([eb('actor_id', '=', id), eb('actor_label', 'ilike', labelPattern)]),
        );
        break;
      }
      case 'actionPrefix':
        q = q.where('action', 'like', take() as string);
        break;
      case 'action':
        q = q.where('action', '=', take() as string);
        break;
      case 'targetType':
        q = q.where('target_type', '=', take() as string);
        break;
      case 'targetId':
        q = q.where('target_id', '=', take() as string);
        break;
      case 'from':
        q = q.where('occurred_at', '>=', take() as Date);
        break;
      case 'to':
        q = q.where('occurred_at', '<=', take() as Date);
        break;
      case 'before':
        q = q.where('seq', '<', take() as string);
        break;
    }
  }
  return q.orderBy('seq', 'desc').limit(limit);
}

// One compiled query per combination of filters (a few dozen at most); each runs as a prepared
// statement, and PostgreSQL keeps a generic plan only where it costs no more than planning each
// call.
const searchQueries = new Map<string, (...values: unknown[]) => CompiledQuery>();

/** The query of one page of the org's audit events, newest first, after the given filters. */
export function auditSearchQuery(orgId: string, query: AuditEventQuery): CompiledQuery {
  const kinds: FilterKind[] = [];
  // The limit asks for one row more, which tells whether there is a next page.
  const values: unknown[] = [orgId, query.limit + 1];
  if (query.actor) {
    kinds.push('actor');
    values.push(query.actor, `${escapeLike(query.actor)}%`);
  }
  if (query.action) {
    const isPrefix = query.action.endsWith('.');
    kinds.push(isPrefix ? 'actionPrefix' : 'action');
    values.push(isPrefix ? `${escapeLike(query.action)}%` : query.action);
  }
  if (query.targetType) {
    kinds.push('targetType');
    values.push(query.targetType);
  }
  if (query.targetId) {
    kinds.push('targetId');
    values.push(query.targetId);
  }
  if (query.from) {
    kinds.push('from');
    values.push(new Date(query.from));
  }
  if (query.to) {
    kinds.push('to');
    values.push(new Date(query.to));
  }
  if (query.before) {
    kinds.push('before');
    values.push(String(query.before));
  }
  const key = kinds.join(',');
  let compiled = searchQueries.get(key);
  if (!compiled) {
    compiled = compileOnce((db, ...bound: unknown[]) => buildSearch(db, kinds, bound));
    searchQueries.set(key, compiled);
  }
  return compiled(...values);
}

/** The query of the sequence number at the head of the org's chain (RLS scopes it to the org). */
export const auditHeadQuery = compileOnce((db, orgId: string) =>
  db.selectFrom('audit_heads').select('seq').where('org_id', '=', orgId),
);

/** Orgs whose log has grown since their last checkpoint. */
export async function listOrgsDueForCheckpoint(tx: Tx): Promise<string[]> {
  const rows = await tx
    .selectFrom((eb) => eb.fn<{ org_id: string }>('audit_orgs_due_for_checkpoint', []).as('due'))
    .select('due.org_id')
    .execute();
  return rows.map((r) => r.org_id);
}
