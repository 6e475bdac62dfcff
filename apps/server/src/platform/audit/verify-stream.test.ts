import { describe, expect, it } from 'vitest';
import { chainHash, genesisHash, hashAuditEvent, serialiseAuditEvent } from './chain.ts';
import type { ChainedFields } from './chain.ts';
import { CopyFormatError, RowChecker } from './verify-stream.ts';

const orgId = '0b5e3c1d-1111-4222-8333-944455556666';
const postgresEpochMicros = 946_684_800_000_000n;

function text(value: string | null): Buffer {
  if (value === null) return int32(-1);
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([int32(bytes.length), bytes]);
}

function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}

function int64(value: bigint): Buffer {
  const b = Buffer.alloc(12);
  b.writeInt32BE(8);
  b.writeBigInt64BE(value, 4);
  return b;
}

/** A row as binary COPY sends it, in the verification query's column order. */
function copyRow(
  event: ChainedFields,
  prevHash: string,
  hash: string,
  options: { micros?: bigint; jsonbText?: string } = {},
): Buffer {
  const micros =
    options.micros ?? BigInt(new Date(event.occurredAt).getTime()) * 1000n - postgresEpochMicros;
  const changes = Buffer.from(options.jsonbText ?? JSON.stringify(event.changes), 'utf8');
  return Buffer.concat([
    Buffer.from([0, 16]),
    text(prevHash),
    text(hash),
    text(event.action),
    text(event.actorId),
    text(event.actorLabel),
    text(event.actorType),
    text(event.authMethod),
    int32(changes.length + 1),
    Buffer.from([1]),
    changes,
    int32(16),
    Buffer.from(event.id.replaceAll('-', ''), 'hex'),
    text(event.ip),
    int64(micros),
    text(event.requestId),
    int64(BigInt(event.seq)),
    text(event.targetId),
    text(event.targetType),
    text(event.userAgent),
  ]);
}

function eventAt(seq: number, fields: Partial<ChainedFields> = {}): ChainedFields {
  return {
    id: `7d8f6a52-3a1e-4c55-9a41-0e6f6f0c1a${String(seq).padStart(2, '0')}`,
    orgId,
    seq,
    occurredAt: new Date('2026-01-02T03:04:05.678Z'),
    actorType: 'user',
    actorId: 'a1',
    actorLabel: 'Zoë "admin" \\ \u0001',
    authMethod: 'session',
    action: 'user.updated',
    targetType: 'user',
    targetId: null,
    requestId: null,
    ip: null,
    userAgent: 'Agent\t1.0',
    changes: { name: { to: 'B', from: 'A' }, aa: [1, 0.5, 1e21], b: null },
    ...fields,
  };
}

function check(rows: Buffer[]) {
  const checker = new RowChecker(orgId, new Map(), 1);
  for (const row of rows) checker.check(row, 0);
  return checker.result;
}

describe('RowChecker', () => {
  it('recomputes the hash of events written at any representable time', () => {
    const times = [
      new Date('2026-01-02T03:04:05.678Z'),
      new Date('1969-12-31T23:59:59.999Z'),
      new Date('0001-01-01T00:00:00.000Z'),
      new Date('9999-12-31T23:59:59.999Z'),
      new Date('+010000-01-01T00:00:00.001Z'),
      new Date('-000001-06-15T12:00:00.000Z'),
    ];
    let prev = genesisHash;
    const rows = times.map((occurredAt, i) => {
      const event = eventAt(i + 1, { occurredAt });
      const hash = hashAuditEvent(prev, event);
      const row = copyRow(event, prev, hash);
      prev = hash;
      return row;
    });
    const result = check(rows);
    expect(result.break).toBeNull();
    expect(result).toMatchObject({ count: times.length, lastSeq: times.length, lastHash: prev });
  });

  it('writes a time below the millisecond with six digits, so it matches only that form', () => {
    const event = eventAt(1);
    const micros = BigInt(Date.parse('2026-01-02T03:04:05.678Z')) * 1000n + 901n;
    const sixDigits = chainHash(
      genesisHash,
      serialiseAuditEvent({ ...event, occurredAt: '2026-01-02T03:04:05.678901Z' }),
    );
    const row = (hash: string) =>
      copyRow(event, genesisHash, hash, { micros: micros - postgresEpochMicros });
    expect(check([row(sixDigits)]).break).toBeNull();
    expect(check([row(hashAuditEvent(genesisHash, event))]).break).toMatchObject({
      seq: 1,
      reason: expect.stringContaining('does not match its hash') as string,
    });
  });

  it('never matches an infinite time', () => {
    const event = eventAt(1);
    const hash = hashAuditEvent(genesisHash, event);
    const infinity = copyRow(event, genesisHash, hash, { micros: 2n ** 63n - 1n });
    expect(check([infinity]).break).toMatchObject({ seq: 1 });
  });

  it('puts jsonb text in canonical order, falling back for keys whose byte order differs', () => {
    const changes = { é: 1, z: { '\u{1F600}': 2, '\uE000': 3 }, a: 'x' };
    const event = eventAt(1, { changes });
    const hash = hashAuditEvent(genesisHash, event);
    // jsonb's own layout: a space after `:` and `,`, shorter keys first.
    const jsonbText = '{"a": "x", "z": {"\uE000": 3, "\u{1F600}": 2}, "é": 1}';
    expect(check([copyRow(event, genesisHash, hash, { jsonbText })]).break).toBeNull();
    const plain = eventAt(1, {
      changes: { to: 1, from: [1.5e-7, Number('12345678901234567890')] },
    });
    const plainHash = hashAuditEvent(genesisHash, plain);
    const plainText = '{"to": 1, "from": [0.00000015, 12345678901234567890]}';
    expect(
      check([copyRow(plain, genesisHash, plainHash, { jsonbText: plainText })]).break,
    ).toBeNull();
  });

  it('names a missing event, a broken link and a changed row', () => {
    const first = eventAt(1);
    const firstHash = hashAuditEvent(genesisHash, first);
    const second = eventAt(2);
    const secondHash = hashAuditEvent(firstHash, second);
    const rows = [copyRow(first, genesisHash, firstHash), copyRow(second, firstHash, secondHash)];
    expect(check([rows[1] ?? Buffer.alloc(0)]).break).toMatchObject({
      seq: 1,
      eventId: null,
      reason: 'event 1 is missing (next found is 2)',
    });
    const relinked = copyRow(second, genesisHash, secondHash);
    expect(check([rows[0] ?? Buffer.alloc(0), relinked]).break).toMatchObject({
      seq: 2,
      eventId: second.id,
      reason: expect.stringContaining('previous-hash link') as string,
    });
    const changed = copyRow({ ...second, actorLabel: 'someone else' }, firstHash, secondHash);
    expect(check([rows[0] ?? Buffer.alloc(0), changed]).break).toMatchObject({
      seq: 2,
      eventId: second.id,
      reason: expect.stringContaining('does not match its hash') as string,
    });
  });

  it('refuses a row that is not shaped like the query', () => {
    const row = copyRow(eventAt(1), genesisHash, genesisHash);
    row.writeInt16BE(15, 0);
    expect(() => check([row])).toThrow(CopyFormatError);
  });
});
