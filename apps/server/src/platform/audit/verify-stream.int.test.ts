import { createPublicKey, type KeyObject } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedActor, seedOrg } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import type { Actor } from './audit-writer.ts';
import { createUnitOfWork } from './unit-of-work.ts';
import { verifyAuditLog, type VerifyOptions } from './verify.ts';

let t: TestApp;
let key: KeyObject;

beforeAll(async () => {
  t = await createTestApp();
  key = createPublicKey(t.signer.publicKeyPem);
});

afterAll(async () => {
  await t.close();
});

/** Every way verification reads an org: batches through Kysely, one COPY stream, COPY in chunks. */
function readingPaths(orgId: string): Record<string, VerifyOptions> {
  return {
    batches: { orgId },
    stream: { orgId, parallelUrl: t.databaseUrl, threads: 1 },
    chunks: { orgId, parallelUrl: t.databaseUrl, parallelAbove: 0, threads: 2 },
  };
}

async function verifyEveryWay(orgId: string) {
  const results: Record<string, Awaited<ReturnType<typeof verifyAuditLog>>> = {};
  for (const [name, options] of Object.entries(readingPaths(orgId))) {
    results[name] = await verifyAuditLog(t.pools.owner, key, options);
  }
  return results;
}

/** An org whose log holds `count` events after its creation, the `changes` of each given. */
async function seedLog(
  name: string,
  changes: (i: number) => Record<string, unknown>,
  count = 39,
  actor: Actor = seedActor,
): Promise<string> {
  const orgId = await seedOrg(t, name);
  if (count === 0) return orgId;
  const uow = createUnitOfWork({ db: t.pools.app, auditWriter: t.auditWriter, orgId, actor });
  await uow.write(async ({ audit }) => {
    for (let i = 0; i < count; i += 1) {
      await audit({
        action: 'user.updated',
        targetType: 'user',
        targetId: `u-${i}`,
        changes: changes(i),
      });
    }
  });
  return orgId;
}

/** Run statements on the append-only tables with their protecting triggers off. */
async function tamper(...statements: ReturnType<typeof sql>[]): Promise<void> {
  const owner = t.pools.owner;
  await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`.execute(owner);
  await sql`ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only`.execute(
    owner,
  );
  try {
    for (const statement of statements) await statement.execute(owner);
  } finally {
    await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`.execute(owner);
    await sql`ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_append_only`.execute(
      owner,
    );
  }
}

// Values whose canonical form differs from jsonb's text: keys jsonb orders by length, keys whose
// byte order is not their code unit order, escapes, numbers jsonb writes in full.
const unusualChanges: Record<string, unknown>[] = [
  { name: { from: 'Ann', to: 'Anna' }, role: { from: 'contributor', to: 'admin' } },
  { b: 1, aa: 2, a: 3, ccc: [3, 2, 1], '': 'empty key', '10': 'ten', '2': 'two' },
  { ä: 1, z: 2, '\u{1F600}': 'emoji key', '\uE000': 'private use key', Ω: [] },
  { 'quote"key': 1, 'back\\slash': 2, 'tab\tkey': 3, plain: 4 },
  {
    text: 'line\nbreak\ttab "quoted" back\\slash \u0001\u001f\u007f Zürich ✓ \u{1F600} \u2028',
  },
  {
    numbers: [0, -0, 1, -42, 0.1, 123.456, 1e21, 1.5e-7, 2 ** 53 + 1, -1e300, 5e-324, 1e-7],
    big: Number('12345678901234567890'),
  },
  { nested: { z: { y: { x: [{ b: 1, a: 2 }, [], {}, null, true, false] } }, a: {} } },
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}') as Record<string, unknown>,
  {},
  { list: ['a', { to: 1, from: 0 }, ['nested', ['deeper']]] },
];

