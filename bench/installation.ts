// The start most benches share: an empty data directory, embedded PostgreSQL on free ports with
// the migrations applied, an organisation set up with its owner, and a unit of work for it.
import {
  createAuditWriter,
  createLogger,
  createUnitOfWork,
  loadOrCreateSigner,
  openDatabase,
  parseConfig,
  setUp,
  type Actor,
} from '@steward/server';
import {
  figure,
  freePorts,
  heading,
  since,
  stopLeftoverPostgres,
  takeOverSignals,
  tempDataDir,
  type Cleanup,
} from './lib.ts';

/** Set up a bench installation; `label` names the bench in its data directory and audit actor. */
export async function setUpBenchInstallation(cleanup: Cleanup, label: string) {
  const actor: Actor = {
    type: 'system',
    id: null,
    label,
    authMethod: 'cli',
    requestId: null,
    ip: null,
    userAgent: 'steward-bench',
  };
  const dataDir = await tempDataDir(cleanup, label.replace(/^bench:/, ''));
  const [httpPort = 0, pgPort = 0] = await freePorts(2);
  const env = {
    PORT: String(httpPort),
    HOST: '127.0.0.1',
    STEWARD_DATA_DIR: dataDir,
    STEWARD_EMBEDDED_PG_PORT: String(pgPort),
    STEWARD_RATE_LIMIT_PER_MINUTE: '1000000000',
    STEWARD_WORKER: 'false',
    LOG_LEVEL: 'warn',
  };
  const config = parseConfig(env);
  heading('setup');
  const started = performance.now();
  cleanup.add('stop a leftover embedded PostgreSQL', () => stopLeftoverPostgres(dataDir));
  const database = await openDatabase(config, createLogger('warn'));
  takeOverSignals();
  cleanup.add('stop embedded PostgreSQL', () => database.close());
  figure('embedded PostgreSQL start + migrations', since(started), 'ms');
  const auditWriter = createAuditWriter(await loadOrCreateSigner(config.dataDir));
  const { me } = await setUp(
    { db: database.pools.app, auditWriter, session: config.session },
    actor,
    {
      orgName: 'Bench Org',
      name: 'Bench Owner',
      email: 'owner@bench.example',
      password: 'correct horse battery staple 42',
    },
    { openSession: false },
  );
  const uow = createUnitOfWork({ db: database.pools.app, auditWriter, orgId: me.org.id, actor });
  return { dataDir, httpPort, pgPort, env, config, database, auditWriter, me, uow, actor };
}
