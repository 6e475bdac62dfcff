// People directory over SCIM at size: an identity provider's initial push of 10,000 users as
// sequential POSTs (target >= 200 users/s), then a filtered GET /scim/v2/Users page of 100
// among those 10,000 people (target p95 <= 50 ms), measured as an identity provider pages
// through users (one request at a time) and, for information, at BENCH_CONNECTIONS (10)
// concurrent connections. CPU time per request (server and PostgreSQL) is printed too, since it
// does not depend on what else the machine is doing.
//
// The server runs as its own `steward start` process so the load generator never shares its
// event loop; the push is sent as an identity provider sends it, one request after the other on
// a kept-alive connection, each answered (201) before the next. The joiner checklists the push
// calls for are derived in the background once it goes quiet; how long that takes, and its CPU
// per person, are printed after the push.
import { createScimToken } from '@steward/server';
import { sql } from 'kysely';
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
} from './lib.ts';
import {
  createBenchActor,
  figureCpuPerRequest,
  measureCpu,
  prepareBenchEnv,
  setUpBenchOrg,
  startBenchDatabase,
  startBenchServer,
} from './installation.ts';
import { benchCampaignLaunch } from './access-review-launch.ts';
import { benchPostgresConnectorSync } from './systems-connector.ts';

const userCount = 10_000;
const departments = [
  'Engineering',
  'Sales',
  'Marketing',
  'Finance',
  'Support',
  'Legal',
  'People',
  'Operations',
  'Product',
  'Security',
];
// BENCH_CONNECTIONS overrides the concurrency of the read load.
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const measureSeconds = 10;
const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const benchActor = createBenchActor('bench:access');

/** The user an identity provider would push for person number `n`. */
function scimUser(n: number): Record<string, unknown> {
  const id = String(n).padStart(5, '0');
  const given = `Given${id}`;
  const family = `Family${id}`;
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', enterprise],
    userName: `person${id}@bench.example`,
    externalId: `idp-${id}`,
    active: true,
    name: { givenName: given, familyName: family, formatted: `${given} ${family}` },
    displayName: `${given} ${family}`,
    title: n % 7 === 0 ? 'Manager' : 'Individual contributor',
    emails: [{ value: `person${id}@bench.example`, type: 'work', primary: true }],
    phoneNumbers: [{ value: `+1 555 ${id}`, type: 'work' }],
    [enterprise]: {
      employeeNumber: `E${id}`,
      department: departments[n % departments.length],
      costCenter: `CC-${String(n % 40)}`,
    },
  };
}

