// The findings list at size: 1,000,000 findings on 200 assets from 6 tools, written in bulk with
// SQL (it is the size that matters here, not how the rows got there). A running `steward start`
// answers filtered list queries (asset, severity, state, tool, SLA status, text, vulnerability id,
// the next page) under load; target p95 <= 100 ms for each. The vulnerability metrics and the
// asset list are measured too, without a target.
import {
  createBenchOwnerToken,
  measureCpu,
  setUpBenchInstallation,
  startBenchServer,
} from './installation.ts';
import { sql } from 'kysely';
import {
  figure,
  heading,
  httpGet,
  note,
  percentile,
  recordedLoad,
  runBench,
  since,
} from './lib.ts';

const findingCount = Number(process.env.BENCH_FINDINGS ?? 1_000_000);
const assetCount = 200;
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const measureSeconds = Number(process.env.BENCH_SECONDS ?? 8);

await runBench('bench:findings', async (cleanup) => {
  const { dataDir, httpPort, env, database, me, uow } = await setUpBenchInstallation(
    cleanup,
    'bench:findings',
  );
  const orgId = me.org.id;
  let started: number;
  const secret = await createBenchOwnerToken(uow, me.user.id);

  heading(`seed ${findingCount.toLocaleString('en-US')} findings on ${String(assetCount)} assets`);
  started = performance.now();
  const owner = database.pools.owner;
  await sql`
    INSERT INTO assets (org_id, name, kind, environment, criticality)
    SELECT ${orgId}, 'asset-' || lpad(n::text, 3, '0'),
           (ARRAY['repository', 'container_image', 'host', 'web_application'])[1 + n % 4],
           (ARRAY['production', 'production', 'staging', 'development'])[1 + n % 4],
           (ARRAY['critical', 'high', 'medium', 'low'])[1 + n % 4]
      FROM generate_series(1, ${assetCount}) n`.execute(owner);
  // Bulk load without the secondary indexes, then build them as the migration declares them.
  // Time-ordered ids (as imports give them) append to the primary key instead of writing all over
  // it.
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.tablename = 'findings'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`.execute(owner);
  for (const index of indexes.rows) {
    await sql`DROP INDEX ${sql.id(index.indexname)}`.execute(owner);
  }
  await sql`
    WITH a AS (SELECT id, row_number() OVER (ORDER BY name) - 1 AS k FROM assets WHERE org_id = ${orgId}),
    g AS (
      SELECT n,
             (ARRAY['trivy', 'grype', 'semgrep', 'CodeQL', 'zap', 'gitleaks'])[1 + n % 6] AS tool,
             CASE WHEN n % 100 < 5 THEN 'critical' WHEN n % 100 < 25 THEN 'high'
                  WHEN n % 100 < 65 THEN 'medium' WHEN n % 100 < 90 THEN 'low' ELSE 'info' END AS severity,
             CASE WHEN n % 20 < 11 THEN 'open' WHEN n % 20 < 18 THEN 'fixed'
                  WHEN n % 20 = 18 THEN 'false_positive'
                  WHEN n % 40 = 19 THEN 'not_affected' ELSE 'risk_accepted' END AS state,
             now() - ((n % 730) || ' days')::interval - ((n % 86400) || ' seconds')::interval AS seen
        FROM generate_series(1, ${findingCount}) n
    )
    INSERT INTO findings (id, org_id, asset_id, tool, identity_version, identity_key, category, title,
                          severity, rule_id, vulnerability_ids, package_name, package_version,
                          locations, state, state_changed_at, first_seen_at, last_seen_at,
                          sla_started_at, due_at, fixed_at, dependency_key, is_kev, created_at,
                          updated_at)
    SELECT uuidv7(), ${orgId}, a.id, g.tool, 1, 'bench:' || g.n,
           CASE WHEN g.tool IN ('trivy', 'grype') THEN 'dependency' WHEN g.tool = 'zap' THEN 'dast'
                WHEN g.tool = 'gitleaks' THEN 'secret' ELSE 'code' END,
           (ARRAY['SQL injection', 'Cross-site scripting', 'Prototype pollution', 'Path traversal',
                  'Insecure deserialization', 'Hard-coded secret', 'Open redirect',
                  'Server-side request forgery', 'Weak cryptography', 'Missing security header'])[1 + g.n % 10]
             || ' in module ' || (g.n % 2000),
           g.severity, 'RULE-' || (g.n % 500),
           CASE WHEN g.tool IN ('trivy', 'grype') THEN ARRAY['CVE-' || (2015 + g.n % 10) || '-' || (g.n % 50000)] ELSE '{}' END,
           CASE WHEN g.tool IN ('trivy', 'grype') THEN 'package-' || (g.n % 5000) END,
           CASE WHEN g.tool IN ('trivy', 'grype') THEN '1.' || (g.n % 9) || '.0' END,
           jsonb_build_array(jsonb_build_object('file', 'src/file' || (g.n % 10000) || '.ts', 'line', g.n % 3000)),
           g.state, g.seen, g.seen, now(), g.seen,
           g.seen + (CASE g.severity WHEN 'critical' THEN 7 WHEN 'high' THEN 30 WHEN 'medium' THEN 90
                                     WHEN 'low' THEN 180 END || ' days')::interval,
           CASE WHEN g.state = 'fixed' THEN g.seen + ((g.n % 120) || ' days')::interval END,
           CASE WHEN g.tool IN ('trivy', 'grype') THEN 'CVE-' || (2015 + g.n % 10) || '-' || (g.n % 50000) || '|package-' || (g.n % 5000) || '|1.' || (g.n % 9) || '.0' END,
           g.n % 100 = 0, g.seen, g.seen
      FROM g JOIN a ON a.k = g.n % ${assetCount}`.execute(owner);
  figure('bulk insert', since(started) / 1000, 's');
  started = performance.now();
  for (const index of indexes.rows) await sql.raw(index.indexdef).execute(owner);
  // What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need.
  await sql`VACUUM ANALYZE`.execute(owner);
  figure('build indexes + VACUUM ANALYZE', since(started) / 1000, 's');
  // A known vulnerability id and asset to filter on.
  const sample = await sql<{ asset_id: string; vid: string }>`
    SELECT asset_id, vulnerability_ids[1] AS vid FROM findings
     WHERE org_id = ${orgId} AND cardinality(vulnerability_ids) > 0 LIMIT 1`.execute(owner);
  const assetId = sample.rows[0]?.asset_id ?? '';
  const vulnerabilityId = sample.rows[0]?.vid ?? 'CVE-2015-1';

  const { server, base } = await startBenchServer(cleanup, env, httpPort, { waitMs: 60_000 });
  const headers = { authorization: `Bearer ${secret}` };
  const first = await httpGet(`${base}/api/v1/findings?state=open&limit=50`, headers, 30_000);
  const cursor = first
    ? (JSON.parse(first.body) as { nextCursor: string | null }).nextCursor
    : null;

  const queries: { label: string; path: string; target?: number }[] = [
    { label: 'newest 50', path: '/api/v1/findings?limit=50', target: 100 },
    { label: 'severity=critical', path: '/api/v1/findings?severity=critical', target: 100 },
    {
      label: 'state=open, severity=critical,high',
      path: '/api/v1/findings?state=open&severity=critical,high',
      target: 100,
    },
    {
      label: 'one asset (5,000 findings)',
      path: `/api/v1/findings?assetId=${assetId}`,
      target: 100,
    },
    {
      label: 'asset + open + critical + tool',
      path: `/api/v1/findings?assetId=${assetId}&state=open&severity=critical&tool=trivy`,
      target: 100,
    },
    { label: 'tool=zap', path: '/api/v1/findings?tool=zap', target: 100 },
    { label: 'SLA breached', path: '/api/v1/findings?sla=breached', target: 100 },
    { label: 'SLA due soon', path: '/api/v1/findings?sla=due_soon', target: 100 },
    {
      label: `vulnerability id ${vulnerabilityId}`,
      path: `/api/v1/findings?q=${vulnerabilityId}`,
      target: 100,
    },
    {
      label: 'title text "deserialization"',
      path: '/api/v1/findings?q=deserialization',
      target: 100,
    },
    { label: 'KEV only', path: '/api/v1/findings?isKev=true', target: 100 },
    ...(cursor === null
      ? []
      : [
          {
            label: 'open, next page (cursor)',
            path: `/api/v1/findings?state=open&limit=50&cursor=${cursor}`,
            target: 100,
          },
        ]),
    { label: 'vulnerability metrics', path: '/api/v1/findings/metrics' },
    { label: 'asset list (200, with counts)', path: '/api/v1/assets' },
  ];
  for (const query of queries) {
    const url = `${base}${query.path}`;
    const answer = await httpGet(url, headers, 60_000);
    if (answer?.status !== 200) {
      note(`${query.label} answered ${answer ? String(answer.status) : 'nothing'}; skipped`);
      continue;
    }
    if (query.target === undefined) {
      // Dashboard-style reads: one at a time, as a page asks for them.
      heading(`${query.label}: 5 requests one after another`);
      const times: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const start = performance.now();
        await httpGet(url, headers, 60_000);
        times.push(since(start));
      }
      figure('latency median', times.sort((a, b) => a - b)[2] ?? Number.NaN, 'ms');
      continue;
    }
    heading(`${query.label}: ${String(connections)} connections, ${String(measureSeconds)} s`);
    const items = (JSON.parse(answer.body) as { items?: unknown[] }).items;
    note(
      `${items === undefined ? '' : `${String(items.length)} items, `}${answer.body.length.toLocaleString('en-US')} bytes`,
    );
    await recordedLoad({ url, headers, connections, duration: 2 });
    // CPU per request (server and PostgreSQL) is the figure to compare on a shared machine.
    const cpu = await measureCpu(server.pid, dataDir, () =>
      recordedLoad({ url, headers, connections, duration: measureSeconds }),
    );
    const { latencies, non2xx } = cpu.value;
    figure('requests/s (2xx)', latencies.length / measureSeconds, 'req/s');
    figure(
      'server + PostgreSQL CPU per request',
      ((cpu.serverSeconds + cpu.pgSeconds) * 1000) / latencies.length,
      'ms',
    );
    figure('latency p50', percentile(latencies, 50), 'ms');
    figure('latency p95', percentile(latencies, 95), 'ms', { max: query.target });
    if (non2xx.size > 0) note(`non-2xx statuses: ${JSON.stringify(Object.fromEntries(non2xx))}`);
  }
});
