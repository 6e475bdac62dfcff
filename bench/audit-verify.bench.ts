// Audit verification throughput: `steward audit verify` must check >= 100,000 events per second.
//
// One organisation gets 200,000 events on top of the two setup writes. Rows are built with the
// real chain hash (hashAuditEvent) and bulk-inserted through the owner connection, 10,000 per
// transaction with the head row updated to match and a checkpoint signed by the real audit
// writer after each batch (as the writer itself does every 10,000 events). Then
// verifyAuditLog() is timed in this process, and the real CLI is run once against the same
// data directory.
import { auditActions } from '@steward/contracts';
import {
  createAuditWriter,
  createLogger,
  loadOrCreateSigner,
  openDatabase,
  parseConfig,
  setUp,
  verifyAuditLog,
  type Actor,
} from '@steward/server';
import { sql } from 'kysely';
import { createPublicKey, randomUUID } from 'node:crypto';
import {
  hashAuditEvent,
  normaliseChanges,
  type ChainedFields,
} from '../apps/server/src/platform/audit/chain.ts';
import {
  figure,
  freePort,
  heading,
  note,
  profiled,
  runBench,
  runSteward,
  since,
  stewardEnv,
  stopLeftoverPostgres,
  takeOverSignals,
  tempDataDir,
} from './lib.ts';

const eventCount = 200_000;
const batchSize = 10_000;
const verifyRuns = 3;
const targetEventsPerSecond = 100_000;

const benchActor: Actor = {
  type: 'system',
  id: null,
  label: 'bench:audit-verify',
  authMethod: 'cli',
  requestId: null,
  ip: null,
  userAgent: 'steward-bench',
};

/** A plausible event: a handful of users acting through sessions and tokens on varied targets. */
function makeEvent(
  orgId: string,
  seq: number,
  base: number,
  userIds: string[],
): ChainedFields & { occurredAt: Date } {
  const userId = userIds[seq % userIds.length] ?? null;
  const viaToken = seq % 7 === 0;
  const action = auditActions[seq % auditActions.length] ?? 'user.updated';
  return {
    id: randomUUID(),
    orgId,
    seq,
    occurredAt: new Date(base + seq * 37),
    actorType: viaToken ? 'token' : 'user',
    actorId: userId,
    actorLabel: `user${seq % userIds.length}@bench.example${viaToken ? ' (token ci)' : ''}`,
    authMethod: viaToken ? 'token' : 'session',
    action,
    targetType: action.split('.')[0] ?? 'user',
    targetId: userIds[(seq * 7) % userIds.length] ?? null,
    requestId: randomUUID(),
    ip: `10.0.${(seq >> 8) & 255}.${seq & 255}`,
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
    changes: normaliseChanges({
      name: { from: `Name ${seq - 1}`, to: `Name ${seq}` },
      role: seq % 3 === 0 ? { from: 'contributor', to: 'admin' } : undefined,
      reason: seq % 5 === 0 ? 'quarterly access review' : undefined,
    }),
  };
}

