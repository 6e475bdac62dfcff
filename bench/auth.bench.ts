// Password sign-in: throughput and latency of POST /api/v1/auth/sign-in at 20 concurrent
// connections, the time of one argon2id hash with the project's parameters (target 50–150 ms on
// two cores), and how responsive the server stays meanwhile: GET /api/health is sampled one
// request at a time during the sign-in load, which only stays fast if hashing is off the event loop.
//
// The server runs as its own process (`steward start`, attached to the embedded PostgreSQL this
// script started and seeded). The bench user has the employee role, which the default policy does
// not require MFA of, so each sign-in answers with a session. The rate limits are lifted and every
// password is right, so neither throttling nor lockout interferes.
import http from 'node:http';
import { createUser, hashPassword } from '@steward/server';
import { figure, heading, note, percentile, recordedLoad, runBench, since, sleep } from './lib.ts';
import {
  createBenchActor,
  measureCpu,
  prepareBenchEnv,
  setUpBenchOrg,
  startBenchDatabase,
  startBenchServer,
} from './installation.ts';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const warmUpSeconds = 3;
const measureSeconds = 15;
const hashSamples = 15;
const hashTarget = { min: 50, max: 150 };
const healthP95TargetMs = 50;
const healthIntervalMs = 20;
const email = 'signer@bench.example';
const password = 'correct horse battery staple 42';

const benchActor = createBenchActor('bench:auth');

function sorted(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** One request over a kept-alive connection; resolves with the status and the milliseconds it took. */
function timedRequest(
  agent: http.Agent,
  url: string,
  options: { method?: string; body?: string } = {},
): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        agent,
        method: options.method ?? 'GET',
        headers: options.body ? { 'content-type': 'application/json' } : {},
        timeout: 10_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({
            status: response.statusCode ?? 0,
            ms: since(started),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${url} timed out`)));
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Sample GET /api/health one request at a time until `stop` resolves. */
async function sampleHealth(
  url: string,
  stop: Promise<unknown>,
): Promise<{ ms: number[]; failures: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const run = { done: false };
  void stop.finally(() => (run.done = true));
  const ms: number[] = [];
  let failures = 0;
  while (!run.done) {
    try {
      const answer = await timedRequest(agent, url);
      if (answer.status === 200) ms.push(answer.ms);
      else failures += 1;
    } catch {
      failures += 1;
    }
    await sleep(healthIntervalMs);
  }
  agent.destroy();
  return { ms, failures };
}

await runBench('bench:auth', async (cleanup) => {
  const { dataDir, httpPort, pgPort, env, config } = await prepareBenchEnv(cleanup, 'auth', {
    worker: true,
    extraEnv: { STEWARD_AUTH_RATE_LIMIT_PER_MINUTE: '1000000000' },
  });
  note(`data dir ${dataDir}, HTTP port ${httpPort}, PostgreSQL port ${pgPort}`);

  heading('argon2id: one hash with the project parameters (nothing else running)');
  await hashPassword(password);
  const hashMs: number[] = [];
  for (let i = 0; i < hashSamples; i += 1) {
    const started = performance.now();
    await hashPassword(password);
    hashMs.push(since(started));
  }
  const hashes = sorted(hashMs);
  note(`parameters: ${(await hashPassword(password)).split('$')[3] ?? '?'}`);
  figure(`one hash, median of ${hashSamples}`, percentile(hashes, 50), 'ms', hashTarget);
  figure('one hash, min', percentile(hashes, 0), 'ms');
  figure('one hash, max', percentile(hashes, 100), 'ms');

  const { database, auditWriter } = await startBenchDatabase(cleanup, dataDir, config);
  const { uow } = await setUpBenchOrg({ database, auditWriter, config }, benchActor, {
    owner: { email: 'boss@bench.example', password: 'a different passphrase for the org 7' },
  });
  await createUser(uow, 'owner', { email, name: 'Bench Signer', role: 'employee', password });

  const { server, base } = await startBenchServer(cleanup, env, httpPort, {
    timedAs: 'steward start (attached) until /api/health 200',
  });

  const signInUrl = `${base}/api/v1/auth/sign-in`;
  const body = JSON.stringify({ email, password });
  const probe = new http.Agent({ keepAlive: true });
  const first = await timedRequest(probe, signInUrl, { method: 'POST', body });
  if (first.status !== 200 || !first.body.includes('"user"')) {
    throw new Error(`sign-in answered ${first.status}: ${first.body.slice(0, 300)}`);
  }
  note(`sanity: sign-in answered ${first.status} with a session in ${first.ms.toFixed(0)} ms`);

  heading('GET /api/health, idle (one request at a time, 5 s)');
  const idle = await sampleHealth(`${base}/api/health`, sleep(5000));
  const idleMs = sorted(idle.ms);
  figure('health p50, idle', percentile(idleMs, 50), 'ms');
  figure('health p95, idle', percentile(idleMs, 95), 'ms');
  probe.destroy();

  heading(
    `POST /api/v1/auth/sign-in: ${connections} connections, ${warmUpSeconds} s warm-up + ${measureSeconds} s`,
  );
  const loadOptions = {
    url: signInUrl,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    pipelining: 1,
    timeout: 30,
  };
  await recordedLoad({ ...loadOptions, duration: warmUpSeconds });
  const cpu = await measureCpu(server.pid, dataDir, async () => {
    const run = recordedLoad({ ...loadOptions, duration: measureSeconds });
    const health = await sampleHealth(`${base}/api/health`, run);
    return { health, ...(await run) };
  });
  const { health, result, latencies, non2xx } = cpu.value;
  const seconds = result.duration;
  const serverCpu = cpu.serverSeconds;
  const pgCpu = cpu.pgSeconds;

  figure('sign-ins/s (2xx)', latencies.length / seconds, 'req/s');
  figure('sign-in latency p50', percentile(latencies, 50), 'ms');
  figure('sign-in latency p95', percentile(latencies, 95), 'ms');
  figure('sign-in latency p99', percentile(latencies, 99), 'ms');
  figure('sign-in latency max', percentile(latencies, 100), 'ms');
  const errors = result.errors + result.timeouts + [...non2xx.values()].reduce((a, b) => a + b, 0);
  figure('sign-in errors, timeouts and non-2xx', errors, '', { max: 0 });
  if (non2xx.size > 0) note(`non-2xx statuses: ${JSON.stringify(Object.fromEntries(non2xx))}`);
  note(
    `CPU over the run (2 cores = 200%): server ${((serverCpu / seconds) * 100).toFixed(0)}%, ` +
      `PostgreSQL ${((pgCpu / seconds) * 100).toFixed(0)}%`,
  );

  heading('GET /api/health during the sign-in load (one request at a time)');
  const busyMs = sorted(health.ms);
  figure('health requests answered 200', busyMs.length, '');
  figure('health p50, during sign-ins', percentile(busyMs, 50), 'ms');
  figure('health p95, during sign-ins', percentile(busyMs, 95), 'ms', { max: healthP95TargetMs });
  figure('health max, during sign-ins', percentile(busyMs, 100), 'ms');
  figure('health failures', health.failures, '', { max: 0 });
});
