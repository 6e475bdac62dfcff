import { hash } from 'node:crypto';
import type pg from 'pg';
import { canonicalChanges } from './chain.ts';
import {
  brokenLinkReason,
  changedContentReason,
  checkpointMismatchReason,
  emptyRangeResult,
  endRange,
  type Chunk,
  type RangeResult,
} from './verify-range.ts';

// Verification reads an org's events with COPY ... TO STDOUT (FORMAT binary): PostgreSQL sends one
// message per row without formatting a value as text, and each row arrives as one buffer that is
// checked where it lies. The canonical serialisation is written byte by byte into a reusable
// buffer (text columns are UTF-8 already, as the hash input is) and hashed from there, so an event
// costs no JavaScript object or string but the hex of its hash. Nothing is hashed in PostgreSQL:
// the database being checked only hands over stored values.

/**
 * The range to copy travels as session settings set by a parameterised statement: COPY takes no
 * parameters, and this keeps values out of the SQL text.
 */
const setRangeQuery = `SELECT set_config('steward.verify_org', $1, false),
  set_config('steward.verify_after', $2, false), set_config('steward.verify_to', $3, false)`;

/** Columns in the order the canonical serialisation needs them, after the two hashes. */
const copyRangeQuery = `COPY (
  SELECT prev_hash, hash, action, actor_id, actor_label, actor_type, auth_method, changes, id, ip,
         occurred_at, request_id, seq, target_id, target_type, user_agent
    FROM audit_events
   WHERE org_id = current_setting('steward.verify_org')::uuid
     AND seq > current_setting('steward.verify_after')::bigint
     AND seq <= current_setting('steward.verify_to')::bigint
   ORDER BY seq
) TO STDOUT (FORMAT binary)`;

const columnCount = 16;

// The 11-byte signature of a binary COPY stream, then 32-bit flags and header extension length.
const copySignature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const copyHeaderLength = copySignature.length + 8;

const ascii = (text: string) => Buffer.from(text, 'latin1');
const afterPrevHash = ascii('\n{"action":');
const actorIdKey = ascii(',"actorId":');
const actorLabelKey = ascii(',"actorLabel":');
const actorTypeKey = ascii(',"actorType":');
const authMethodKey = ascii(',"authMethod":');
const changesKey = ascii(',"changes":');
const idKey = ascii(',"id":"');
const ipKey = ascii('","ip":');
const occurredAtKey = ascii(',"occurredAt":"');
const requestIdKey = ascii(',"requestId":');
const seqKey = ascii(',"seq":');
const targetIdKey = ascii(',"targetId":');
const targetTypeKey = ascii(',"targetType":');
const userAgentKey = ascii(',"userAgent":');
const closing = ascii(',"v":1}');
const nullText = ascii('null');

const hexDigits = ascii('0123456789abcdef');
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// PostgreSQL counts time from 2000-01-01, 946,684,800,000 ms after the Unix epoch.
const postgresEpochMs = 946_684_800_000;
const msPerDay = 86_400_000;
// Dates a JavaScript Date can hold (and so an event's time can have been written from).
const maxDateMs = 8.64e15;

/** The scratch buffer one row's serialisation is written to; grown for an unusually large row. */
let out: Buffer = Buffer.allocUnsafe(64 * 1024);
let at = 0;

function ensureRoom(bytes: number): void {
  if (at + bytes <= out.length) return;
  const bigger = Buffer.allocUnsafe(Math.max(out.length * 2, at + bytes));
  out.copy(bigger, 0, 0, at);
  out = bigger;
}

/** Short constant bytes: a loop costs less than a native copy at these sizes. */
function put(bytes: Buffer): void {
  const target = out;
  const offset = at;
  const length = bytes.length;
  for (let i = 0; i < length; i += 1) target[offset + i] = bytes[i] ?? 0;
  at = offset + length;
}

function putDigits(value: number, width: number): void {
  const target = out;
  const offset = at;
  for (let i = width - 1; i >= 0; i -= 1) {
    target[offset + i] = 0x30 + (value % 10);
    value = Math.floor(value / 10);
  }
  at = offset + width;
}

