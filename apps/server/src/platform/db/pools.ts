import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
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
    ...(options.appUrl ? {} : { options: `-c role=${appRole}` }),
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on next use.
  const onError = options.onError ?? (() => undefined);
  ownerPool.on('error', onError);
  appPool.on('error', onError);
  const owner = new Kysely<Database>({ dialect: new PostgresDialect({ pool: ownerPool }) });
  const app = new Kysely<Database>({ dialect: new PostgresDialect({ pool: appPool }) });
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
  return db.connection().execute(async (connection) => {
    await sql.raw(`BEGIN; SET LOCAL steward.org_id = '${orgId}'`).execute(connection);
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
