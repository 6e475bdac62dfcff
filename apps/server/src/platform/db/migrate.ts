import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Logger } from 'pino';

/** The folder of forward-only SQL migrations. */
export const migrationsDir = fileURLToPath(new URL('../../../migrations', import.meta.url));

const namePattern = /^\d{14}_[a-z0-9]+_[a-z0-9_]+\.sql$/;

/** Raised when a migration cannot be applied; the message names the file and the problem. */
export class MigrationError extends Error {}

function lineOf(sqlText: string, position: string | undefined): string {
  if (!position) return '';
  const offset = Number(position);
  if (!Number.isInteger(offset)) return '';
  return `, line ${sqlText.slice(0, offset).split('\n').length}`;
}

/**
 * Apply every pending migration in order, each in its own transaction, under an advisory lock so
 * several processes starting together apply each migration once. Applied files must not change.
 */
export async function runMigrations(options: {
  url: string;
  logger: Logger;
  dir?: string;
}): Promise<{ applied: string[] }> {
  const dir = options.dir ?? migrationsDir;
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const badName = files.find((f) => !namePattern.test(f));
  if (badName) {
    throw new MigrationError(
      `Migration file name ${badName} must look like <14-digit timestamp>_<module>_<change>.sql`,
    );
  }
  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['steward.migrations']);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Map(
      (
        await client.query<{ name: string; checksum: string }>(
          'SELECT name, checksum FROM schema_migrations',
        )
      ).rows.map((r) => [r.name, r.checksum]),
    );
    for (const file of files) {
      const text = await readFile(path.join(dir, file), 'utf8');
      const checksum = createHash('sha256').update(text).digest('hex');
      const previous = done.get(file);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new MigrationError(
            `Migration ${file} was changed after it was applied; migrations are forward-only, add a new one`,
          );
        }
        continue;
      }
      try {
        await client.query('BEGIN');
        await client.query(text);
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
          file,
          checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const e = error as { message?: string; position?: string };
        throw new MigrationError(
          `Migration ${file} failed${lineOf(text, e.position)}: ${e.message ?? String(error)}`,
          { cause: error },
        );
      }
      applied.push(file);
      options.logger.info({ migration: file }, 'migration applied');
    }
  } finally {
    await client
      .query('SELECT pg_advisory_unlock(hashtext($1))', ['steward.migrations'])
      .catch(() => undefined);
    await client.end();
  }
  return { applied };
}
