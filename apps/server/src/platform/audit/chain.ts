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

// What copyPlain answers for a value that needs JSON.stringify's own rules.
const notPlain = Symbol('notPlain');

// Deeper than this, the general path decides (and refuses a cycle as it always did).
const maxPlainDepth = 64;

/**
 * A copy of a value that a JSON round trip would give back unchanged (strings without NUL,
 * finite numbers other than -0, booleans, null, plain objects and dense arrays of those), or
 * `notPlain`. Copying such a value directly gives what the round trip gives, at a fraction of
 * its CPU: every audited write normalises its summaries.
 */
function copyPlain(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return value.includes('\u0000') ? notPlain : value;
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? value : notPlain;
    case 'object': {
      if (value === null) return null;
      if (depth > maxPlainDepth) return notPlain;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return notPlain;
        const items: unknown[] = [];
        for (let i = 0; i < value.length; i += 1) {
          if (!(i in value)) return notPlain;
          const item = copyPlain(value[i], depth + 1);
          if (item === notPlain) return notPlain;
          items.push(item);
        }
        return items;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if ((prototype !== Object.prototype && prototype !== null) || 'toJSON' in value) {
        return notPlain;
      }
      const record = value as Record<string, unknown>;
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(record)) {
        if (key === '__proto__' || key.includes('\u0000')) return notPlain;
        const item = copyPlain(record[key], depth + 1);
        if (item === notPlain) return notPlain;
        copy[key] = item;
      }
      return copy;
    }
    default:
      return notPlain;
  }
}

/**
 * Bring a change summary to the form PostgreSQL's jsonb gives back, so the hash computed when
 * writing equals the one recomputed when verifying: plain JSON values, no NUL characters.
 */
export function normaliseChanges(changes: Record<string, unknown>): Record<string, unknown> {
  const plain = copyPlain(changes, 0);
  if (plain !== notPlain) return plain as Record<string, unknown>;
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
