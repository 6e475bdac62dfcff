import { describe, expect, it } from 'vitest';
import {
  canonicalChanges,
  canonicalJson,
  genesisHash,
  hashAuditEvent,
  normaliseChanges,
  serialiseAuditEvent,
  type ChainedFields,
} from './chain.ts';

const event: ChainedFields = {
  id: '7d8f6a52-3a1e-4c55-9a41-0e6f6f0c1a01',
  orgId: '0b5e3c1d-1111-4222-8333-944455556666',
  seq: 7,
  occurredAt: new Date('2026-01-02T03:04:05.678Z'),
  actorType: 'user',
  actorId: 'a1',
  actorLabel: 'owner@acme.test',
  authMethod: 'session',
  action: 'user.created',
  targetType: 'user',
  targetId: 't1',
  requestId: 'req-1',
  ip: '192.0.2.10',
  userAgent: 'Mozilla/5.0',
  changes: { role: 'contributor', nested: { b: 1, a: [1, 2] } },
};

const changedValues: { [K in keyof ChainedFields]: ChainedFields[K] } = {
  id: '7d8f6a52-3a1e-4c55-9a41-0e6f6f0c1a02',
  orgId: '0b5e3c1d-1111-4222-8333-944455556667',
  seq: 8,
  occurredAt: new Date('2026-01-02T03:04:05.679Z'),
  actorType: 'token',
  actorId: 'a2',
  actorLabel: 'admin@acme.test',
  authMethod: 'token',
  action: 'user.deleted',
  targetType: 'api_token',
  targetId: 't2',
  requestId: 'req-2',
  ip: '192.0.2.11',
  userAgent: 'curl/8.0',
  changes: { role: 'owner', nested: { b: 1, a: [1, 2] } },
};

describe('canonicalJson', () => {
  it('sorts object keys at every level, including inside arrays', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it('drops undefined properties but keeps null', () => {
    expect(canonicalJson({ a: undefined, b: null, c: { d: undefined } })).toBe('{"b":null,"c":{}}');
  });

  it('gives the same text whatever the insertion order of the keys', () => {
    const one = { x: 1, y: { p: 'q', r: [3, { t: true, s: false }] } };
    const two = { y: { r: [3, { s: false, t: true }], p: 'q' }, x: 1 };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(canonicalJson(one)).toBe(canonicalJson(structuredClone(one)));
  });

  it('serialises scalars as JSON does', () => {
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
    expect(canonicalJson(1.5)).toBe('1.5');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson([1, 'two', false])).toBe('[1,"two",false]');
  });
});

describe('hashAuditEvent', () => {
  it('is a stable SHA-256 hex digest', () => {
    const hash = hashAuditEvent(genesisHash, event);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(
      hashAuditEvent(genesisHash, {
        ...event,
        changes: { nested: { a: [1, 2], b: 1 }, role: 'contributor' },
      }),
    ).toBe(hash);
  });

  it('changes when any single covered field changes', () => {
    const base = hashAuditEvent(genesisHash, event);
    const fields = Object.keys(changedValues) as (keyof ChainedFields)[];
    expect(fields).toHaveLength(15);
    const unchanged = fields.filter(
      (field) => hashAuditEvent(genesisHash, { ...event, [field]: changedValues[field] }) === base,
    );
    expect(unchanged).toEqual([]);
  });

  it('changes when a nullable field becomes null', () => {
    const base = hashAuditEvent(genesisHash, event);
    for (const field of [
      'actorId',
      'actorLabel',
      'targetId',
      'requestId',
      'ip',
      'userAgent',
    ] as const) {
      expect(hashAuditEvent(genesisHash, { ...event, [field]: null }), field).not.toBe(base);
    }
  });

  it('depends on the previous hash', () => {
    expect(hashAuditEvent(genesisHash, event)).not.toBe(hashAuditEvent('1'.repeat(64), event));
  });
});

describe('normaliseChanges', () => {
  it('replaces NUL characters in string values at any depth', () => {
    expect(
      normaliseChanges({ a: 'x\u0000y\u0000', b: ['\u0000'], c: { d: 'ok', e: { f: '\u0000' } } }),
    ).toEqual({
      a: 'x\uFFFDy\uFFFD',
      b: ['\uFFFD'],
      c: { d: 'ok', e: { f: '\uFFFD' } },
    });
  });

  it('replaces NUL characters in keys, which PostgreSQL refuses in jsonb', () => {
    expect(normaliseChanges({ 'k\u0000': 1, nested: { '\u0000x': 'v' } })).toEqual({
      'k\uFFFD': 1,
      nested: { '\uFFFDx': 'v' },
    });
  });

  it('brings values to their JSON form', () => {
    expect(
      normaliseChanges({ when: new Date('2026-01-01T00:00:00.000Z'), gone: undefined, n: 2 }),
    ).toEqual({
      when: '2026-01-01T00:00:00.000Z',
      n: 2,
    });
  });

  it('gives exactly what a JSON round trip gives, in a copy that shares nothing with the input', () => {
    const nested = { to: 'Engineering', from: null };
    const samples: Record<string, unknown>[] = [
      {},
      { userName: 'ada', department: nested, list: [1, 2.5, -3, 1e21, 'x', true, null, [nested]] },
      { 10: 'ten', 2: 'two', b: 'b', a: { z: 0, y: [] } },
      { tiny: 5e-324, big: Number.MAX_SAFE_INTEGER, negativeZero: -0, notNumber: Number.NaN },
      { sparse: [1, , 3], inf: Number.POSITIVE_INFINITY }, // eslint-disable-line no-sparse-arrays
      { nullPrototype: Object.assign(Object.create(null) as object, { k: 'v' }) },
      { withToJson: { toJSON: () => 'replaced' } },
      { ['__proto__']: { polluted: true } },
      JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>,
    ];
    for (const sample of samples) {
      const normalised = normaliseChanges(sample);
      const roundTrip = JSON.parse(JSON.stringify(sample)) as Record<string, unknown>;
      expect(JSON.stringify(normalised)).toBe(JSON.stringify(roundTrip));
      expect(normalised).toStrictEqual(roundTrip);
    }
    const changes = { department: nested };
    const normalised = normaliseChanges(changes);
    expect(normalised.department).not.toBe(nested);
    nested.to = 'Sales';
    expect(normalised).toEqual({ department: { to: 'Engineering', from: null } });
  });
});