await runBench('bench:audit-verify', async (cleanup) => {
  const dataDir = await tempDataDir(cleanup, 'audit');
  const pgPort = await freePort();
  const env = {
    STEWARD_DATA_DIR: dataDir,
    STEWARD_EMBEDDED_PG_PORT: String(pgPort),
    LOG_LEVEL: 'warn',
  };
  const config = parseConfig(env);
  const logger = createLogger('warn');
  note(`data dir ${dataDir}, PostgreSQL port ${pgPort}`);

  heading('setup');
  let started = performance.now();
  // Registered first so it runs last, and even when start-up itself is interrupted.
  cleanup.add('stop a leftover embedded PostgreSQL', () => stopLeftoverPostgres(dataDir));
  const database = await openDatabase(config, logger);
  takeOverSignals();
  cleanup.add('stop embedded PostgreSQL', () => database.close());
  figure('embedded PostgreSQL start + migrations', since(started), 'ms');
  const signer = await loadOrCreateSigner(config.dataDir);
  const auditWriter = createAuditWriter(signer);
  const { me } = await setUp(
    { db: database.pools.app, auditWriter, session: config.session },
    benchActor,
    {
      orgName: 'Bench Org',
      name: 'Bench Owner',
      email: 'owner@bench.example',
      password: 'correct horse battery staple 42',
    },
    { openSession: false },
  );
  const orgId = me.org.id;
  const owner = database.pools.owner;
  const userIds = [me.user.id, ...Array.from({ length: 49 }, () => randomUUID())];

  // Bulk load: hash in JS, insert with one unnest() statement per batch.
  let hashMs = 0;
  started = performance.now();
  const base = Date.now() - eventCount * 37;
  for (let done = 0; done < eventCount; done += batchSize) {
    await owner.transaction().execute(async (tx) => {
      const head = await tx
        .selectFrom('audit_heads')
        .select(['seq', 'last_hash'])
        .where('org_id', '=', orgId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      let prevHash = head.last_hash;
      let seq = Number(head.seq);
      const columns = {
        seq: [] as number[],
        id: [] as string[],
        occurredAt: [] as string[],
        actorType: [] as string[],
        actorId: [] as (string | null)[],
        actorLabel: [] as (string | null)[],
        authMethod: [] as string[],
        action: [] as string[],
        targetType: [] as string[],
        targetId: [] as (string | null)[],
        requestId: [] as (string | null)[],
        ip: [] as (string | null)[],
        userAgent: [] as (string | null)[],
        changes: [] as string[],
        prevHash: [] as string[],
        hash: [] as string[],
      };
      const hashStarted = performance.now();
      for (let i = 0; i < Math.min(batchSize, eventCount - done); i += 1) {
        seq += 1;
        const event = makeEvent(orgId, seq, base, userIds);
        const hash = hashAuditEvent(prevHash, event);
        columns.seq.push(seq);
        columns.id.push(event.id);
        columns.occurredAt.push(event.occurredAt.toISOString());
        columns.actorType.push(event.actorType);
        columns.actorId.push(event.actorId);
        columns.actorLabel.push(event.actorLabel);
        columns.authMethod.push(event.authMethod);
        columns.action.push(event.action);
        columns.targetType.push(event.targetType);
        columns.targetId.push(event.targetId);
        columns.requestId.push(event.requestId);
        columns.ip.push(event.ip);
        columns.userAgent.push(event.userAgent);
        columns.changes.push(JSON.stringify(event.changes));
        columns.prevHash.push(prevHash);
        columns.hash.push(hash);
        prevHash = hash;
      }
      hashMs += since(hashStarted);
      const c = columns;
      await sql`
        INSERT INTO audit_events (org_id, seq, id, occurred_at, actor_type, actor_id, actor_label,
          auth_method, action, target_type, target_id, request_id, ip, user_agent, changes,
          prev_hash, hash)
        SELECT ${orgId}::uuid, u.* FROM unnest(${c.seq}::bigint[], ${c.id}::uuid[],
          ${c.occurredAt}::timestamptz[], ${c.actorType}::text[], ${c.actorId}::text[],
          ${c.actorLabel}::text[], ${c.authMethod}::text[], ${c.action}::text[],
          ${c.targetType}::text[], ${c.targetId}::text[], ${c.requestId}::text[], ${c.ip}::text[],
          ${c.userAgent}::text[], ${c.changes}::jsonb[], ${c.prevHash}::text[], ${c.hash}::text[]) AS u`.execute(
        tx,
      );
      await tx
        .updateTable('audit_heads')
        .set({ seq, last_hash: prevHash })
        .where('org_id', '=', orgId)
        .execute();
      await auditWriter.writeCheckpoint(tx, orgId);
    });
  }
  const loadMs = since(started);
  figure(
    `bulk load ${eventCount.toLocaleString('en-US')} events (hash + insert + checkpoints)`,
    loadMs,
    'ms',
  );
  figure('  of which building rows and hashing in JS', hashMs, 'ms');
  started = performance.now();
  await sql`ANALYZE audit_events`.execute(owner);
  await sql`CHECKPOINT`.execute(owner);
  figure('ANALYZE + CHECKPOINT after the load', since(started), 'ms');
  const { rows: sizeRows } = await sql<{ size: string }>`
    SELECT pg_size_pretty(pg_total_relation_size('audit_events')) AS size`.execute(owner);
  note(`audit_events: ${sizeRows[0]?.size ?? '?'} with indexes`);

  heading(`verifyAuditLog() in this process, ${verifyRuns} runs`);
  const publicKey = createPublicKey(signer.publicKeyPem);
  const rates: number[] = [];
  for (let run = 1; run <= verifyRuns; run += 1) {
    started = performance.now();
    const result = await profiled(`verify-run-${run}`, () =>
      verifyAuditLog(owner, publicKey, { parallelUrl: database.pools.ownerUrl }),
    );
    const ms = since(started);
    if (!result.ok) throw new Error(`verification failed: ${JSON.stringify(result.break)}`);
    rates.push(result.events / (ms / 1000));
    figure(
      `run ${run}: ${result.events.toLocaleString('en-US')} events, ${result.checkpoints} checkpoints, ok`,
      ms,
      'ms',
    );
  }
  const sorted = [...rates].sort((a, b) => a - b);
  figure('verify throughput, best', sorted.at(-1) ?? 0, 'events/s');
  figure('verify throughput, median', sorted[Math.floor(sorted.length / 2)] ?? 0, 'events/s', {
    min: targetEventsPerSecond,
  });

  // Where the time goes: the same keyset queries without hashing, and hashing without the queries.
  heading('diagnosis');
  started = performance.now();
  let fetched = 0;
  let lastSeq = 0;
  let sample: Awaited<ReturnType<typeof fetchBatch>> = [];
  function fetchBatch(after: number) {
    return owner
      .selectFrom('audit_events')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('seq', '>', sql<string>`${after}`)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
  }
  for (;;) {
    const rows = await fetchBatch(lastSeq);
    fetched += rows.length;
    if (sample.length === 0) sample = rows;
    lastSeq = Number(rows.at(-1)?.seq ?? lastSeq);
    if (rows.length < batchSize) break;
  }
  const fetchMs = since(started);
  figure(
    `fetch + parse only (${fetched.toLocaleString('en-US')} rows, same queries)`,
    fetchMs,
    'ms',
  );
  figure('  fetch + parse rate', fetched / (fetchMs / 1000), 'rows/s');
  started = performance.now();
  const hashRounds = 5;
  for (let round = 0; round < hashRounds; round += 1) {
    for (const row of sample) {
      hashAuditEvent(row.prev_hash, {
        id: row.id,
        orgId: row.org_id,
        seq: Number(row.seq),
        occurredAt: row.occurred_at,
        actorType: row.actor_type,
        actorId: row.actor_id,
        actorLabel: row.actor_label,
        authMethod: row.auth_method,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        requestId: row.request_id,
        ip: row.ip,
        userAgent: row.user_agent,
        changes: row.changes,
      });
    }
  }
  const hashed = sample.length * hashRounds;
  const hashOnlyMs = since(started);
  figure(
    `hashAuditEvent only (${hashed.toLocaleString('en-US')} rows in memory)`,
    (hashOnlyMs / hashed) * 1000,
    'us/event',
  );
  figure('  hashAuditEvent rate', hashed / (hashOnlyMs / 1000), 'events/s');

  // The real CLI attaches to the cluster this process runs.
  heading('node apps/cli/bin/steward.mjs audit verify');
  const cli = await runSteward(['audit', 'verify'], stewardEnv(env));
  for (const line of `${cli.stdout}${cli.stderr}`.trim().split('\n')) note(`| ${line}`);
  figure('CLI exit code', cli.code ?? -1, '', { max: 0 });
  figure('CLI wall time (process start to exit)', cli.ms, 'ms');
  const reported = /\(([\d.]+) s\)/.exec(cli.stdout);
  const total = eventCount + 2;
  if (reported?.[1]) {
    figure('CLI verify throughput (its own timing)', total / Number(reported[1]), 'events/s', {
      min: targetEventsPerSecond,
    });
  }
  figure('CLI throughput over the whole wall time', total / (cli.ms / 1000), 'events/s');
});
