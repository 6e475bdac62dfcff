import { CompiledQuery, Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

// bigint and numeric come back as strings by default; counts and sequence numbers fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);
// Calendar dates stay `YYYY-MM-DD` strings: a Date would shift them by the process time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

/** The role every request runs as; it owns nothing and cannot bypass row-level security. */
export const appRole = 'steward_app';

/** Kysely handle on the database. */
export type Db = Kysely<Database>;

/** A Kysely transaction. */
export type Tx = Transaction<Database>;

// SQL texts run as named prepared statements, with their names. Only queries passed to
// executePrepared are registered, so the set (and each connection's statements) stays bounded.
const preparedNames = new Map<string, string>();

// PostgreSQL refuses a prepared statement whose result columns changed under it (a migration
// applied by another process); the client then prepares the text again under a fresh name.
const cachedPlanChanged = '0A000';

type QueryMethod = (
  this: pg.Client,
  config: unknown,
  values?: unknown,
  callback?: unknown,
) => unknown;
const baseQuery = Object.getOwnPropertyDescriptor(pg.Client.prototype, 'query')
  ?.value as QueryMethod;

// The only value of a statement that opens a transaction and may travel ahead of the next one
// (see withOrg); the statement itself has no parameters.
const sendAhead = Object.freeze({ sendAhead: true });

/**
 * A pg client (in pipeline mode) that runs registered query texts as named prepared statements,
 * and sends a statement marked `sendAhead` without waiting for its answer: the next statement
 * follows it in the same round trip, and its failure becomes that statement's failure.
 */
class PreparingClient extends pg.Client {
  /** Texts whose statement went stale on this connection, with the name that replaces it. */
  readonly renamed = new Map<string, string>();
  /** A statement sent ahead whose outcome the next statement reports. */
  ahead: Promise<unknown> | null = null;
}
Object.defineProperty(PreparingClient.prototype, 'query', {
  value: function query(
    this: PreparingClient,
    config: unknown,
    values?: unknown,
    callback?: unknown,
  ): unknown {
    if (callback !== undefined) return baseQuery.call(this, config, values, callback);
    if (Array.isArray(values) && values.length === 1 && values[0] === sendAhead) {
      const sent = baseQuery.call(this, config) as Promise<unknown>;
      // Observed by the next statement; a rejection must not count as unhandled meanwhile.
      sent.catch(() => undefined);
      this.ahead = sent;
      return Promise.resolve({ command: null, rowCount: null, rows: [] });
    }
    const name =
      typeof config === 'string' && Array.isArray(values)
        ? (this.renamed.get(config) ?? preparedNames.get(config))
        : undefined;
    let result: Promise<unknown>;
    if (name === undefined) {
      result = baseQuery.call(this, config, values) as Promise<unknown>;
    } else {
      const text = config as string;
      result = (baseQuery.call(this, { name, text, values }) as Promise<unknown>).catch(
        (error: unknown) => {
          if ((error as { code?: unknown }).code === cachedPlanChanged) {
            this.renamed.set(text, `${name}_${this.renamed.size + 1}`);
          }
          throw error;
        },
      );
    }
    const ahead = this.ahead;
    if (ahead === null) return result;
    this.ahead = null;
    return Promise.all([ahead, result]).then(([, answer]) => answer);
  },
});

// App handles whose connections are PreparingClients, which withOrg may send its BEGIN ahead on.
const pipelinedDbs = new WeakSet<Db>();

/**
 * Run a query as a named prepared statement on whichever connection serves it: PostgreSQL parses
 * and plans it once per connection instead of on every call. For hot queries with a fixed shape
 * (their SQL text is the key; the values stay parameters).
 */
export function executePrepared<R>(db: Db | Tx, query: CompiledQuery<R>) {
  if (!preparedNames.has(query.sql)) {
    preparedNames.set(query.sql, `steward_prepared_${preparedNames.size + 1}`);
  }
  return db.executeQuery(query);
}

/** The two connection pools: the owner (migrations, job queue) and the app (every request). */
export interface DatabasePools {
  /** Runtime handle: connected as, or switched to, the non-owner app role. */
  app: Db;
  /** Owner handle: only for migrations, administrative CLI commands and the job queue. */
  owner: Db;
  ownerUrl: string;
  close(): Promise<void>;
}

/** Open the owner and app pools. */
export function openDatabasePools(options: {
  ownerUrl: string;
  appUrl?: string | undefined;
  poolSize: number;
  onError?: (error: Error) => void;
}): DatabasePools {
  const ownerPool = new pg.Pool({ connectionString: options.ownerUrl, max: 4 });
  // Without a dedicated login, connections start as the app role (a startup parameter, so even
  // RESET ROLE returns to it); a missing role makes the connection fail rather than run as owner.
  const appPool = new pg.Pool({
    connectionString: options.appUrl ?? options.ownerUrl,
    max: options.poolSize,
    Client: PreparingClient,
    // Statements are still awaited one by one; pipelining only lets withOrg's BEGIN travel with
    // the transaction's first statement.
    pipeline: true,
    ...(options.appUrl ? {} : { options: `-c role=${appRole}` }),
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on next use.
  const onError = options.onError ?? (() => undefined);
  ownerPool.on('error', onError);
  appPool.on('error', onError);
  const owner = new Kysely<Database>({ dialect: new PostgresDialect({ pool: ownerPool }) });
  const app = new Kysely<Database>({ dialect: new PostgresDialect({ pool: appPool }) });
  pipelinedDbs.add(app);
  return {
    app,
    owner,
    ownerUrl: options.ownerUrl,
    async close() {
      await Promise.allSettled([app.destroy(), owner.destroy()]);
    },
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Run `fn` in a transaction scoped to one organisation: row-level security sees only its rows. */
export async function withOrg<T>(db: Db, orgId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  // The org id is inlined so BEGIN and the setting travel in one round trip (a parameterless
  // query may hold several statements); the pattern check keeps it a literal.
  if (!uuidPattern.test(orgId)) throw new Error('withOrg needs an organisation id (uuid)');
  const begin = `BEGIN; SET LOCAL steward.org_id = '${orgId}'`;
  return db.connection().execute(async (connection) => {
    // On the app pool the BEGIN goes out with the transaction's first statement (one round trip
    // fewer); a failure of the BEGIN fails that statement.
    await connection.executeQuery(
      CompiledQuery.raw(begin, pipelinedDbs.has(db) ? [sendAhead] : []),
    );
    try {
      const result = await fn(connection as unknown as Tx);
      await sql.raw('COMMIT').execute(connection);
      return result;
    } catch (error) {
      await sql.raw('ROLLBACK').execute(connection);
      throw error;
    }
  });
}

/** Whether the database answers. */
export async function isDatabaseUp(db: Db): Promise<boolean> {
  try {
    await sql`SELECT 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