/** A non-negative safe integer in decimal, as JSON.stringify writes it. */
function putInteger(value: number): void {
  let width = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) width += 1;
  putDigits(value, width);
}

// Bytes JSON.stringify escapes: controls, quote and backslash (UTF-8 never holds a lone
// surrogate, the only other character it escapes).
const escaped = new Uint8Array(256);
escaped.fill(1, 0, 0x20);
escaped[0x22] = 1;
escaped[0x5c] = 1;

/** Raw UTF-8 of a text value as a JSON string, escaped exactly as JSON.stringify escapes. */
function putJsonString(row: Buffer, start: number, end: number): void {
  const target = out;
  let offset = at;
  target[offset++] = 0x22;
  for (let i = start; i < end; i += 1) {
    const c = row[i] ?? 0;
    if (escaped[c] === 0) {
      target[offset++] = c;
      continue;
    }
    target[offset++] = 0x5c;
    if (c === 0x22 || c === 0x5c) target[offset++] = c;
    else if (c === 0x08) target[offset++] = 0x62;
    else if (c === 0x09) target[offset++] = 0x74;
    else if (c === 0x0a) target[offset++] = 0x6e;
    else if (c === 0x0c) target[offset++] = 0x66;
    else if (c === 0x0d) target[offset++] = 0x72;
    else {
      target[offset++] = 0x75;
      target[offset++] = 0x30;
      target[offset++] = 0x30;
      target[offset++] = hexDigits[c >> 4] ?? 0;
      target[offset++] = hexDigits[c & 15] ?? 0;
    }
  }
  target[offset++] = 0x22;
  at = offset;
}

/** A UUID's 16 bytes in its canonical text form. */
function putUuid(row: Buffer, start: number): void {
  const target = out;
  let offset = at;
  for (let i = 0; i < 16; i += 1) {
    if (i === 4 || i === 6 || i === 8 || i === 10) target[offset++] = 0x2d;
    const b = row[start + i] ?? 0;
    target[offset++] = hexDigits[b >> 4] ?? 0;
    target[offset++] = hexDigits[b & 15] ?? 0;
  }
  at = offset;
}

// The date part ("YYYY-MM-DDT") of the day last written; events of one day follow each other.
let cachedDay = Number.NaN;
const cachedDate = Buffer.alloc(11);

function putDate(day: number): void {
  if (day !== cachedDay) {
    const text = new Date(day * msPerDay).toISOString();
    cachedDate.write(text.slice(0, 11), 'latin1');
    cachedDay = day;
  }
  put(cachedDate);
}

/**
 * A timestamptz (microseconds since 2000-01-01, as two 32-bit halves) in the form the hash covers:
 * Date#toISOString for whole milliseconds; six fractional digits otherwise, which no event written
 * from a Date can have, so a change below the millisecond is not hidden by rounding.
 */
function putTimestamp(high: number, low: number): void {
  // high * 2^32 + low exactly as milliseconds and the microseconds below them, without passing
  // through a double beyond 2^53: 2^32 = 4,294,967 * 1,000 + 296.
  const rest = high * 296 + low;
  const restMs = Math.floor(rest / 1000);
  const micros = rest - restMs * 1000;
  const ms = high * 4_294_967 + restMs + postgresEpochMs;
  if (Math.abs(ms) > maxDateMs) {
    // Infinity or beyond what a Date holds: never written by Steward, so it must not match.
    const text = `${String(high)}:${String(low)}`;
    at += out.write(text, at, 'latin1');
    return;
  }
  const day = Math.floor(ms / msPerDay);
  if (day < -719_162 || day > 2_932_896) {
    // Years before 1 or after 9999: Date#toISOString's own form, extended years included.
    const iso = new Date(ms).toISOString();
    at += out.write(iso.slice(0, -1), at, 'latin1');
  } else {
    putDate(day);
    let inDay = ms - day * msPerDay;
    const hours = Math.floor(inDay / 3_600_000);
    inDay -= hours * 3_600_000;
    const minutes = Math.floor(inDay / 60_000);
    inDay -= minutes * 60_000;
    const seconds = Math.floor(inDay / 1000);
    putDigits(hours, 2);
    out[at++] = 0x3a;
    putDigits(minutes, 2);
    out[at++] = 0x3a;
    putDigits(seconds, 2);
    out[at++] = 0x2e;
    putDigits(inDay - seconds * 1000, 3);
  }
  if (micros !== 0) putDigits(micros, 3);
  out[at++] = 0x5a;
}

