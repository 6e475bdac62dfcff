// API latency under load: GET /api/v1/me and GET /api/v1/audit-events?limit=50 (the newest page,
// and pages at random positions) at 50 concurrent connections, with 10,000 audit events in the
// database, authenticated by an API token.
//
// The server runs as its own process (`steward start`, attached to the embedded PostgreSQL this
// script started and seeded) so the load generator never shares its event loop. Latency
// percentiles are exact: every 2xx response time autocannon measures is recorded and sorted.
import { sql } from 'kysely';
import {
  createBenchActor,
  createBenchOwnerToken,
  prepareBenchEnv,
  setUpBenchOrg,
  startBenchDatabase,
  startBenchServer,
} from './installation.ts';
import {
  cpuSeconds,
  figure,
  heading,
  httpGet,
  note,
  percentile,
  postgresCpuSeconds,
  recordedLoad,
  runBench,
  since,
  type LoadResult,
} from './lib.ts';

const eventCount = 10_000;
const eventsPerTransaction = 1000;
// BENCH_CONNECTIONS overrides the concurrency (the targets are defined at 50).
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const warmUpSeconds = 3;
const measureSeconds = 10;

const benchActor = createBenchActor('bench:api');

/** Run autocannon at the benchmark's concurrency, recording every response time. */
function load(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  path?: () => string,
): Promise<LoadResult> {
  return recordedLoad({
    url,
    headers,
    connections,
    duration: seconds,
    pipelining: 1,
    timeout: 10,
    ...(path ? { requests: [{ setupRequest: (request) => ({ ...request, path: path() }) }] } : {}),
  });
}

