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
  // Loops and a plain sort (UTF-16 code unit order, as `<` compares) rather than entries, filter
  // and map: verification canonicalises the changes of every event.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      out += i === 0 ? canonicalJson(value[i]) : `,${canonicalJson(value[i])}`;
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${jsonText(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
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

// Characters JSON.stringify escapes in a string (quote, backslash, controls, lone surrogates;
// any surrogate here, so pairs take the slow path too).
// eslint-disable-next-line no-control-regex -- the control characters are what is looked for
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify, skipping its escape pass for strings that need none. */
function jsonText(value: unknown): string {
  if (typeof value === 'string' && !needsEscape.test(value)) return `"${value}"`;
  return JSON.stringify(value);
}

/**
 * The canonical JSON of a change summary (`{}` when it has no keys). A stored summary that is no
 * object (a changed row) keeps its own form, so an empty array or string cannot pass for `{}`.
 */
export function canonicalChanges(changes: unknown): string {
  return canonicalJson(changes);
}

/**
 * The canonical serialisation from the covered fields, given in the order of their keys with
 * `changes` already canonical; positional so that verification builds no object per event.
 */
export function serialiseFields(
  action: string,
  actorId: string | null,
  actorLabel: string | null,
  actorType: string,
  authMethod: string,
  changesJson: string,
  id: string,
  ip: string | null,
  occurredAt: string,
  orgId: string,
  requestId: string | null,
  seq: number,
  targetId: string | null,
  targetType: string,
  userAgent: string | null,
): string {
  return (
    `{"action":${jsonText(action)},"actorId":${jsonText(actorId)},"actorLabel":${jsonText(actorLabel)}` +
    `,"actorType":${jsonText(actorType)},"authMethod":${jsonText(authMethod)},"changes":${changesJson}` +
    `,"id":${jsonText(id)},"ip":${jsonText(ip)},"occurredAt":${jsonText(occurredAt)},"orgId":${jsonText(orgId)}` +
    `,"requestId":${jsonText(requestId)},"seq":${jsonText(seq)},"targetId":${jsonText(targetId)}` +
    `,"targetType":${jsonText(targetType)},"userAgent":${jsonText(userAgent)},"v":1}`
  );
}

/**
 * The canonical serialisation of an event: equal to `canonicalJson` of the event object (keys in
 * sorted order, `v` last), written out directly because verification hashes every event.
 */
export function serialiseAuditEvent(event: ChainedFields): string {
  const occurredAt =
    typeof event.occurredAt === 'string' ? event.occurredAt : event.occurredAt.toISOString();
  return serialiseFields(
    event.action,
    event.actorId,
    event.actorLabel,
    event.actorType,
    event.authMethod,
    canonicalChanges(event.changes),
    event.id,
    event.ip,
    occurredAt,
    event.orgId,
    event.requestId,
    event.seq,
    event.targetId,
    event.targetType,
    event.userAgent,
  );
}

/** SHA-256 over the previous hash and a canonical serialisation. */
export function chainHash(prevHash: string, serialised: string): string {
  return hash('sha256', `${prevHash}\n${serialised}`, 'hex');
}

/** SHA-256 over the previous hash and the canonical serialisation of the event. */
export function hashAuditEvent(prevHash: string, event: ChainedFields): string {
  return chainHash(prevHash, serialiseAuditEvent(event));
}
