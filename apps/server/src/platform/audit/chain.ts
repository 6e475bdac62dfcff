import { hash } from 'node:crypto';

/** The hash before an org's first event. */
export const genesisHash = '0'.repeat(64);

/** The fields of an audit event that its hash covers. */
export interface ChainedFields {
  id: string;
  orgId: string;
  seq: number;
  /** A Date, or its ISO 8601 form with milliseconds and `Z`. */
  occurredAt: Date | string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  authMethod: string;
  action: string;
  targetType: string;
  targetId: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  changes: Record<string, unknown>;
}

/** JSON with object keys sorted at every level and no insignificant white space. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * Bring a change summary to the form PostgreSQL's jsonb gives back, so the hash computed when
 * writing equals the one recomputed when verifying: plain JSON values, no NUL characters.
 */
export function normaliseChanges(changes: Record<string, unknown>): Record<string, unknown> {
  const clean = (text: string) => text.replaceAll('\u0000', '\uFFFD');
  const text = JSON.stringify(changes, (_key, value: unknown) => {
    if (typeof value === 'string') return clean(value);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), v]));
    }
    return value;
  });
  return JSON.parse(text) as Record<string, unknown>;
}

const str = JSON.stringify;

/**
 * The canonical serialisation of an event: equal to `canonicalJson` of the event object (keys in
 * sorted order, `v` last), written out directly because verification hashes every event.
 */
export function serialiseAuditEvent(event: ChainedFields): string {
  const occurredAt =
    typeof event.occurredAt === 'string' ? event.occurredAt : event.occurredAt.toISOString();
  const changes = Object.keys(event.changes).length === 0 ? '{}' : canonicalJson(event.changes);
  return (
    `{"action":${str(event.action)},"actorId":${str(event.actorId)},"actorLabel":${str(event.actorLabel)}` +
    `,"actorType":${str(event.actorType)},"authMethod":${str(event.authMethod)},"changes":${changes}` +
    `,"id":${str(event.id)},"ip":${str(event.ip)},"occurredAt":${str(occurredAt)},"orgId":${str(event.orgId)}` +
    `,"requestId":${str(event.requestId)},"seq":${str(event.seq)},"targetId":${str(event.targetId)}` +
    `,"targetType":${str(event.targetType)},"userAgent":${str(event.userAgent)},"v":1}`
  );
}

/** SHA-256 over the previous hash and the canonical serialisation of the event. */
export function hashAuditEvent(prevHash: string, event: ChainedFields): string {
  return hash('sha256', `${prevHash}\n${serialiseAuditEvent(event)}`, 'hex');
}