describe('serialiseAuditEvent', () => {
  it('equals the canonical JSON of the event object for varied events', () => {
    const samples = [
      { ...event, changes: {} },
      {
        ...event,
        actorId: null,
        actorLabel: 'a "quoted" label',
        ip: null,
        changes: { z: 1, a: [2, { y: 'é', b: null }] },
      },
      {
        ...event,
        userAgent: 'Mozilla/5.0 \u2028 line',
        requestId: null,
        targetId: null,
        seq: 123456,
      },
    ];
    for (const sample of samples) {
      const expected = canonicalJson({
        v: 1,
        ...sample,
        occurredAt: new Date(sample.occurredAt).toISOString(),
      });
      expect(serialiseAuditEvent(sample)).toBe(expected);
      expect(
        serialiseAuditEvent({ ...sample, occurredAt: new Date(sample.occurredAt).toISOString() }),
      ).toBe(expected);
    }
  });
});

// The implementation before canonicalJson and serialiseAuditEvent were tuned for verification
// speed; the tuned ones must give the same text for every input.
function referenceCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => referenceCanonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceCanonicalJson(v)}`).join(',')}}`;
}

function referenceSerialise(event: ChainedFields): string {
  const str = JSON.stringify;
  const occurredAt =
    typeof event.occurredAt === 'string' ? event.occurredAt : event.occurredAt.toISOString();
  const changes =
    Object.keys(event.changes).length === 0 ? '{}' : referenceCanonicalJson(event.changes);
  return (
    `{"action":${str(event.action)},"actorId":${str(event.actorId)},"actorLabel":${str(event.actorLabel)}` +
    `,"actorType":${str(event.actorType)},"authMethod":${str(event.authMethod)},"changes":${changes}` +
    `,"id":${str(event.id)},"ip":${str(event.ip)},"occurredAt":${str(occurredAt)},"orgId":${str(event.orgId)}` +
    `,"requestId":${str(event.requestId)},"seq":${str(event.seq)},"targetId":${str(event.targetId)}` +
    `,"targetType":${str(event.targetType)},"userAgent":${str(event.userAgent)},"v":1}`
  );
}

describe('tuned serialisation', () => {
  const awkward = [
    '',
    'plain',
    'quote " and backslash \\',
    'tab\tnew\nline\rcr\bback\fform',
    '\u0000\u0001\u001f\u007f',
    'é ü 中文 \u2028 \u2029',
    'emoji 😀 pair',
    'lone \ud800 high',
    'lone \udc00 low',
    '</script>',
  ];
  const values: unknown[] = [
    null,
    undefined,
    0,
    -0,
    1.5,
    1e21,
    -7,
    true,
    false,
    ...awkward,
    [],
    [undefined, null, 1, 'x'],
    {},
    { b: 1, a: undefined, c: null },
    { z: { y: [{ b: 2, a: 1 }] }, é: 1, E: 2, e: 3, '10': 4, '9': 5, '': 6 },
    Object.fromEntries(awkward.map((k, i) => [k, awkward[awkward.length - 1 - i]])),
  ];

  it('canonicalJson gives the text of the reference for awkward values', () => {
    for (const value of values) {
      expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
      expect(canonicalJson({ nested: value, list: [value, { value }] })).toBe(
        referenceCanonicalJson({ nested: value, list: [value, { value }] }),
      );
    }
  });

  it('serialiseAuditEvent gives the text of the reference for awkward fields', () => {
    const fields = Object.keys(event).filter(
      (key) => key !== 'seq' && key !== 'changes' && key !== 'occurredAt',
    ) as (keyof ChainedFields)[];
    for (const text of awkward) {
      for (const field of fields) {
        const sample = { ...event, [field]: text, changes: { [text]: text, n: [text] } };
        expect(serialiseAuditEvent(sample)).toBe(referenceSerialise(sample));
      }
    }
    for (const changes of [{}, { a: undefined }, { b: [1, { d: 2, c: 1 }], a: 'x' }]) {
      const sample = { ...event, changes, occurredAt: '2026-01-02T03:04:05.678123Z' };
      expect(serialiseAuditEvent(sample)).toBe(referenceSerialise(sample));
    }
  });
});

describe('canonicalChanges', () => {
  it('writes an empty summary as {} and keeps anything that is no object in its own form', () => {
    expect(canonicalChanges({})).toBe('{}');
    expect(canonicalChanges({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    // A stored summary changed to another empty value must not hash like {}.
    expect(canonicalChanges([])).toBe('[]');
    expect(canonicalChanges('')).toBe('""');
    expect(canonicalChanges(0)).toBe('0');
    expect(canonicalChanges(null)).toBe('null');
  });
});
