import {
  CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type Compilable,
  type QueryResult,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { ChangeFeed } from './change-feed.ts';
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
 * follows it in the same round trip (and the same socket write), and its failure becomes that
 * statement's failure.
 */
class PreparingClient extends pg.Client {
  /** Texts whose statement went stale on this connection, with the name that replaces it. */
  readonly renamed = new Map<string, string>();
  /** A statement sent ahead whose outcome the next statement reports. */
  ahead: Promise<unknown> | null = null;
  /** The statement sent ahead is held back until the next one joins it. */
  releaseAfterNextStatement = false;
  private isHoldingWrites = false;

  private get socket(): { cork(): void; uncork(): void } | undefined {
    return (this as unknown as { connection?: { stream?: { cork(): void; uncork(): void } } })
      .connection?.stream;
  }

  /**
   * Buffer the messages of the next statements until releaseWrites, so they leave in one socket
   * write: a write costs about as much CPU as PostgreSQL spends on a small indexed query. At the
   * latest they leave once pending callbacks and promise continuations have run (setImmediate),
   * which is when a caller that awaited nothing else has sent its next statement.
   */
  holdWrites(): void {
    const socket = this.socket;
    if (this.isHoldingWrites || !socket) return;
    this.isHoldingWrites = true;
    socket.cork();
    setImmediate(() => {
      this.releaseWrites();
    });
  }

  /** Send what holdWrites buffered. */
  releaseWrites(): void {
    if (!this.isHoldingWrites) return;
    this.isHoldingWrites = false;
    this.socket?.uncork();
  }
}

// The text of a statement whose rows are wanted as arrays of column values (queryArraysInOrg).
function arrayRowsText(config: unknown): string | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const { text, rowMode } = config as Partial<pg.QueryArrayConfig>;
  return rowMode === 'array' && typeof text === 'string' ? text : undefined;
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
      this.holdWrites();
      this.releaseAfterNextStatement = true;
      const sent = baseQuery.call(this, config) as Promise<unknown>;
      // Observed by the next statement; a rejection must not count as unhandled meanwhile.
      sent.catch(() => undefined);
      this.ahead = sent;
      // The client itself is the answer, so withOrg can send the transaction's statements
      // without waiting on one another (see sendPrepared).
      return Promise.resolve({ command: null, rowCount: null, rows: [this] });
    }
    const text = typeof config === 'string' ? config : arrayRowsText(config);
    const name =
      text !== undefined && Array.isArray(values)
        ? (this.renamed.get(text) ?? preparedNames.get(text))
        : undefined;
    let result: Promise<unknown>;
    if (name === undefined || text === undefined) {
      result = baseQuery.call(this, config, values) as Promise<unknown>;
    } else {
      const prepared = { name, text, values, ...(text === config ? {} : { rowMode: 'array' }) };
      result = (baseQuery.call(this, prepared) as Promise<unknown>).catch((error: unknown) => {
        if ((error as { code?: unknown }).code === cachedPlanChanged) {
          this.renamed.set(text, `${name}_${this.renamed.size + 1}`);
        }
        throw error;
      });
    }
    if (this.releaseAfterNextStatement) {
      this.releaseAfterNextStatement = false;
      this.releaseWrites();
    }
    const ahead = this.ahead;
    if (ahead === null) return result;
    this.ahead = null;
    return Promise.all([ahead, result]).then(([, answer]) => answer);
  },
});

// The client of each open withOrg transaction on the app pool, while it is open.
const transactionClients = new WeakMap<object, PreparingClient>();

// App handles whose connections are PreparingClients, with their pool: withOrg may send its
// BEGIN ahead on them, and single statements skip the query builder's connection layer.
const pipelinedPools = new WeakMap<Db, pg.Pool>();

// The change feed heard on the connections of an app handle's pools.
const changeFeeds = new WeakMap<Db, ChangeFeed>();

/** The feed of principal changes heard by the pools of an app handle (none on other handles). */
export function changeFeedOf(db: Db): ChangeFeed | undefined {
  return changeFeeds.get(db);
}

function registerPrepared(text: string): void {
  if (!preparedNames.has(text)) {
    preparedNames.set(text, `steward_prepared_${preparedNames.size + 1}`);
  }
}

/**
 * Run a query as a named prepared statement on whichever connection serves it: PostgreSQL parses
 * and plans it once per connection instead of on every call. For hot queries with a fixed shape
 * (their SQL text is the key; the values stay parameters).
 */
