// Audit verification throughput: `steward audit verify` must check >= 100,000 events per second.
//
// One organisation gets 200,000 events on top of the two setup writes. Rows are built with the
// real chain hash (hashAuditEvent) and bulk-inserted through the owner connection, 10,000 per
// transaction with the head row updated to match and a checkpoint signed by the real audit
// writer after each batch (as the writer itself does every 10,000 events). Then
// verifyAuditLog() is timed in this process with the CPU it costs this process and PostgreSQL per
// event, the COPY stream and the checking are measured apart, and the real CLI is run once
// against the same data directory.
import { auditActions } from '@steward/contracts';
import { parseConfig, verifyAuditLog } from '@steward/server';
import { sql } from 'kysely';
import { createPublicKey, randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import pg from 'pg';
import {
  hashAuditEvent,
  normaliseChanges,
  type ChainedFields,
} from '../apps/server/src/platform/audit/chain.ts';
import { RowChecker, streamEventRows } from '../apps/server/src/platform/audit/verify-stream.ts';
import {
  figure,
  freePort,
  heading,
  note,
  postgresCpuSeconds,
  reapedChildrenCpuSeconds,
  postgresPids,
  profiled,
  runBench,
  runSteward,
  since,
  stewardEnv,
  tempDataDir,
} from './lib.ts';
import { createBenchActor, setUpBenchOrg, startBenchDatabase } from './installation.ts';

const eventCount = 200_000;
const batchSize = 10_000;
const verifyRuns = 3;
const targetEventsPerSecond = 100_000;

const benchActor = createBenchActor('bench:audit-verify');

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

/** Wait (up to a second) until backends opened by a run have exited and been counted. */
async function backendsGone(dir: string, before: number): Promise<void> {
  const started = performance.now();
  while (postgresPids(dir).length > before && since(started) < 1000) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
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
  note(`data dir ${dataDir}, PostgreSQL port ${pgPort}`);

  const { database, signer, auditWriter } = await startBenchDatabase(cleanup, dataDir, config);
  const { me } = await setUpBenchOrg({ database, auditWriter, config }, benchActor);
  const orgId = me.org.id;
  const owner = database.pools.owner;
  const userIds = [me.user.id, ...Array.from({ length: 49 }, () => randomUUID())];

  // Bulk load: hash in JS, insert with one unnest() statement per batch.
  let hashMs = 0;
  let started = performance.now();
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

  /** Measure `fn` over `events` events: wall time, and CPU of this process and of PostgreSQL. */
  async function measured<T>(events: () => number, fn: () => Promise<T>) {
    const backends = postgresPids(dataDir).length;
    const pgBefore = postgresCpuSeconds(dataDir);
    const nodeBefore = process.cpuUsage();
    const childrenBefore = reapedChildrenCpuSeconds('self');
    const begun = performance.now();
    const value = await fn();
    const ms = since(begun);
    const node = process.cpuUsage(nodeBefore);
    const children = reapedChildrenCpuSeconds('self') - childrenBefore;
    await backendsGone(dataDir, backends);
    const n = events();
    return {
      value,
      ms,
      rate: n / (ms / 1000),
      nodeUs: (node.user + node.system) / n + (children * 1e6) / n,
      pgUs: ((postgresCpuSeconds(dataDir) - pgBefore) * 1e6) / n,
    };
  }

  heading(`verifyAuditLog() in this process, ${verifyRuns} runs`);
  note(`load average ${loadAverage()}; ${availableParallelism()} core(s)`);
  const publicKey = createPublicKey(signer.publicKeyPem);
  const runs: { rate: number; nodeUs: number; pgUs: number }[] = [];
  for (let run = 1; run <= verifyRuns; run += 1) {
    let events = 0;
    const m = await measured(
      () => events,
      () =>
        profiled(`verify-run-${run}`, async () => {
          const result = await verifyAuditLog(owner, publicKey, {
            parallelUrl: database.pools.ownerUrl,
          });
          events = result.events;
          return result;
        }),
    );
    const result = m.value;
    if (!result.ok) throw new Error(`verification failed: ${JSON.stringify(result.break)}`);
    runs.push(m);
    figure(
      `run ${run}: ${result.events.toLocaleString('en-US')} events, ${result.checkpoints} checkpoints, ok`,
      m.ms,
      'ms',
    );
    note(
      `  node ${m.nodeUs.toFixed(2)} us/event + PostgreSQL ${m.pgUs.toFixed(2)} us/event CPU; load ${loadAverage()}`,
    );
  }
  const byRate = [...runs].sort((a, b) => a.rate - b.rate);
  const median = byRate[Math.floor(byRate.length / 2)];
  figure('verify throughput, best', byRate.at(-1)?.rate ?? 0, 'events/s');
  figure('verify throughput, median', median?.rate ?? 0, 'events/s', {
    min: targetEventsPerSecond,
  });
  figure('  node CPU per event (median run)', median?.nodeUs ?? 0, 'us/event');
  figure('  PostgreSQL CPU per event (median run)', median?.pgUs ?? 0, 'us/event');
  figure(
    '  CPU per event, node + PostgreSQL',
    (median?.nodeUs ?? 0) + (median?.pgUs ?? 0),
    'us/event',
  );

  // Where the time goes: the COPY stream alone, checking alone, and the org split over threads.
  heading('diagnosis');
  const client = new pg.Client({ connectionString: database.pools.ownerUrl });
  await client.connect();
  cleanup.add('close the diagnosis connection', () => client.end());
  const total = eventCount + 2;
  const kept: Buffer[] = [];
  const keep = 20_000;
  const streamed = await measured(
    () => total,
    () =>
      streamEventRows(client, orgId, 1, total, (row, start) => {
        if (kept.length < keep) kept.push(Buffer.from(row.subarray(start)));
      }),
  );
  figure('COPY stream only, no checking', streamed.rate, 'rows/s');
  note(
    `  node ${streamed.nodeUs.toFixed(2)} us/row + PostgreSQL ${streamed.pgUs.toFixed(2)} us/row CPU`,
  );
  const checkRounds = 5;
  const checkStarted = process.cpuUsage();
  for (let round = 0; round < checkRounds; round += 1) {
    const checker = new RowChecker(orgId, new Map(), 1);
    for (const row of kept) checker.check(row, 0);
    if (checker.result.break) throw new Error(`check failed: ${checker.result.break.reason}`);
  }
  const checkCpu = process.cpuUsage(checkStarted);
  figure(
    `checking only (${keep.toLocaleString('en-US')} rows in memory)`,
    (checkCpu.user + checkCpu.system) / (keep * checkRounds),
    'us/event CPU',
  );
  const split = await measured(
    () => total,
    () =>
      verifyAuditLog(owner, publicKey, {
        parallelUrl: database.pools.ownerUrl,
        threads: 2,
      }),
  );
  if (!split.value.ok) throw new Error('verification over two threads failed');
  figure('verify over two threads (a worker joins)', split.rate, 'events/s');
  note(
    `  node ${split.nodeUs.toFixed(2)} us/event + PostgreSQL ${split.pgUs.toFixed(2)} us/event CPU`,
  );

  // The real CLI attaches to the cluster this process runs.
  heading('node apps/cli/bin/steward.mjs audit verify');
  const cli = await measured(
    () => total,
    () => runSteward(['audit', 'verify'], stewardEnv(env)),
  );
  for (const line of `${cli.value.stdout}${cli.value.stderr}`.trim().split('\n')) note(`| ${line}`);
  figure('CLI exit code', cli.value.code ?? -1, '', { max: 0 });
  figure('CLI wall time (process start to exit)', cli.ms, 'ms');
  const reported = /\(([\d.]+) s\)/.exec(cli.value.stdout);
  if (reported?.[1]) {
    figure('CLI verify throughput (its own timing)', total / Number(reported[1]), 'events/s', {
      min: targetEventsPerSecond,
    });
  }
  figure('CLI throughput over the whole wall time', cli.rate, 'events/s');
  note(
    `  CLI process ${cli.nodeUs.toFixed(2)} us/event (start-up included) + PostgreSQL ${cli.pgUs.toFixed(2)} us/event CPU; load ${loadAverage()}`,
  );
});
