// The program at size: 2,000 controls, 50,000 evidence items and 365 days of status history.
// Measures the dashboard API under load (target p95 <= 100 ms), the paged control list (first
// page, a filtered page, and every page walked: p95 <= 100 ms), a full status refresh, and
// importing NIST SP 800-53 rev5 MODERATE (287 controls) through the API (<= 3 s).
//
// The data is written in bulk with SQL (it is the size that matters here, not how it got there);
// the org itself, its default program and the token come from the real services. The server runs
// as its own `steward start` process so the load generator never shares its event loop.
import { recordDailyStatus, seedNewOrgProgram } from '@steward/server';
import { sql } from 'kysely';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createBenchActor,
  createBenchOwnerToken,
  figureCpuPerRequest,
  measureCpu,
  prepareBenchEnv,
  setUpBenchOrg,
  startBenchDatabase,
  startBenchServer,
} from './installation.ts';
import {
  figure,
  heading,
  httpGet,
  note,
  percentile,
  recordedLoad,
  repoRoot,
  runBench,
  since,
} from './lib.ts';

const controlCount = 2000;
const evidenceCount = 50_000;
const historyDays = 365;
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const measureSeconds = 10;
const moderateCatalog = path.join(
  repoRoot,
  '..',
  'shared',
  'data',
  'oscal',
  'NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json',
);

const benchActor = createBenchActor('bench:controls');

