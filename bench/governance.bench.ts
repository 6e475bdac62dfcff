// Governance at size: 10,000 people (with departments and managers in the people directory),
// 30 policies published to everyone, 20 training modules assigned to everyone, written in bulk
// with SQL. A running `steward start` then publishes material changes (each asks all 10,000+
// people to acknowledge again: target <= 5 s per publication) and answers the acknowledgement
// coverage views under load (the library with every policy's coverage, and one policy: target
// p95 <= 100 ms each).
import {
  createBenchOwnerToken,
  figureCpuPerRequest,
  measureCpu,
  setUpBenchInstallation,
  startBenchServer,
} from './installation.ts';
import { createToken } from '@steward/server';
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

const peopleCount = Number(process.env.BENCH_PEOPLE ?? 10_000);
const policyCount = 30;
const trainingCount = 20;
const materialChanges = Number(process.env.BENCH_PUBLICATIONS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const measureSeconds = Number(process.env.BENCH_SECONDS ?? 8);

/** One JSON request to the running server; throws with the answer when it is not `expected`. */
async function send(
  base: string,
  token: string,
  method: 'POST' | 'GET' | 'PATCH',
  path: string,
  body: unknown,
  expected: number,
): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status !== expected) {
    throw new Error(`${method} ${path} answered ${String(response.status)}: ${text}`);
  }
  return JSON.parse(text) as unknown;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