export async function executePrepared<R>(
  db: Db | Tx,
  query: CompiledQuery<R>,
): Promise<QueryResult<R>> {
  registerPrepared(query.sql);
  const pool = pipelinedPools.get(db);
  if (!pool) return db.executeQuery(query);
  const client = await pool.connect();
  try {
    const { rows } = await client.query<R & pg.QueryResultRow>(query.sql, [...query.parameters]);
    client.release();
    return { rows };
  } catch (error) {
    client.release(isConnectionError(error) ? error : undefined);
    throw error;
  }
}

/** An error of the connection itself (not of a statement): the pool must not hand it out again. */
function isConnectionError(error: unknown): error is Error {
  return error instanceof Error && typeof (error as { code?: unknown }).code !== 'string';
}

// Builds SQL without a database: queries compiled once and run many times (see compileOnce).
const offlineBuilder = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/**
 * A query built once and then run with new values: building and compiling a query costs more
 * CPU than PostgreSQL spends answering a small one. `build` must pass each argument to the query
 * as one bound value (a comparison, not an `in` list), and its SQL must not depend on the values.
 */
export function compileOnce<A extends unknown[], R>(
  build: (db: Kysely<Database>, ...args: A) => Compilable<R>,
): (...args: A) => CompiledQuery<R> {
  let template: { query: CompiledQuery<R>; slots: number[] } | undefined;
  return (...args) => {
    if (!template) {
      const markers = args.map((_value, index) => ({ compileOnceArgument: index }));
      const query = build(offlineBuilder, ...(markers as unknown as A)).compile();
      const slots = markers.map((marker) => {
        const slot = query.parameters.indexOf(marker);
        if (slot < 0 || query.parameters.lastIndexOf(marker) !== slot) {
          throw new Error('compileOnce: each argument must be bound exactly once');
        }
        return slot;
      });
      template = { query, slots };
    }
    const parameters = [...template.query.parameters];
    template.slots.forEach((slot, index) => {
      parameters[slot] = args[index];
    });
    return { ...template.query, parameters };
  };
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
  // Both pools listen, so a change this process makes through either is heard before its COMMIT
  // answers.
  const changeFeed = new ChangeFeed();
  ownerPool.on('connect', (client) => {
    changeFeed.attach(client);
  });
  appPool.on('connect', (client) => {
    changeFeed.attach(client);
  });
  const owner = new Kysely<Database>({ dialect: new PostgresDialect({ pool: ownerPool }) });
  const app = new Kysely<Database>({ dialect: new PostgresDialect({ pool: appPool }) });
  pipelinedPools.set(app, appPool);
  changeFeeds.set(app, changeFeed);
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

const commit = CompiledQuery.raw('COMMIT');
const rollback = CompiledQuery.raw('ROLLBACK');

/** The statement opening a transaction of the org (optionally read-only), with the org setting. */
function beginInOrg(orgId: string, readOnly: boolean): string {
  // The org id is inlined so BEGIN and the setting travel in one round trip (a parameterless
  // query may hold several statements); the pattern check keeps it a literal.
  if (!uuidPattern.test(orgId)) throw new Error('withOrg needs an organisation id (uuid)');
  return `${readOnly ? 'BEGIN READ ONLY' : 'BEGIN'}; SET LOCAL steward.org_id = '${orgId}'`;
}

/** Run `fn` in a transaction scoped to one organisation: row-level security sees only its rows. */
export async function withOrg<T>(db: Db, orgId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const begin = beginInOrg(orgId, false);
  return db.connection().execute(async (connection) => {
    // On the app pool the BEGIN goes out with the transaction's first statement (one round trip
    // and one socket write fewer); a failure of the BEGIN fails that statement.
    const opened = await connection.executeQuery(
      CompiledQuery.raw(begin, pipelinedPools.has(db) ? [sendAhead] : []),
    );
    const client = opened.rows[0];
    if (client instanceof PreparingClient) transactionClients.set(connection, client);
    try {
      const result = await fn(connection as unknown as Tx);
      // Straight to the client when there is one: the query builder's connection layer costs
      // more CPU than the COMMIT itself.
      await (client instanceof PreparingClient
        ? client.query('COMMIT')
        : connection.executeQuery(commit));
      return result;
    } catch (error) {
      await connection.executeQuery(rollback);
      throw error;
    } finally {
      // The connection goes back to the pool: nothing may be sent on it in this one's name.
      transactionClients.delete(connection);
    }
  });
}

/**
 * Run one query in a read-only transaction scoped to one organisation, in one round trip: BEGIN
 * with the org setting, the query (as a named prepared statement) and COMMIT leave in a single
 * socket write and are answered together. Row-level security applies as in withOrg; a statement
 * that writes is refused by the read-only transaction.
 */
export function queryInOrg<R>(db: Db, orgId: string, query: CompiledQuery<R>): Promise<R[]> {
  return queryRowsInOrg(db, orgId, query, 'object') as Promise<R[]>;
}

/**
 * queryInOrg answering each row as the array of its column values, in the select list's order:
 * cheaper to build than an object per row, for hot reads of many rows.
 */
export function queryArraysInOrg(
  db: Db,
  orgId: string,
  query: CompiledQuery,
): Promise<unknown[][]> {
  return queryRowsInOrg(db, orgId, query, 'array') as Promise<unknown[][]>;
}

async function queryRowsInOrg(
  db: Db,
  orgId: string,
  query: CompiledQuery,
  rowMode: 'object' | 'array',
): Promise<unknown[]> {
  const begin = beginInOrg(orgId, true);
  const pool = pipelinedPools.get(db);
  if (!pool) {
    const { rows } = await withOrg(db, orgId, (tx) => tx.executeQuery<object>(query));
    return rowMode === 'array' ? rows.map((row): unknown[] => Object.values(row)) : rows;
  }
  registerPrepared(query.sql);
  const client = await pool.connect();
  if (!(client instanceof PreparingClient)) {
    client.release();
    throw new Error('the app pool hands out PreparingClients');
  }
  let answers;
  client.holdWrites();
  try {
    answers = Promise.allSettled([
      client.query(begin),
      rowMode === 'array'
        ? client.query({ text: query.sql, rowMode } satisfies pg.QueryArrayConfig, [
            ...query.parameters,
          ])
        : client.query(query.sql, [...query.parameters]),
      client.query('COMMIT'),
    ]);
  } catch (error) {
    client.release(error as Error);
    throw error;
  } finally {
    client.releaseWrites();
  }
  const settled = await answers;
  // A statement error leaves the connection usable (COMMIT answered ROLLBACK).
  const failure = settled.find((outcome) => outcome.status === 'rejected');
  const reason: unknown = failure?.reason;
  client.release(isConnectionError(reason) ? reason : undefined);
  if (failure) throw reason;
  const answer = settled[1];
  return answer.status === 'fulfilled' ? (answer.value.rows as unknown[]) : [];
}

/**
 * Send a statement of a transaction (as a named prepared statement) at once, without waiting for
 * the answers to the statements sent before it: the statements sent before the process next
 * waits for anything leave in one socket write and are answered in one round trip, in order. The
 * returned answer must be awaited (a failure aborts the transaction, so the statements sent after
 * it fail too). Outside a withOrg transaction on the app pool, the statement simply runs.
 */
export function sendPrepared<R>(tx: Tx, query: CompiledQuery<R>): Promise<QueryResult<R>> {
  const client = transactionClients.get(tx);
  if (!client) return executePrepared(tx, query);
  registerPrepared(query.sql);
  client.holdWrites();
  // A BEGIN sent ahead waits for more than this statement: whatever else the caller sends
  // before waiting goes out in the same write.
  client.releaseAfterNextStatement = false;
  const sent = (
    client.query<R & pg.QueryResultRow>(query.sql, [...query.parameters]) as Promise<
      pg.QueryResult<R & pg.QueryResultRow>
    >
  ).then(({ rows }): QueryResult<R> => ({ rows }));
  // Whoever sent it awaits it; until then a failure must not count as unhandled.
  sent.catch(() => undefined);
  return sent;
}

/**
 * Send a statement of a transaction whose answer nobody needs, and go on at once: it travels with
 * the transaction's next statement (its COMMIT at the latest), whose answer reports its failure.
 * Outside a withOrg transaction on the app pool, the statement simply runs.
 */
export async function executeAhead(tx: Tx, query: CompiledQuery): Promise<void> {
  const client = transactionClients.get(tx);
  if (!client) {
    await executePrepared(tx, query);
    return;
  }
  client.ahead = sendPrepared(tx, query);
  client.releaseAfterNextStatement = true;
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