await runBench('bench:controls', async (cleanup) => {
  const { dataDir, httpPort, env, config } = await prepareBenchEnv(cleanup, 'controls');
  const { database, auditWriter } = await startBenchDatabase(cleanup, dataDir, config);
  const { me, uow } = await setUpBenchOrg({ database, auditWriter, config }, benchActor, {
    onOrgCreated: seedNewOrgProgram,
    timedAs: 'setup with the default program (48 controls)',
  });
  const orgId = me.org.id;
  const secret = await createBenchOwnerToken(uow, me.user.id);

  heading(
    `seed ${controlCount.toLocaleString('en-US')} controls, ${evidenceCount.toLocaleString('en-US')} evidence items, ${historyDays} days of history`,
  );
  let started = performance.now();
  const owner = database.pools.owner;
  await sql`
    INSERT INTO controls (org_id, ref, title, description, section, owner_id, implementation_status)
    SELECT ${orgId}::uuid, 'B-' || lpad(n::text, 5, '0'), 'Bench control ' || n,
           'Generated control number ' || n || ' for the benchmark', 1 + n % 13, ${me.user.id}::uuid,
           'implemented'
      FROM generate_series(1, ${controlCount} - (SELECT count(*) FROM controls WHERE org_id = ${orgId}::uuid)) n`.execute(
    owner,
  );
  // Each generated control satisfies two requirements of the built-in framework.
  await sql`
    INSERT INTO control_requirements (org_id, control_id, requirement_id)
    SELECT DISTINCT ${orgId}::uuid, c.id, r.id
      FROM (SELECT id, row_number() OVER (ORDER BY ref) AS n FROM controls
             WHERE org_id = ${orgId}::uuid AND ref LIKE 'B-%') c
      JOIN (SELECT id, row_number() OVER (ORDER BY sort_order) - 1 AS k FROM requirements
             WHERE org_id = ${orgId}::uuid) r
        ON r.k IN (c.n % 45, (c.n * 7) % 45)`.execute(owner);
  // A quarter of them have a yearly evidence task, a tenth a check.
  await sql`
    INSERT INTO evidence_tasks (org_id, control_id, title, cadence_months, grace_days, next_due_on)
    SELECT ${orgId}::uuid, id, 'Yearly evidence for ' || ref, 12, 14,
           current_date + ((row_number() OVER (ORDER BY ref)) % 400 - 60)::int
      FROM controls WHERE org_id = ${orgId}::uuid AND ref LIKE 'B-%' AND right(ref, 1) IN ('1', '5')`.execute(
    owner,
  );
  await sql`
    WITH new_checks AS (
      INSERT INTO checks (org_id, key, name, latest_status, latest_observed_at)
      SELECT ${orgId}::uuid, 'bench.' || lower(ref), 'Check of ' || ref,
             CASE WHEN right(ref, 2) = '00' THEN 'fail' ELSE 'pass' END, now()
        FROM controls WHERE org_id = ${orgId}::uuid AND ref LIKE 'B-%' AND right(ref, 1) = '0'
      RETURNING id, key)
    INSERT INTO control_checks (org_id, control_id, check_id)
    SELECT ${orgId}::uuid, c.id, k.id FROM new_checks k
      JOIN controls c ON c.org_id = ${orgId}::uuid AND 'bench.' || lower(c.ref) = k.key`.execute(
    owner,
  );
  await sql`
    INSERT INTO evidence (id, org_id, lineage_id, version, kind, title, url, collected_at,
                          effective_from, effective_to, supplied_by)
    SELECT id, ${orgId}::uuid, id, 1, 'link', 'Evidence ' || n, 'https://evidence.example/' || n,
           now() - (n % 700) * interval '1 day', current_date - (n % 700),
           current_date - (n % 700) + 365, 'bench'
      FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(1, ${evidenceCount}) n) g`.execute(
    owner,
  );
  await sql`
    INSERT INTO evidence_controls (org_id, evidence_id, control_id)
    SELECT ${orgId}::uuid, e.id, c.id
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM evidence WHERE org_id = ${orgId}::uuid) e
      JOIN (SELECT id, row_number() OVER (ORDER BY ref) - 1 AS k FROM controls
             WHERE org_id = ${orgId}::uuid) c ON c.k = e.n % ${controlCount}`.execute(owner);
  await sql`
    INSERT INTO control_status_days (org_id, control_id, day, status, reason)
    SELECT ${orgId}::uuid, c.id, d::date,
           (ARRAY['passing', 'passing', 'failing', 'due', 'not_proved'])[1 + (abs(hashtext(c.id::text || d::text)) % 5)],
           'history'
      FROM controls c, generate_series(current_date - ${historyDays}::int, current_date - 1, interval '1 day') d
     WHERE c.org_id = ${orgId}::uuid`.execute(owner);
  await sql`
    INSERT INTO readiness_days (org_id, day, scope, passing, total)
    SELECT ${orgId}::uuid, day, 'overall', count(*) FILTER (WHERE status = 'passing'), count(*)
      FROM control_status_days WHERE org_id = ${orgId}::uuid AND day < current_date GROUP BY day`.execute(
    owner,
  );
  await sql`ANALYZE`.execute(owner);
  figure('bulk seed + ANALYZE', since(started), 'ms');

  started = performance.now();
  await recordDailyStatus({ db: database.pools.app, auditWriter });
  figure(
    `refresh the status of all ${controlCount.toLocaleString('en-US')} controls`,
    since(started),
    'ms',
  );

  const { server, base } = await startBenchServer(cleanup, env, httpPort, { waitMs: 60_000 });
  const headers = { authorization: `Bearer ${secret}` };

  const urls = [
    {
      label: 'GET /dashboard?trendDays=365',
      url: `${base}/api/v1/dashboard?trendDays=365`,
      target: 100,
    },
    // The list page as the web app asks for it: the first 50 by section and reference.
    { label: 'GET /controls (first page of 50)', url: `${base}/api/v1/controls`, target: 100 },
    {
      label: 'GET /controls?sort=status&status=failing (page of 50)',
      url: `${base}/api/v1/controls?sort=status&status=failing`,
      target: 100,
    },
    {
      label: 'GET /controls?limit=500 (largest page)',
      url: `${base}/api/v1/controls?limit=500`,
      target: undefined,
    },
    {
      label: 'GET /evidence?limit=50',
      url: `${base}/api/v1/evidence?limit=50`,
      target: undefined,
    },
  ];
  for (const entry of urls) {
    const answer = await httpGet(entry.url, headers, 10_000);
    if (answer?.status !== 200) {
      note(`${entry.label} answered ${answer ? String(answer.status) : 'nothing'}; skipped`);
      continue;
    }
    heading(`${entry.label}: ${connections} connections, ${measureSeconds} s`);
    note(`response ${answer.body.length.toLocaleString('en-US')} bytes`);
    await recordedLoad({ url: entry.url, headers, connections, duration: 2 });
    // CPU per request does not depend on what else the machine runs, unlike latency.
    const cpu = await measureCpu(server.pid, dataDir, () =>
      recordedLoad({ url: entry.url, headers, connections, duration: measureSeconds }),
    );
    const { latencies, non2xx } = cpu.value;
    figure('requests/s (2xx)', latencies.length / measureSeconds, 'req/s');
    figure('latency p50', percentile(latencies, 50), 'ms');
    figure(
      'latency p95',
      percentile(latencies, 95),
      'ms',
      entry.target === undefined ? undefined : { max: entry.target },
    );
    figure('latency p99', percentile(latencies, 99), 'ms');
    figureCpuPerRequest(cpu, latencies.length);
    if (non2xx.size > 0) note(`non-2xx statuses: ${JSON.stringify(Object.fromEntries(non2xx))}`);
  }

  // Each page of a walk is another query, so each is computed, not served from the org's memo.
  for (const sort of ['section', 'title', 'status']) {
    heading(`walk all 2,000 controls by ${sort}, 50 a page, one request after another`);
    const times: number[] = [];
    let cursor: string | null = null;
    let seen = 0;
    do {
      const after: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const started = performance.now();
      const answer = await httpGet(
        `${base}/api/v1/controls?sort=${sort}&limit=50${after}`,
        headers,
        10_000,
      );
      times.push(since(started));
      if (answer?.status !== 200) throw new Error(`a page answered ${String(answer?.status)}`);
      const page = JSON.parse(answer.body) as { items: unknown[]; nextCursor: string | null };
      seen += page.items.length;
      cursor = page.nextCursor;
    } while (cursor !== null);
    const sorted = Float64Array.from(times).sort();
    note(`${String(times.length)} pages, ${seen.toLocaleString('en-US')} controls`);
    figure('page latency p50', percentile(sorted, 50), 'ms');
    figure('page latency p95', percentile(sorted, 95), 'ms', { max: 100 });
  }

  heading('import NIST SP 800-53 rev5 MODERATE (resolved catalog, 287 controls)');
  if (!existsSync(moderateCatalog)) {
    note(`skipped: ${moderateCatalog} is absent`);
    return;
  }
  const form = new FormData();
  form.append(
    'catalog',
    new Blob([await readFile(moderateCatalog)], { type: 'application/json' }),
    path.basename(moderateCatalog),
  );
  started = performance.now();
  const response = await fetch(`${base}/api/v1/frameworks/oscal`, {
    method: 'POST',
    headers: { ...headers, origin: base },
    body: form,
  });
  const elapsed = since(started);
  const body = (await response.json()) as { requirementCount?: number; durationMs?: number };
  if (response.status !== 201)
    throw new Error(`import answered ${response.status}: ${JSON.stringify(body)}`);
  note(`${String(body.requirementCount)} requirements imported`);
  figure('import request, end to end', elapsed, 'ms', { max: 3000 });
  if (body.durationMs !== undefined)
    figure('import as measured by the server', body.durationMs, 'ms');
});
