// The start most benches share: an empty data directory, embedded PostgreSQL on free ports with
// the migrations applied, an organisation set up with its owner, and a unit of work for it; then
// `steward start` attached to it, and the CPU a measured run costs the server and PostgreSQL.
import {
  createAuditWriter,
  createLogger,
  createToken,
  createUnitOfWork,
  loadOrCreateSigner,
  openDatabase,
  parseConfig,
  setUp,
  type Actor,
} from '@steward/server';
import {
  cpuSeconds,
  figure,
  freePorts,
  heading,
  postgresCpuSeconds,
  since,
  spawnSteward,
  stewardEnv,
  stopChild,
  stopLeftoverPostgres,
  takeOverSignals,
  tempDataDir,
  waitForOk,
  type Cleanup,
} from './lib.ts';

type BenchConfig = ReturnType<typeof parseConfig>;
type BenchDatabase = Awaited<ReturnType<typeof openDatabase>>;
type BenchAuditWriter = ReturnType<typeof createAuditWriter>;

/** The system actor a bench writes as; `label` is the bench's name (`bench:api`). */
export function createBenchActor(label: string): Actor {
  return {
    type: 'system',
    id: null,
    label,
    authMethod: 'cli',
    requestId: null,
    ip: null,
    userAgent: 'steward-bench',
  };
}

/**
 * An empty data directory named `name`, two free ports (HTTP, PostgreSQL) and the environment
 * Steward runs with there: rate limit lifted, background worker off unless `worker` is set,
 * `extraEnv` added.
 */
export async function prepareBenchEnv(
  cleanup: Cleanup,
  name: string,
  options: { worker?: boolean; extraEnv?: Record<string, string> } = {},
) {
  const dataDir = await tempDataDir(cleanup, name);
  const [httpPort = 0, pgPort = 0] = await freePorts(2);
  const env: Record<string, string> = {
    PORT: String(httpPort),
    HOST: '127.0.0.1',
    STEWARD_DATA_DIR: dataDir,
    STEWARD_EMBEDDED_PG_PORT: String(pgPort),
    STEWARD_RATE_LIMIT_PER_MINUTE: '1000000000',
    ...(options.worker === true ? {} : { STEWARD_WORKER: 'false' }),
    ...options.extraEnv,
    LOG_LEVEL: 'warn',
  };
  return { dataDir, httpPort, pgPort, env, config: parseConfig(env) };
}

/**
 * Print the `setup` heading, start the embedded PostgreSQL of `dataDir` with the migrations
 * (timed), stop it at cleanup, and load the audit signer.
 */
export async function startBenchDatabase(cleanup: Cleanup, dataDir: string, config: BenchConfig) {
  heading('setup');
  const started = performance.now();
  // Registered first so it runs last, and even when start-up itself is interrupted.
  cleanup.add('stop a leftover embedded PostgreSQL', () => stopLeftoverPostgres(dataDir));
  const database = await openDatabase(config, createLogger('warn'));
  takeOverSignals();
  cleanup.add('stop embedded PostgreSQL', () => database.close());
  figure('embedded PostgreSQL start + migrations', since(started), 'ms');
  const signer = await loadOrCreateSigner(config.dataDir);
  return { database, signer, auditWriter: createAuditWriter(signer) };
}

/**
 * Set up the bench organisation and its owner (by default owner@bench.example), and a unit of
 * work for it; `timedAs` prints how long the set-up took under that label.
 */
export async function setUpBenchOrg(
  deps: { database: BenchDatabase; auditWriter: BenchAuditWriter; config: BenchConfig },
  actor: Actor,
  options: {
    owner?: { email: string; password: string };
    onOrgCreated?: Parameters<typeof setUp>[0]['onOrgCreated'];
    timedAs?: string;
  } = {},
) {
  const { database, auditWriter, config } = deps;
  const started = performance.now();
  const { me } = await setUp(
    {
      db: database.pools.app,
      auditWriter,
      session: config.session,
      ...(options.onOrgCreated ? { onOrgCreated: options.onOrgCreated } : {}),
    },
    actor,
    {
      orgName: 'Bench Org',
      name: 'Bench Owner',
      ...(options.owner ?? {
        email: 'owner@bench.example',
        password: 'correct horse battery staple 42',
      }),
    },
    { openSession: false },
  );
  if (options.timedAs !== undefined) figure(options.timedAs, since(started), 'ms');
  const uow = createUnitOfWork({ db: database.pools.app, auditWriter, orgId: me.org.id, actor });
  return { me, uow };
}

/** Set up a bench installation; `label` names the bench in its data directory and audit actor. */
export async function setUpBenchInstallation(cleanup: Cleanup, label: string) {
  const actor = createBenchActor(label);
  const { dataDir, httpPort, pgPort, env, config } = await prepareBenchEnv(
    cleanup,
    label.replace(/^bench:/, ''),
  );
  const { database, auditWriter } = await startBenchDatabase(cleanup, dataDir, config);
  const { me, uow } = await setUpBenchOrg({ database, auditWriter, config }, actor);
  return { dataDir, httpPort, pgPort, env, config, database, auditWriter, me, uow, actor };
}

/** A day-long API token of the bench owner with the owner role; its secret. */
export async function createBenchOwnerToken(
  uow: ReturnType<typeof createUnitOfWork>,
  userId: string,
): Promise<string> {
  const { secret } = await createToken(
    uow,
    { userId, role: 'owner' },
    { name: 'bench', role: 'owner', expiresInDays: 1 },
  );
  return secret;
}

/**
 * Spawn `steward start` with `env` (attached to the running cluster), stop it at cleanup, and
 * wait for /api/health; `timedAs` prints how long that took under that label.
 */
export async function startBenchServer(
  cleanup: Cleanup,
  env: Record<string, string>,
  httpPort: number,
  options: { waitMs?: number; nodeArgs?: string[]; timedAs?: string } = {},
) {
  const server = spawnSteward(['start'], stewardEnv(env), options.nodeArgs ?? []);
  cleanup.add('stop steward', async () => {
    await stopChild(server);
  });
  const base = `http://127.0.0.1:${String(httpPort)}`;
  const started = performance.now();
  await waitForOk(`${base}/api/health`, options.waitMs ?? 30_000, server);
  if (options.timedAs !== undefined) figure(options.timedAs, since(started), 'ms');
  return { server, base };
}

/** Run `fn` and measure the CPU seconds the server process and PostgreSQL spent meanwhile. */
export async function measureCpu<T>(
  serverPid: number,
  dataDir: string,
  fn: () => Promise<T>,
): Promise<{ value: T; serverSeconds: number; pgSeconds: number }> {
  const serverBefore = cpuSeconds(serverPid);
  const pgBefore = postgresCpuSeconds(dataDir);
  const value = await fn();
  const serverSeconds = cpuSeconds(serverPid) - serverBefore;
  const pgSeconds = postgresCpuSeconds(dataDir) - pgBefore;
  return { value, serverSeconds, pgSeconds };
}

/** Print the server and PostgreSQL CPU per request of a measured run of `requests` requests. */
export function figureCpuPerRequest(
  cpu: { serverSeconds: number; pgSeconds: number },
  requests: number,
): void {
  const served = Math.max(1, requests);
  figure('server CPU per request', (cpu.serverSeconds * 1000) / served, 'ms');
  figure('PostgreSQL CPU per request', (cpu.pgSeconds * 1000) / served, 'ms');
}