/** A malformed COPY stream: verification cannot go on, and says why. */
export class CopyFormatError extends Error {}

// The row being read and the offset of its next field.
let source = out;
let pos = 0;

/** Skip to the end of the next field; its length, -1 for NULL. */
function nextField(): number {
  const length = source.readInt32BE(pos);
  pos += 4;
  if (length > 0) pos += length;
  return length;
}

function requiredField(): number {
  const length = nextField();
  if (length < 0) throw new CopyFormatError('a required column is NULL');
  return length;
}

/** The text field just read (`length` bytes before pos) as a JSON string or null. */
function putText(length: number): void {
  if (length < 0) put(nullText);
  else putJsonString(source, pos - length, pos);
}

/** The jsonb field just read in canonical JSON. */
function putChanges(length: number, row: Buffer): void {
  // jsonb's binary form: a version byte, then the JSON text.
  const start = pos - length + 1;
  if (length < 1 || row[start - 1] !== 1) throw new CopyFormatError('unexpected jsonb format');
  ensureRoom(length * 2 + 64);
  const before = at;
  json = row;
  if (row[start] === 0x7b && putJsonValue(start, pos)) return;
  // Rare shapes (non-ASCII or escaped keys, a top level that is no object): the general way.
  at = before;
  const changes = canonicalChanges(JSON.parse(row.toString('utf8', start, pos)));
  // Room for it and for the fields that follow it.
  ensureRoom(changes.length * 3 + row.length * 6 + 512);
  at += out.write(changes, at, 'utf8');
}

// Canonical JSON straight from jsonb's text form, which is JSON with a space after each `:` and
// `,`, object keys ordered by length first, strings escaped as JSON.stringify escapes them, and
// numbers written in full. Keys are put in code unit order and numbers in JavaScript's form, as
// canonicalJson writes them; anything else it does not expect makes it give up (false).
let json: Buffer = out;

function skipSpace(i: number, end: number): number {
  while (i < end && json[i] === 0x20) i += 1;
  return i;
}