await runBench('bench:access', async (cleanup) => {
  const { dataDir, httpPort, pgPort, env, config } = await prepareBenchEnv(cleanup, 'access');
  note(`data dir ${dataDir}, HTTP port ${httpPort}, PostgreSQL port ${pgPort}`);

  const { database, auditWriter } = await startBenchDatabase(cleanup, dataDir, config);
  const { me, uow } = await setUpBenchOrg({ database, auditWriter, config }, benchActor);
  const { secret } = await createScimToken(
    uow,
    { label: 'bench', userId: me.user.id },
    { name: 'Bench IdP' },
  );

  // What one audited write costs on this machine by itself (commit with its WAL flush, the org's
  // hash-chain head locked and advanced, one event): every SCIM write is at least this.
  const floorWrites = 200;
  let started = performance.now();
  for (let i = 0; i < floorWrites; i += 1) {
    await uow.write(async ({ audit }) => {
      await audit({ action: 'person.updated', targetType: 'bench_probe', targetId: null });
    });
  }
  figure('one audited write alone (floor), mean', since(started) / floorWrites, 'ms');

  const { server, base } = await startBenchServer(cleanup, env, httpPort);
  const headers = {
    authorization: `Bearer ${secret}`,
    'content-type': 'application/scim+json',
  };

  heading(
    `initial push: ${userCount.toLocaleString('en-US')} users, sequential POST /scim/v2/Users`,
  );
  // A few users first, so the connection and the server's prepared statements are warm.
  const warmUp = 20;
  for (let n = 1; n <= warmUp; n += 1) {
    const response = await fetch(`${base}/scim/v2/Users`, {
      method: 'POST',
      headers,
      body: JSON.stringify(scimUser(n)),
    });
    if (response.status !== 201)
      throw new Error(`POST answered ${String(response.status)}: ${await response.text()}`);
    await response.arrayBuffer();
  }
  const latencies = new Float64Array(userCount - warmUp);
  const serverCpuBefore = cpuSeconds(server.pid);
  const pgCpuBefore = postgresCpuSeconds(dataDir);
  started = performance.now();
  for (let n = warmUp + 1; n <= userCount; n += 1) {
    const sent = performance.now();
    const response = await fetch(`${base}/scim/v2/Users`, {
      method: 'POST',
      headers,
      body: JSON.stringify(scimUser(n)),
    });
    if (response.status !== 201) {
      throw new Error(
        `POST of user ${String(n)} answered ${String(response.status)}: ${await response.text()}`,
      );
    }
    await response.arrayBuffer();
    latencies[n - warmUp - 1] = performance.now() - sent;
  }
  const pushMs = since(started);
  const serverCpu = cpuSeconds(server.pid) - serverCpuBefore;
  const pgCpu = postgresCpuSeconds(dataDir) - pgCpuBefore;
  latencies.sort();
  // Every user was answered 201 (anything else stops the bench); the first ones only warmed up
  // the connection, so the rate and CPU figures are over the timed ones.
  note(
    `${String(warmUp)} users pushed to warm up, then ${(userCount - warmUp).toLocaleString('en-US')} timed`,
  );
  figure('users pushed, timed', userCount - warmUp, 'users');
  figure('push rate', ((userCount - warmUp) / pushMs) * 1000, 'users/s', { min: 200 });
  figure('POST latency p50', percentile(latencies, 50), 'ms');
  figure('POST latency p95', percentile(latencies, 95), 'ms');
  figure('POST latency p99', percentile(latencies, 99), 'ms');
  figure('server CPU per user', (serverCpu * 1000) / (userCount - warmUp), 'ms');
  figure('PostgreSQL CPU per user', (pgCpu * 1000) / (userCount - warmUp), 'ms');
  const counts = await sql<{ people: string; changes: string; events: string }>`
    SELECT (SELECT count(*) FROM people WHERE org_id = ${me.org.id}) AS people,
           (SELECT count(*) FROM person_changes WHERE org_id = ${me.org.id}) AS changes,
           (SELECT count(*) FROM audit_events WHERE org_id = ${me.org.id} AND action = 'person.created') AS events`.execute(
    database.pools.owner,
  );
  const row = counts.rows[0];
  if (Number(row?.people) !== userCount || Number(row?.events) !== userCount) {
    throw new Error(
      `expected ${String(userCount)} people and person.created events after the push, found ${row?.people ?? '?'} and ${row?.events ?? '?'}`,
    );
  }
  note(
    `${row?.people ?? '?'} people, ${row?.changes ?? '?'} change-trail entries, ${row?.events ?? '?'} person.created audit events`,
  );

  // The joiner checklists of an identity provider's changes are derived in the background, in
  // batches, once the push goes quiet (or a minute after a change at the latest): their cost is
  // measured here, from the end of the push until every pushed person has a joiner checklist.
  heading('joiner checklists derived in the background after the push');
  const deriveServerCpu = cpuSeconds(server.pid);
  const derivePgCpu = postgresCpuSeconds(dataDir);
  const deriveStarted = performance.now();
  let joiners = 0;
  for (;;) {
    const derived = await sql<{ joiners: string; pending: string }>`
      SELECT (SELECT count(*) FROM lifecycle_checklists
               WHERE org_id = ${me.org.id} AND kind = 'joiner') AS joiners,
             (SELECT count(*) FROM lifecycle_pending WHERE org_id = ${me.org.id}) AS pending`.execute(
      database.pools.owner,
    );
    joiners = Number(derived.rows[0]?.joiners);
    if (joiners >= userCount && Number(derived.rows[0]?.pending) === 0) break;
    if (since(deriveStarted) > 300_000) {
      throw new Error(`only ${String(joiners)} joiner checklists 5 minutes after the push`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const deriveMs = since(deriveStarted);
  figure('joiner checklists', joiners, 'checklists');
  figure('derived within, after the last POST', deriveMs, 'ms');
  figure('derivation rate after the push', (userCount / deriveMs) * 1000, 'people/s');
  figure(
    'server CPU per person derived (after the push)',
    ((cpuSeconds(server.pid) - deriveServerCpu) * 1000) / userCount,
    'ms',
  );
  figure(
    'PostgreSQL CPU per person derived (after the push)',
    ((postgresCpuSeconds(dataDir) - derivePgCpu) * 1000) / userCount,
    'ms',
  );
  await sql`ANALYZE`.execute(database.pools.owner);

  const reads = [
    {
      label: 'department eq, active eq true (1,000 match), page of 100',
      filter: `${enterprise}:department eq "Engineering" and active eq true`,
      target: 50,
    },
    {
      label: 'emails[type eq "work"].value sw, page of 100',
      filter: 'emails[type eq "work"].value sw "person01"',
      target: undefined,
    },
    {
      label: 'userName eq (one match)',
      filter: 'userName eq "person04242@bench.example"',
      target: undefined,
    },
  ];
  for (const read of reads) {
    const url = `${base}/scim/v2/Users?filter=${encodeURIComponent(read.filter)}&startIndex=1&count=100`;
    const answer = await httpGet(url, headers, 10_000);
    if (answer?.status !== 200) {
      throw new Error(`${read.label} answered ${answer ? String(answer.status) : 'nothing'}`);
    }
    const page = JSON.parse(answer.body) as { totalResults: number; itemsPerPage: number };
    heading(`GET /scim/v2/Users ${read.label}`);
    note(`filter ${read.filter}`);
    note(
      `${String(page.totalResults)} results, ${String(page.itemsPerPage)} on the page, ${answer.body.length.toLocaleString('en-US')} bytes`,
    );
    for (const concurrency of [1, connections]) {
      await recordedLoad({ url, headers, connections: concurrency, duration: 2 });
      const cpu = await measureCpu(server.pid, dataDir, () =>
        recordedLoad({ url, headers, connections: concurrency, duration: measureSeconds }),
      );
      const { latencies: times, non2xx } = cpu.value;
      const served = times.length;
      const isTarget = concurrency === 1 && read.target !== undefined;
      note(
        concurrency === 1
          ? 'one request at a time, as an identity provider pages through users'
          : `${String(concurrency)} concurrent connections`,
      );
      figure('requests/s (2xx)', served / measureSeconds, 'req/s');
      figure('latency p50', percentile(times, 50), 'ms');
      figure(
        'latency p95',
        percentile(times, 95),
        'ms',
        isTarget ? { max: read.target } : undefined,
      );
      figure('latency p99', percentile(times, 99), 'ms');
      figureCpuPerRequest(cpu, served);
      if (non2xx.size > 0) note(`non-2xx statuses: ${JSON.stringify(Object.fromEntries(non2xx))}`);
    }
  }

  const adminUrl = database.embedded?.adminUrl();
  if (adminUrl) {
    await benchPostgresConnectorSync({
      base,
      owner: database.pools.owner,
      adminUrl,
      pgPort,
      uow,
      userId: me.user.id,
    });
  }

  await benchCampaignLaunch({
    base,
    owner: database.pools.owner,
    orgId: me.org.id,
    uow,
    userId: me.user.id,
  });
});
