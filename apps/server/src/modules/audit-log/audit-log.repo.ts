import type { AuditEvent, auditEventQuerySchema } from '@steward/contracts';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { z } from 'zod';
import { compileOnce, type Tx } from '../../platform/db/pools.ts';
import type { Database } from '../../platform/db/schema.ts';

// What the API shows of an event (not the org, the caller's own, nor the previous hash), built
// by PostgreSQL as JSON: a page then arrives as one JSON value per event, parsed natively,
// instead of fifteen fields per row converted one by one. The time is written as
// Date#toISOString would (milliseconds, truncated, and `Z`).
const eventJson = sql<AuditEvent>`json_build_object(
  'id', id,
  'seq', seq,
  'occurredAt', to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'actorType', actor_type,
  'actorId', actor_id,
  'actorLabel', actor_label,
  'authMethod', auth_method,
  'action', action,
  'targetType', target_type,
  'targetId', target_id,
  'requestId', request_id,
  'ip', ip,
  'userAgent', user_agent,
  'changes', changes,
  'hash', hash
)`;

/** An audit event as the API shows it, read from the database. */
export interface AuditEventRow {
  event: AuditEvent;
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
  let q = db.selectFrom('audit_events').select(eventJson.as('event')).where('org_id', '=', orgId);
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
const searchQueries = new Map<string, (...values: unknown[]) => CompiledQuery<AuditEventRow>>();

/** The query of one page of the org's audit events, newest first, after the given filters. */
export function auditSearchQuery(
  orgId: string,
  query: AuditEventQuery,
): CompiledQuery<AuditEventRow> {
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

/** Orgs whose log has grown since their last checkpoint. */
export async function listOrgsDueForCheckpoint(tx: Tx): Promise<string[]> {
  const rows = await tx
    .selectFrom((eb) => eb.fn<{ org_id: string }>('audit_orgs_due_for_checkpoint', []).as('due'))
    .select('due.org_id')
    .execute();
  return rows.map((r) => r.org_id);
}