describe('audit verification by COPY stream', () => {
  it('recomputes the hash the writer computed for unusual values, on every reading path', async () => {
    const actor: Actor = {
      type: 'user',
      id: 'user-"1"',
      label: 'Zoë "the admin" \\ O\'Brien \u0007\u{1F600}',
      authMethod: 'session',
      requestId: 'req\n1',
      ip: '2001:db8::1',
      userAgent: 'Agent/1.0 (tab\there) \u001b[0m',
    };
    const orgId = await seedLog(
      'Unusual Org',
      (i) => unusualChanges[i % unusualChanges.length] ?? {},
      unusualChanges.length * 3,
      actor,
    );
    const results = await verifyEveryWay(orgId);
    for (const result of Object.values(results)) {
      expect(result).toMatchObject({ ok: true, events: unusualChanges.length * 3 + 1 });
    }
  });

  it('recomputes the hash of random change summaries on every reading path', async () => {
    // A fixed-seed generator, so a failure can be replayed.
    let state = 20261127;
    const random = () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
    const alphabet = [
      'a',
      'b',
      'Z',
      '0',
      '9',
      '_',
      ' ',
      '"',
      '\\',
      '\n',
      'é',
      'Ω',
      '\u{1F600}',
      '\uE000',
    ];
    const text = () =>
      Array.from(
        { length: Math.floor(random() * 6) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
    const value = (depth: number): unknown => {
      const kind = Math.floor(random() * (depth > 2 ? 5 : 7));
      if (kind === 0) return text();
      if (kind === 1) return Math.floor(random() * 2_000_000) - 1_000_000;
      if (kind === 2) return (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
      if (kind === 3) return random() < 0.5;
      if (kind === 4) return null;
      if (kind === 5)
        return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return object(depth + 1);
    };
    const object = (depth: number): Record<string, unknown> => {
      const result: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 5); i > 0; i -= 1) result[text()] = value(depth);
      return result;
    };
    const orgId = await seedLog('Random Org', () => object(0), 300);
    for (const result of Object.values(await verifyEveryWay(orgId))) {
      expect(result).toMatchObject({ ok: true, events: 301 });
    }
  });

  it('verifies an org with no events but its creation, and one with a signed checkpoint', async () => {
    const orgId = await seedLog('Small Org', (i) => ({ i }), 0);
    for (const result of Object.values(await verifyEveryWay(orgId))) {
      expect(result).toMatchObject({ ok: true, events: 1, checkpoints: 0 });
    }
    const signed = await seedLog('Signed Org', (i) => ({ i }), 12);
    await t.pools.owner
      .transaction()
      .execute((tx) => t.auditWriter.writeCheckpoint(tx, signed).then(() => undefined));
    for (const result of Object.values(await verifyEveryWay(signed))) {
      expect(result).toMatchObject({ ok: true, events: 13, checkpoints: 1 });
    }
  });

  // 40 events split into 8 chunks of 5 (seq 1-5, ..., 36-40) on the chunked path: each change
  // lands in the second half, on a chunk's first, middle or last event.
  const changedRows: {
    name: string;
    seq: number;
    statements: (orgId: string) => ReturnType<typeof sql>[];
    reason: string;
  }[] = [
    {
      name: 'a changed change summary',
      seq: 33,
      statements: (orgId) => [
        sql`UPDATE audit_events SET changes = jsonb_set(changes, '{i}', '99') WHERE org_id = ${orgId} AND seq = 33`,
      ],
      reason: 'does not match its hash',
    },
    {
      name: 'a time moved by one microsecond',
      seq: 28,
      statements: (orgId) => [
        sql`UPDATE audit_events SET occurred_at = occurred_at + interval '1 microsecond' WHERE org_id = ${orgId} AND seq = 28`,
      ],
      reason: 'does not match its hash',
    },
    {
      name: 'an actor label with a trailing space',
      seq: 40,
      statements: (orgId) => [
        sql`UPDATE audit_events SET actor_label = actor_label || ' ' WHERE org_id = ${orgId} AND seq = 40`,
      ],
      reason: 'does not match its hash',
    },
    {
      name: 'an empty change summary replaced by an empty array',
      seq: 30,
      statements: (orgId) => [
        sql`UPDATE audit_events SET changes = '[]'::jsonb WHERE org_id = ${orgId} AND seq = 30`,
      ],
      reason: 'does not match its hash',
    },
    {
      name: "a chunk's first event deleted",
      seq: 36,
      statements: (orgId) => [sql`DELETE FROM audit_events WHERE org_id = ${orgId} AND seq = 36`],
      reason: 'event 36 is missing (next found is 37)',
    },
    {
      name: "a chunk's first event linked elsewhere",
      seq: 26,
      statements: (orgId) => [
        sql`UPDATE audit_events SET prev_hash = (SELECT hash FROM audit_events WHERE org_id = ${orgId} AND seq = 3) WHERE org_id = ${orgId} AND seq = 26`,
      ],
      reason: 'its previous-hash link does not match',
    },
    {
      name: "a chunk's last event rehashed along with the next link",
      seq: 35,
      statements: (orgId) => [
        sql`UPDATE audit_events SET hash = repeat('a', 64), action = 'user.created' WHERE org_id = ${orgId} AND seq = 35`,
        sql`UPDATE audit_events SET prev_hash = repeat('a', 64) WHERE org_id = ${orgId} AND seq = 36`,
      ],
      reason: 'does not match its hash',
    },
    {
      name: 'the events after one removed and the rest renumbered',
      seq: 31,
      statements: (orgId) => [
        sql`DELETE FROM audit_events WHERE org_id = ${orgId} AND seq = 31`,
        sql`UPDATE audit_events SET seq = -seq WHERE org_id = ${orgId} AND seq > 31`,
        sql`UPDATE audit_events SET seq = -seq - 1 WHERE org_id = ${orgId} AND seq < 0`,
      ],
      reason: 'its previous-hash link does not match',
    },
  ];

  for (const change of changedRows) {
    it(`finds ${change.name} at event ${change.seq} the same way on every reading path`, async () => {
      const orgId = await seedLog(`Changed ${change.seq} Org`, (i) =>
        i === 28 ? {} : { i, name: { from: `n${i}`, to: `n${i + 1}` } },
      );
      for (const result of Object.values(await verifyEveryWay(orgId))) {
        expect(result).toMatchObject({ ok: true, events: 40 });
      }
      await tamper(...change.statements(orgId));
      const results = await verifyEveryWay(orgId);
      expect(results.batches).toMatchObject({
        ok: false,
        break: { orgId, seq: change.seq, reason: expect.stringContaining(change.reason) as string },
      });
      expect(results.stream).toEqual(results.batches);
      expect(results.chunks).toEqual(results.batches);
    });
  }

  it('finds a checkpoint that records another hash than its event, on every reading path', async () => {
    const orgId = await seedLog('Checkpoint Org', (i) => ({ i }), 29);
    await t.pools.owner
      .transaction()
      .execute((tx) => t.auditWriter.writeCheckpoint(tx, orgId).then(() => undefined));
    await tamper(
      sql`UPDATE audit_checkpoints SET event_hash = repeat('b', 64) WHERE org_id = ${orgId}`,
    );
    const results = await verifyEveryWay(orgId);
    expect(results.batches).toMatchObject({
      ok: false,
      break: { seq: 30, reason: expect.stringContaining('signed checkpoint') as string },
    });
    expect(results.stream).toEqual(results.batches);
    expect(results.chunks).toEqual(results.batches);
  });
});