await runBench('bench:governance', async (cleanup) => {
  const { httpPort, env, database, me, uow, dataDir } = await setUpBenchInstallation(
    cleanup,
    'bench:governance',
  );
  const orgId = me.org.id;
  const owner = database.pools.owner;
  let started: number;
  const ownerToken = await createBenchOwnerToken(uow, me.user.id);
  const approver = await sql<{ id: string }>`
    INSERT INTO users (org_id, email, name, role)
    VALUES (${orgId}, 'approver@bench.example', 'Bench Approver', 'admin') RETURNING id`.execute(
    owner,
  );
  const approverId = approver.rows[0]?.id ?? '';
  const { secret: approverToken } = await createToken(
    uow,
    { userId: approverId, role: 'admin' },
    { name: 'bench approver', role: 'admin', expiresInDays: 1 },
  );

  heading(`seed ${peopleCount.toLocaleString('en-US')} people`);
  started = performance.now();
  await sql`
    INSERT INTO users (org_id, email, name, role)
    SELECT ${orgId}, 'person' || n || '@bench.example', 'Person ' || n, 'employee'
      FROM generate_series(1, ${peopleCount}) n`.execute(owner);
  await sql`
    INSERT INTO people (org_id, display_name, email, department, source, user_id, start_date)
    SELECT ${orgId}, u.name, u.email,
           (ARRAY['Engineering', 'Sales', 'Support', 'Finance', 'People', 'Marketing'])[1 + (row_number() OVER (ORDER BY u.email))::int % 6],
           'manual', u.id, current_date - ((row_number() OVER (ORDER BY u.email))::int % 1500)
      FROM users u WHERE u.org_id = ${orgId} AND u.role = 'employee'`.execute(owner);
  // One manager per 100 people.
  await sql`
    WITH ranked AS (
      SELECT id, row_number() OVER (ORDER BY email) - 1 AS k FROM people WHERE org_id = ${orgId}
    )
    UPDATE people p SET manager_id = m.id
      FROM ranked r JOIN ranked m ON m.k = (r.k / 100) * 100
     WHERE p.id = r.id AND r.k % 100 <> 0`.execute(owner);
  figure('users + people directory', since(started) / 1000, 's');

  heading(`seed ${String(trainingCount)} training modules`);
  started = performance.now();
  const hasTraining = await sql<{ found: string | null }>`
    SELECT to_regclass('training_assignments')::text AS found`.execute(owner);
  if (hasTraining.rows[0]?.found) {
    // The training schema belongs to its module; seed its core rows, open assignments only.
    await sql`
      INSERT INTO training_modules (org_id, key, title, summary)
      SELECT ${orgId}, 'module-' || n, 'Training module ' || n, 'Awareness training'
        FROM generate_series(1, ${trainingCount}) n`.execute(owner);
    await sql`
      INSERT INTO training_module_versions (org_id, module_id, number, status, body, published_at)
      SELECT org_id, id, 1, 'published', '# ' || title || E'\n\nRead and take the quiz.', now()
        FROM training_modules WHERE org_id = ${orgId}`.execute(owner);
    await sql`
      INSERT INTO training_assignments (org_id, module_id, person_id, user_id, reason, due_on)
      SELECT ${orgId}, m.id, p.id, p.user_id, 'periodic', current_date + 30
        FROM training_modules m CROSS JOIN people p
       WHERE m.org_id = ${orgId} AND p.org_id = ${orgId}`.execute(owner);
    // Most people completed most modules within the last ten months (closing the assignment).
    await sql`
      WITH done AS (
        INSERT INTO training_completions (org_id, module_id, version_id, person_id, user_id,
          assignment_id, completed_at, score, method, recorded_by)
        SELECT a.org_id, a.module_id, v.id, a.person_id, a.user_id, a.id,
               now() - ((abs(hashtext(a.id::text)) % 300) || ' days')::interval, 90, 'quiz', 'bench'
          FROM training_assignments a
          JOIN training_module_versions v ON v.module_id = a.module_id
         WHERE a.org_id = ${orgId} AND abs(hashtext(a.id::text)) % 10 < 7
        RETURNING id, assignment_id, completed_at)
      UPDATE training_assignments a SET completed_at = d.completed_at, completion_id = d.id
        FROM done d WHERE a.id = d.assignment_id`.execute(owner);
    figure('modules, versions, assignments, completions', since(started) / 1000, 's');
  } else {
    note('training tables are not in this build: no training seeded');
  }

  const { server, base } = await startBenchServer(cleanup, env, httpPort, { waitMs: 60_000 });

  /** Create, review, approve and publish one version; returns the publication in ms. */
  async function publishThrough(versionId: string, isMaterial: boolean): Promise<number> {
    await send(
      base,
      ownerToken,
      'POST',
      `/api/v1/policy-versions/${versionId}/submit`,
      undefined,
      200,
    );
    await send(
      base,
      approverToken,
      'POST',
      `/api/v1/policy-versions/${versionId}/approve`,
      { isMaterial },
      200,
    );
    const start = performance.now();
    const result = (await send(
      base,
      ownerToken,
      'POST',
      `/api/v1/policy-versions/${versionId}/publish`,
      undefined,
      200,
    )) as { requested: number };
    const ms = since(start);
    if (result.requested < peopleCount) {
      throw new Error(`publication asked only ${String(result.requested)} people`);
    }
    return ms;
  }

  heading(`create and publish ${String(policyCount)} policies to everyone`);
  started = performance.now();
  const policyIds: string[] = [];
  const firstPublications: number[] = [];
  for (let i = 1; i <= policyCount; i++) {
    const detail = (await send(
      base,
      ownerToken,
      'POST',
      '/api/v1/policies',
      {
        key: `policy-${String(i)}`,
        title: `Policy ${String(i)}`,
        body: `# Policy ${String(i)}\n\n${'Everyone follows this rule. '.repeat(40)}\n`,
        approverIds: [approverId],
      },
      201,
    )) as { policy: { id: string }; versions: { id: string }[] };
    policyIds.push(detail.policy.id);
    firstPublications.push(await publishThrough(detail.versions[0]?.id ?? '', true));
  }
  figure('all 30 (create + review + publish)', since(started) / 1000, 's');
  figure('first publication, median', median(firstPublications), 'ms');
  const acks = await sql<{ n: string }>`
    SELECT count(*) AS n FROM policy_acknowledgements WHERE org_id = ${orgId}`.execute(owner);
  note(`${Number(acks.rows[0]?.n ?? 0).toLocaleString('en-US')} acknowledgement requests`);
  // Most people acknowledged most policies, some of them late.
  await sql`
    UPDATE policy_acknowledgements
       SET acknowledged_at = requested_at + ((abs(hashtext(id::text)) % 40) || ' days')::interval,
           method = 'web'
     WHERE org_id = ${orgId} AND abs(hashtext(id::text)) % 10 < 8`.execute(owner);
  await sql`VACUUM ANALYZE`.execute(owner);

  heading(`publish ${String(materialChanges)} material changes (everyone acknowledges again)`);
  const publications: number[] = [];
  for (let i = 0; i < materialChanges; i++) {
    const policyId = policyIds[i % policyIds.length] ?? '';
    const draft = (await send(
      base,
      ownerToken,
      'POST',
      `/api/v1/policies/${policyId}/versions`,
      {
        body: `# Policy\n\nA new rule, change ${String(i + 1)}.\n\n${'Everyone follows this rule. '.repeat(40)}\n`,
        changeSummary: 'New rule',
      },
      201,
    )) as { id: string };
    const ms = await publishThrough(draft.id, true);
    publications.push(ms);
    figure(`publication ${String(i + 1)}`, ms, 'ms');
  }
  figure('material change + requests, median', median(publications), 'ms', { max: 5000 });
  figure('material change + requests, slowest', Math.max(...publications), 'ms', { max: 5000 });
  await sql`VACUUM ANALYZE policy_acknowledgements`.execute(owner);

  const headers = { authorization: `Bearer ${ownerToken}` };
  const trainingViews = hasTraining.rows[0]?.found
    ? [
        {
          label: 'coverage: training modules (20 modules)',
          path: '/api/v1/training/modules',
          target: 100,
        },
        { label: 'coverage: training report', path: '/api/v1/training/coverage', target: 100 },
      ]
    : [];
  const views = [
    // The floor on this machine: a signed-in request that reads almost nothing.
    { label: 'baseline: GET /api/v1/me', path: '/api/v1/me', target: undefined },
    { label: 'coverage: policy library (30 policies)', path: '/api/v1/policies', target: 100 },
    {
      label: 'coverage: one policy',
      path: `/api/v1/policies/${policyIds[0] ?? ''}`,
      target: 100,
    },
    ...trainingViews,
  ];
  for (const view of views) {
    const url = `${base}${view.path}`;
    const answer = await httpGet(url, headers, 60_000);
    if (answer?.status !== 200) {
      throw new Error(`${view.label} answered ${answer ? String(answer.status) : 'nothing'}`);
    }
    heading(`${view.label}: 20 requests one after another`);
    note(`${answer.body.length.toLocaleString('en-US')} bytes`);
    const times = new Float64Array(20);
    for (let i = 0; i < times.length; i++) {
      const start = performance.now();
      await httpGet(url, headers, 60_000);
      times[i] = since(start);
    }
    times.sort();
    figure('latency p50', percentile(times, 50), 'ms');
    figure('latency p95', percentile(times, 95), 'ms');
    heading(`${view.label}: ${String(connections)} connections, ${String(measureSeconds)} s`);
    await recordedLoad({ url, headers, connections, duration: 2 });
    // CPU per request does not depend on what else the machine runs, unlike latency.
    const cpu = await measureCpu(server.pid, dataDir, () =>
      recordedLoad({ url, headers, connections, duration: measureSeconds }),
    );
    const { latencies, non2xx } = cpu.value;
    figureCpuPerRequest(cpu, latencies.length);
    figure('requests/s (2xx)', latencies.length / measureSeconds, 'req/s');
    figure('latency p50', percentile(latencies, 50), 'ms');
    figure(
      'latency p95',
      percentile(latencies, 95),
      'ms',
      view.target === undefined ? undefined : { max: view.target },
    );
    if (non2xx.size > 0) note(`non-2xx statuses: ${JSON.stringify(Object.fromEntries(non2xx))}`);
  }

  // The views above are answered from the org's read memo after their first request; here each
  // request follows a change to the org (a policy retitled), so each is computed anew.
  const changed = policyIds[0] ?? '';
  for (const view of views.filter((v) => v.target !== undefined)) {
    heading(`${view.label}: 10 requests, each after a change to the org`);
    const times = new Float64Array(10);
    for (let i = 0; i < times.length; i++) {
      await send(
        base,
        ownerToken,
        'PATCH',
        `/api/v1/policies/${changed}`,
        { title: `Policy 1${i % 2 === 0 ? '' : ' (rules)'}` },
        200,
      );
      const start = performance.now();
      const answer = await httpGet(`${base}${view.path}`, headers, 60_000);
      times[i] = since(start);
      if (answer?.status !== 200)
        throw new Error(`${view.label} answered ${String(answer?.status)}`);
    }
    times.sort();
    figure('latency p50 (computed anew)', percentile(times, 50), 'ms');
    figure('latency p95 (computed anew)', percentile(times, 95), 'ms');
  }
});
