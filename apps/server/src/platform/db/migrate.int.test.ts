import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../logger/logger.ts';
import { MigrationError, migrationsDir, runMigrations } from './migrate.ts';

const logger = createLogger('silent');
const repoRoot = path.resolve(import.meta.dirname, '../../../../..');
const dirs: string[] = [];

async function createEmptyDatabase(): Promise<string> {
  const { adminUrl } = inject('postgres');
  const name = `migrate_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

async function tableExists(url: string, table: string): Promise<boolean> {
  const [row] = await query<{ exists: boolean }>(
    url,
    `SELECT to_regclass('public.${table}') IS NOT NULL AS exists`,
  );
  return row?.exists ?? false;
}

async function migrationsFolder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'steward-migrations-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

async function migrationFailure(
  options: Parameters<typeof runMigrations>[0],
): Promise<MigrationError> {
  const error: unknown = await runMigrations(options).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MigrationError);
  return error as MigrationError;
}

const first = '20250101000000_test_create_widgets.sql';
const second = '20250101000001_test_alter_widgets.sql';
const firstSql = 'CREATE TABLE widgets (id integer PRIMARY KEY);\n';
// Depends on the first file, so applying out of order would fail.
const secondSql =
  "ALTER TABLE widgets ADD COLUMN label text NOT NULL DEFAULT 'w';\nINSERT INTO widgets (id) VALUES (1);\n";

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('runMigrations', () => {
  let url: string;

  beforeEach(async () => {
    url = await createEmptyDatabase();
  });

  it('applies pending files in name order, records them, and applies nothing the second time', async () => {
    const dir = await migrationsFolder({
      [second]: secondSql,
      [first]: firstSql,
      'README.md': 'not a migration',
    });
    expect(await runMigrations({ url, logger, dir })).toEqual({ applied: [first, second] });
    const recorded = await query<{ name: string; checksum: string }>(
      url,
      'SELECT name, checksum FROM schema_migrations ORDER BY name',
    );
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(recorded).toEqual([
      { name: first, checksum: sha(firstSql) },
      { name: second, checksum: sha(secondSql) },
    ]);
    expect(await query(url, 'SELECT id, label FROM widgets')).toEqual([{ id: 1, label: 'w' }]);

    expect(await runMigrations({ url, logger, dir })).toEqual({ applied: [] });
    expect(await query(url, 'SELECT id FROM widgets')).toHaveLength(1);
  });

  it('applies only the files added since the last run', async () => {
    const dir = await migrationsFolder({ [first]: firstSql });
    expect((await runMigrations({ url, logger, dir })).applied).toEqual([first]);
    await writeFile(path.join(dir, second), secondSql);
    expect((await runMigrations({ url, logger, dir })).applied).toEqual([second]);
  });

  it('names the file and line of a syntax error and applies nothing of that file', async () => {
    const broken = '20250101000002_test_broken.sql';
    const dir = await migrationsFolder({
      [first]: firstSql,
      [broken]:
        'CREATE TABLE gadgets (id integer);\n-- a typo follows\nCREAT TABLE sprockets (id integer);\n',
    });
    const error = await migrationFailure({ url, logger, dir });
    expect(error.message).toContain(broken);
    expect(error.message).toMatch(/, line 3: .*syntax error/);
    expect(await tableExists(url, 'widgets')).toBe(true);
    expect(await tableExists(url, 'gadgets')).toBe(false);
    const names = await query<{ name: string }>(url, 'SELECT name FROM schema_migrations');
    expect(names.map((r) => r.name)).toEqual([first]);
  });

  it('rolls back the statements that ran before a failing one', async () => {
    const broken = '20250101000002_test_broken.sql';
    const dir = await migrationsFolder({
      [broken]:
        'CREATE TABLE gadgets (id integer);\nINSERT INTO gadgets VALUES (1);\nINSERT INTO no_such_table VALUES (1);\n',
    });
    const error = await migrationFailure({ url, logger, dir });
    expect(error.message).toContain(broken);
    expect(error.message).toMatch(/line 3: .*no_such_table/);
    expect(await tableExists(url, 'gadgets')).toBe(false);
    expect(await query(url, 'SELECT name FROM schema_migrations')).toEqual([]);
  });

  it('refuses an applied file that was changed afterwards, as migrations are forward-only', async () => {
    const dir = await migrationsFolder({ [first]: firstSql });
    await runMigrations({ url, logger, dir });
    await writeFile(path.join(dir, first), `${firstSql}CREATE TABLE extra (id integer);\n`);
    await writeFile(path.join(dir, second), secondSql);
    const error = await migrationFailure({ url, logger, dir });
    expect(error.message).toContain(first);
    expect(error.message).toMatch(/forward-only/);
    expect(await tableExists(url, 'extra')).toBe(false);
    expect(
      await query(
        url,
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'widgets'",
      ),
    ).toEqual([{ column_name: 'id' }]);
  });

  it('refuses a badly named file before touching the database', async () => {
    for (const badName of [
      '2025_widgets.sql',
      '20250101000003_Test_Upper.sql',
      '20250101000003_nomodule.sql',
    ]) {
      const dir = await migrationsFolder({ [first]: firstSql, [badName]: 'SELECT 1;\n' });
      const error = await migrationFailure({ url, logger, dir });
      expect(error.message).toContain(badName);
    }
    expect(await tableExists(url, 'schema_migrations')).toBe(false);
    expect(await tableExists(url, 'widgets')).toBe(false);
  });
});

describe('steward migrate', () => {
  const run = promisify(execFile);

  it('applies the shipped migrations to an empty database, then reports it up to date', async () => {
    const url = await createEmptyDatabase();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'steward-migrate-data-'));
    dirs.push(dataDir);
    const env = { ...process.env, DATABASE_URL: url, STEWARD_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    const shipped = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
    expect(shipped.length).toBeGreaterThan(0);

    const firstRun = await run(process.execPath, ['apps/cli/bin/steward.mjs', 'migrate'], {
      cwd: repoRoot,
      env,
    });
    expect(firstRun.stdout).toBe(
      `ok, applied ${shipped.length} migration(s): ${shipped.join(', ')}\n`,
    );
    expect(await tableExists(url, 'audit_events')).toBe(true);

    const secondRun = await run(process.execPath, ['apps/cli/bin/steward.mjs', 'migrate'], {
      cwd: repoRoot,
      env,
    });
    expect(secondRun.stdout).toBe('ok, the database is up to date\n');
    const names = await query<{ name: string }>(
      url,
      'SELECT name FROM schema_migrations ORDER BY name',
    );
    expect(names.map((r) => r.name)).toEqual(shipped);
  });
});