/** The offset after the string starting at `i`, or -1. */
function endOfString(i: number, end: number): number {
  for (let j = i + 1; j < end; j += 1) {
    const c = json[j];
    if (c === 0x5c) j += 1;
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

/** The offset after the value starting at `i`, or -1. */
function endOfValue(i: number, end: number): number {
  const first = json[i];
  if (first === 0x22) return endOfString(i, end);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    for (let j = i; j < end; j += 1) {
      const c = json[j];
      if (c === 0x22) {
        const after = endOfString(j, end);
        if (after < 0) return -1;
        j = after - 1;
      } else if (c === 0x7b || c === 0x5b) {
        depth += 1;
      } else if (c === 0x7d || c === 0x5d) {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < end) {
    const c = json[j];
    if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20) break;
    j += 1;
  }
  return j > i ? j : -1;
}

function putRaw(start: number, end: number): void {
  const target = out;
  const source = json;
  let offset = at;
  for (let i = start; i < end; i += 1) target[offset++] = source[i] ?? 0;
  at = offset;
}

/** Byte order of two ASCII keys (with their quotes), which is their code unit order. */
function compareKeys(a: number, aEnd: number, b: number, bEnd: number): number {
  const length = Math.min(aEnd - a, bEnd - b) - 1;
  for (let i = 1; i < length; i += 1) {
    const d = (json[a + i] ?? 0) - (json[b + i] ?? 0);
    if (d !== 0) return d;
  }
  return aEnd - a - (bEnd - b);
}

// Integers that a double holds exactly and JSON.stringify writes as they are.
const plainInteger = /^(?:0|-?[1-9][0-9]{0,14})$/;

function putJsonValue(start: number, end: number): boolean {
  const first = json[start];
  if (first === 0x7b) return putJsonObject(start, end);
  if (first === 0x5b) return putJsonArray(start, end);
  if (first === 0x22) {
    if (endOfString(start, end) !== end) return false;
    putRaw(start, end);
    return true;
  }
  const text = json.toString('latin1', start, end);
  if (text === 'true' || text === 'false' || text === 'null' || plainInteger.test(text)) {
    putRaw(start, end);
    return true;
  }
  if (!/^-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/.test(text)) return false;
  // What JSON.parse then JSON.stringify make of it (`null` beyond a double's range).
  const number = JSON.stringify(Number(text));
  // Room for it and for the fields that follow the change summary.
  ensureRoom(number.length + json.length * 6 + 512);
  at += out.write(number, at, 'latin1');
  return true;
}

function putJsonArray(start: number, end: number): boolean {
  out[at++] = 0x5b;
  let i = skipSpace(start + 1, end);
  if (json[i] === 0x5d) {
    out[at++] = 0x5d;
    return i + 1 === end;
  }
  for (;;) {
    const valueEnd = endOfValue(i, end);
    if (valueEnd < 0 || !putJsonValue(i, valueEnd)) return false;
    i = skipSpace(valueEnd, end);
    if (json[i] === 0x5d) break;
    if (json[i] !== 0x2c) return false;
    out[at++] = 0x2c;
    i = skipSpace(i + 1, end);
  }
  out[at++] = 0x5d;
  return i + 1 === end;
}

function putJsonObject(start: number, end: number): boolean {
  // Members as [key start, key end, value start, value end], sorted by key before writing.
  const members: number[] = [];
  let i = skipSpace(start + 1, end);
  if (json[i] !== 0x7d) {
    for (;;) {
      if (json[i] !== 0x22) return false;
      const keyEnd = endOfString(i, end);
      if (keyEnd < 0) return false;
      for (let k = i + 1; k < keyEnd - 1; k += 1) {
        const c = json[k] ?? 0;
        // Escapes and non-ASCII characters sort differently as bytes: the general way.
        if (c === 0x5c || c >= 0x80) return false;
      }
      const colon = skipSpace(keyEnd, end);
      if (json[colon] !== 0x3a) return false;
      const valueStart = skipSpace(colon + 1, end);
      const valueEnd = endOfValue(valueStart, end);
      if (valueEnd < 0) return false;
      // Insertion sort: an object has a handful of keys.
      let slot = members.length;
      members.push(0, 0, 0, 0);
      while (slot > 0) {
        const order = compareKeys(members[slot - 4] ?? 0, members[slot - 3] ?? 0, i, keyEnd);
        if (order === 0) return false;
        if (order < 0) break;
        for (let m = 0; m < 4; m += 1) members[slot + m] = members[slot - 4 + m] ?? 0;
        slot -= 4;
      }
      members[slot] = i;
      members[slot + 1] = keyEnd;
      members[slot + 2] = valueStart;
      members[slot + 3] = valueEnd;
      i = skipSpace(valueEnd, end);
      if (json[i] === 0x7d) break;
      if (json[i] !== 0x2c) return false;
      i = skipSpace(i + 1, end);
    }
  }
  if (i + 1 !== end) return false;
  out[at++] = 0x7b;
  for (let m = 0; m < members.length; m += 4) {
    if (m > 0) out[at++] = 0x2c;
    putRaw(members[m] ?? 0, members[m + 1] ?? 0);
    out[at++] = 0x3a;
    if (!putJsonValue(members[m + 2] ?? 0, members[m + 3] ?? 0)) return false;
  }
  out[at++] = 0x7d;
  return true;
}

/** Whether bytes of `row` hold exactly the ASCII text `text` (a hex hash). */
function isSameText(row: Buffer, start: number, length: number, text: string): boolean {
  if (length !== text.length) return false;
  for (let i = 0; i < length; i += 1) {
    if (row[start + i] !== text.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Checks rows of one range as they arrive: contiguous, each linked to the one before, each
 * matching its hash and any checkpoint. The first row's link is left to the caller.
 */
export class RowChecker {
  readonly result: RangeResult;
  private readonly orgKey: Buffer;

  constructor(
    private readonly orgId: string,
    private readonly checkpointHashes: ReadonlyMap<number, string>,
    fromSeq: number,
  ) {
    this.orgKey = ascii(`","orgId":"${orgId}"`);
    this.result = emptyRangeResult(fromSeq);
  }

  private stop(seq: number, eventId: string | null, reason: string): false {
    this.result.break = { seq, eventId, reason };
    return false;
  }

  /** Check the row of a binary COPY stream at `start`; false once a break is recorded. */
  check(row: Buffer, start: number): boolean {
    if (this.result.break) return false;
    if (row.readInt16BE(start) !== columnCount) throw new CopyFormatError('unexpected row shape');
    source = row;
    pos = start + 2;
    at = 0;
    ensureRoom(row.length * 6 + 1024);
    const prevLength = requiredField();
    const prevStart = pos - prevLength;
    for (let i = 0; i < prevLength; i += 1) out[i] = row[prevStart + i] ?? 0;
    at = prevLength;
    put(afterPrevHash);
    const hashLength = requiredField();
    const hashStart = pos - hashLength;
    putText(requiredField());
    put(actorIdKey);
    putText(nextField());
    put(actorLabelKey);
    putText(nextField());
    put(actorTypeKey);
    putText(requiredField());
    put(authMethodKey);
    putText(requiredField());
    put(changesKey);
    putChanges(requiredField(), row);
    put(idKey);
    if (requiredField() !== 16) throw new CopyFormatError('unexpected uuid format');
    const idAt = at;
    putUuid(row, pos - 16);
    put(ipKey);
    putText(nextField());
    put(occurredAtKey);
    if (requiredField() !== 8) throw new CopyFormatError('unexpected timestamptz format');
    putTimestamp(row.readInt32BE(pos - 8), row.readUInt32BE(pos - 4));
    put(this.orgKey);
    put(requestIdKey);
    putText(nextField());
    put(seqKey);
    if (requiredField() !== 8) throw new CopyFormatError('unexpected bigint format');
    const seq = row.readInt32BE(pos - 8) * 4_294_967_296 + row.readUInt32BE(pos - 4);
    if (Number.isSafeInteger(seq) && seq >= 0) putInteger(seq);
    put(targetIdKey);
    putText(nextField());
    put(targetTypeKey);
    putText(requiredField());
    put(userAgentKey);
    putText(nextField());
    put(closing);

    const result = this.result;
    const expectedSeq = result.lastSeq + 1;
    if (seq !== expectedSeq) {
      return this.stop(expectedSeq, null, `event ${expectedSeq} is missing (next found is ${seq})`);
    }
    if (result.lastHash === null) {
      result.firstId = out.toString('latin1', idAt, idAt + 36);
      result.firstPrevHash = row.toString('latin1', prevStart, prevStart + prevLength);
    } else if (!isSameText(row, prevStart, prevLength, result.lastHash)) {
      return this.stop(seq, out.toString('latin1', idAt, idAt + 36), brokenLinkReason);
    }
    const computed = hash('sha256', out.subarray(0, at), 'hex');
    if (!isSameText(row, hashStart, hashLength, computed)) {
      return this.stop(seq, out.toString('latin1', idAt, idAt + 36), changedContentReason);
    }
    const checkpoint = this.checkpointHashes.get(seq);
    if (checkpoint !== undefined && checkpoint !== computed) {
      return this.stop(seq, out.toString('latin1', idAt, idAt + 36), checkpointMismatchReason);
    }
    result.lastHash = computed;
    result.lastSeq = seq;
    result.count += 1;
    return true;
  }
}

/**
 * A COPY ... TO STDOUT (FORMAT binary) run on a pg client as a custom query: each data message
 * (one row) is handed to the checker while its buffer is current, so memory stays flat and rows
 * are checked while PostgreSQL produces the next ones.
 */
class BinaryCopy implements pg.Submittable {
  private isHeaderRead = false;
  private isTrailerRead = false;
  private failure: Error | null = null;
  private settled = false;
  readonly done: Promise<void>;
  private resolveDone: () => void = () => undefined;
  private rejectDone: (error: Error) => void = () => undefined;

  constructor(
    readonly text: string,
    private readonly onRow: (row: Buffer, start: number) => void,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
  }

  submit(connection: pg.Connection): void {
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.failure) return;
    // Thrown here, an error would surface in the socket's data handler: keep it for the end.
    try {
      const chunk = message.chunk;
      let start = 0;
      if (!this.isHeaderRead) {
        if (
          chunk.length < copyHeaderLength ||
          !chunk.subarray(0, copySignature.length).equals(copySignature)
        ) {
          throw new CopyFormatError('not a binary COPY stream');
        }
        start = copyHeaderLength + chunk.readInt32BE(copySignature.length + 4);
        this.isHeaderRead = true;
        if (start === chunk.length) return;
      }
      if (this.isTrailerRead) throw new CopyFormatError('data after the end of the COPY stream');
      if (chunk.readInt16BE(start) === -1) {
        this.isTrailerRead = true;
        return;
      }
      this.onRow(chunk, start);
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
  }

  handleCommandComplete(): void {
    if (!this.failure && !this.isTrailerRead) {
      this.failure = new CopyFormatError('the COPY stream ended early');
    }
  }

  handleReadyForQuery(): void {
    this.settle(this.failure);
  }

  handleError(error: Error): void {
    // A socket error ends the query without a ReadyForQuery; an error from PostgreSQL is followed
    // by one. Either way the first error is the outcome.
    this.settle(this.failure ?? error);
  }

  handleRowDescription(): void {
    this.failure ??= new CopyFormatError('unexpected rows outside COPY');
  }

  handleDataRow(): void {
    this.failure ??= new CopyFormatError('unexpected rows outside COPY');
  }

  handleEmptyQuery(): void {
    this.failure ??= new CopyFormatError('empty query');
  }

  handlePortalSuspended(): void {
    this.failure ??= new CopyFormatError('unexpected portal suspension');
  }

  handleCopyInResponse(): void {
    this.failure ??= new CopyFormatError('unexpected COPY FROM');
  }

  private settle(error: Error | null): void {
    if (this.settled) return;
    this.settled = true;
    if (error) this.rejectDone(error);
    else this.resolveDone();
  }
}

/**
 * Stream events fromSeq..toSeq of an org, oldest first, as rows of a binary COPY: `onRow` gets
 * each row's buffer and offset, valid only during the call.
 */
export async function streamEventRows(
  client: pg.Client,
  orgId: string,
  fromSeq: number,
  toSeq: number,
  onRow: (row: Buffer, start: number) => void,
): Promise<void> {
  // The org id comes from audit_heads; checked anyway, as it reaches a session setting.
  if (!uuidPattern.test(orgId)) throw new Error(`not an organisation id: ${orgId}`);
  await client.query(setRangeQuery, [orgId, String(fromSeq - 1), String(toSeq)]);
  const copy = new BinaryCopy(copyRangeQuery, onRow);
  // pg hands a query object with `submit` the protocol messages of its statement.
  client.query(copy);
  await copy.done;
}

/** Verify one chunk of an org's log over `client`, streaming its rows through a RowChecker. */
export async function verifyChunkByCopy(
  client: pg.Client,
  orgId: string,
  chunk: Chunk,
  checkpointHashes: ReadonlyMap<number, string>,
): Promise<RangeResult> {
  const checker = new RowChecker(orgId, checkpointHashes, chunk.fromSeq);
  await streamEventRows(client, orgId, chunk.fromSeq, chunk.toSeq, (row, start) => {
    checker.check(row, start);
  });
  return endRange(checker.result, chunk.toSeq);
}