await runBench('bench:api', async (cleanup) => {
  const { dataDir, httpPort, pgPort, env, config } = await prepareBenchEnv(cleanup, 'api', {
    worker: true,
  });
  note(`data dir ${dataDir}, HTTP port ${httpPort}, PostgreSQL port ${pgPort}`);

  // Database: start the embedded cluster, migrate, create the org, its owner and an API token.
  const { database, auditWriter } = await startBenchDatabase(cleanup, dataDir, config);
  const { me, uow } = await setUpBenchOrg({ database, auditWriter, config }, benchActor);
  const secret = await createBenchOwnerToken(uow, me.user.id);

  // 10,000 events through the real audit writer, 1,000 per transaction.
  let started = performance.now();
  for (let done = 0; done < eventCount; done += eventsPerTransaction) {
    await uow.write(async ({ audit }) => {
      for (let i = done; i < Math.min(eventCount, done + eventsPerTransaction); i += 1) {
        await audit({
          action: 'user.updated',
          targetType: 'user',
          targetId: me.user.id,
          changes: { name: { from: `Owner ${i}`, to: `Owner ${i + 1}` }, role: 'owner' },
        });
      }
    });
  }
  const seedMs = since(started);
  figure(`seed ${eventCount.toLocaleString('en-US')} events via the audit writer`, seedMs, 'ms');
  figure(
    'audit writer append rate (1,000 per transaction)',
    eventCount / (seedMs / 1000),
    'events/s',
  );
  if (process.env.BENCH_SKIP_ANALYZE === '1') {
    note(
      'BENCH_SKIP_ANALYZE=1: planner statistics left as they are (autovacuum has not analysed yet)',
    );
  } else {
    // Measure the steady state: a log that has grown over time has been auto-analysed. Right
    // after a bulk load it has not, and the planner then reads every event of the org through
    // audit_events_time_idx and sorts them for each page; BENCH_SKIP_ANALYZE=1 measures that.
    started = performance.now();
    await sql`ANALYZE`.execute(database.pools.owner);
    figure('ANALYZE after seeding', since(started), 'ms');
  }

  // The server: `steward start` attaches to the running cluster.
  // BENCH_CPU_PROFILE=<dir> also profiles the server process (written when it exits).
  const profileDir = process.env.BENCH_CPU_PROFILE;
  const { server, base } = await startBenchServer(cleanup, env, httpPort, {
    nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    timedAs: 'steward start (attached) until /api/health 200',
  });

  const headers = { authorization: `Bearer ${secret}` };
  // The same page asked again is answered from the page memo (kept until the org's next write);
  // pages at random positions of the log are each read from the database, as when an auditor
  // pages through it, and the target holds for both.
  const randomPage = () =>
    `/api/v1/audit-events?limit=50&before=${String(100 + Math.floor(Math.random() * (eventCount - 100)))}`;
  const endpoints: {
    label: string;
    url: string;
    p95Target: number;
    path?: () => string;
  }[] = [
    { label: '/me', url: `${base}/api/v1/me`, p95Target: 20 },
    { label: '/audit-events?limit=50', url: `${base}/api/v1/audit-events?limit=50`, p95Target: 50 },
    {
      label: '/audit-events?limit=50&before=<random> (read from the database)',
      url: `${base}${randomPage()}`,
      p95Target: 50,
      path: randomPage,
    },
  ];

  // Sanity checks: both answer 200 with the expected shape.
  const meAnswer = await httpGet(endpoints[0]?.url ?? '', headers);
  if (meAnswer?.status !== 200) throw new Error(`/api/v1/me answered ${JSON.stringify(meAnswer)}`);
  const page = await httpGet(endpoints[1]?.url ?? '', headers);
  if (page?.status !== 200)
    throw new Error(`/api/v1/audit-events answered ${JSON.stringify(page)}`);
  const parsed = JSON.parse(page.body) as { items: unknown[]; nextBefore: number | null };
  if (parsed.items.length !== 50 || parsed.nextBefore === null) {
    throw new Error(
      `audit page has ${parsed.items.length} items, nextBefore ${String(parsed.nextBefore)}`,
    );
  }
  note(
    `audit page: ${parsed.items.length} items, ${page.body.length.toLocaleString('en-US')} bytes, nextBefore ${parsed.nextBefore}`,
  );

  for (const endpoint of endpoints) {
    heading(
      `GET ${endpoint.label}: ${connections} connections, ${warmUpSeconds} s warm-up + ${measureSeconds} s`,
    );
    await load(endpoint.url, headers, warmUpSeconds, endpoint.path);
    const serverCpuBefore = cpuSeconds(server.pid);
    const pgCpuBefore = postgresCpuSeconds(dataDir);
    const benchCpuBefore = process.cpuUsage();
    const { result, latencies, non2xx } = await load(
      endpoint.url,
      headers,
      measureSeconds,
      endpoint.path,
    );
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const seconds = result.duration;
    const serverCpu = cpuSeconds(server.pid) - serverCpuBefore;
    const pgCpu = postgresCpuSeconds(dataDir) - pgCpuBefore;

    figure('requests/s (2xx)', latencies.length / seconds, 'req/s');
    figure('latency p50', percentile(latencies, 50), 'ms');
    figure('latency p95', percentile(latencies, 95), 'ms', { max: endpoint.p95Target });
    figure('latency p99', percentile(latencies, 99), 'ms');
    figure('latency max', percentile(latencies, 100), 'ms');
    figure('2xx responses', latencies.length, '');
    const errors =
      result.errors + result.timeouts + [...non2xx.values()].reduce((a, b) => a + b, 0);
    figure('errors, timeouts and non-2xx', errors, '', { max: 0 });
    if (non2xx.size > 0) note(`non-2xx statuses: ${JSON.stringify(Object.fromEntries(non2xx))}`);
    note(
      `autocannon's own summary (whole ms): p50 ${result.latency.p50}, p99 ${result.latency.p99}, mean ${result.latency.mean.toFixed(2)}`,
    );
    note(
      `CPU over the run (2 cores = 200%): server ${((serverCpu / seconds) * 100).toFixed(0)}%, ` +
        `PostgreSQL ${((pgCpu / seconds) * 100).toFixed(0)}%, ` +
        `load generator ${(((benchCpu.user + benchCpu.system) / 1e6 / seconds) * 100).toFixed(0)}%`,
    );
    // Per request, CPU does not depend on what else the machine runs, unlike latency.
    const served = Math.max(1, latencies.length);
    figure('server CPU per request', (serverCpu * 1000) / served, 'ms');
    figure('PostgreSQL CPU per request', (pgCpu * 1000) / served, 'ms');
  }
});
