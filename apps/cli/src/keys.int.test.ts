import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app.ts';
import { parseConfig } from '../../server/src/config.ts';
import { masterKeyPath } from '../../server/src/platform/crypto/data-keys.ts';
import { openDatabasePools } from '../../server/src/platform/db/pools.ts';
import { createLogger } from '../../server/src/platform/logger/logger.ts';
import { seedOrg } from '../../server/test/factories.ts';
import { createTestApp, type TestApp } from '../../server/test/harness.ts';
import { runCli } from '../test/run-cli.ts';

let t: TestApp;
let keyDir: string;
let sealed: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedOrg(t, 'Keys Org');
  sealed = await t.secrets.sealSecret('test:rotation', 'the secret at rest');
  keyDir = await mkdtemp(path.join(tmpdir(), 'steward-keys-'));
});

afterAll(async () => {
  await t.close();
  await rm(keyDir, { recursive: true, force: true });
});

/** Another process on the same database and data directory, with its own configuration. */
async function openProcess(env: Record<string, string> = {}) {
  const config = parseConfig({
    DATABASE_URL: t.databaseUrl,
    STEWARD_DATA_DIR: t.dataDir,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const pools = openDatabasePools({ ownerUrl: t.databaseUrl, poolSize: 2 });
  const app = await createApp({ config, logger: createLogger('silent'), pools, signer: t.signer });
  return {
    secrets: app.secrets,
    async close() {
      await app.http.close();
      await pools.close();
    },
  };
}

describe('steward keys rotate', () => {
  const cliEnv = () => ({ DATABASE_URL: t.databaseUrl, STEWARD_DATA_DIR: t.dataDir });

  it('replaces the generated master key, keeps the old one as .previous, and stays readable', async () => {
    const file = masterKeyPath(t.dataDir);
    const before = await readFile(file, 'utf8');
    const result = await runCli(['keys', 'rotate', '--new-data-key'], cliEnv());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^ok, re-wrapped 1 data key\(s\) under master key [0-9a-f]{16}; new data key/,
    );
    const after = await readFile(file, 'utf8');
    expect(after).not.toBe(before);
    expect(await readFile(`${file}.previous`, 'utf8')).toBe(before);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    expect(await t.secrets.openSecret('test:rotation', sealed)).toBe('the secret at rest');
    const fresh = await openProcess();
    try {
      expect(await fresh.secrets.openSecret('test:rotation', sealed)).toBe('the secret at rest');
      const newer = await fresh.secrets.sealSecret('test:rotation', 'sealed after');
      expect(newer.split('.')[1]).not.toBe(sealed.split('.')[1]);
      expect(await t.secrets.openSecret('test:rotation', newer)).toBe('sealed after');
    } finally {
      await fresh.close();
    }
    const rows = await t.pools.owner.selectFrom('crypto_data_keys').selectAll().execute();
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.is_active)).toHaveLength(1);
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select(['action', 'auth_method', 'changes'])
      .where('action', '=', 'keys.rotated')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ auth_method: 'cli', changes: { rewrapped: 1 } });
  });

  it('re-wraps under --new-master-key-file with STEWARD_MASTER_KEY, and refuses a process holding only the old key', async () => {
    const current = (await readFile(masterKeyPath(t.dataDir), 'utf8')).trim();
    const next = randomBytes(32).toString('base64');
    const nextFile = path.join(keyDir, 'next.key');
    await writeFile(nextFile, `${next}\n`, { mode: 0o600 });
    const result = await runCli(['keys', 'rotate', '--new-master-key-file', nextFile], {
      ...cliEnv(),
      STEWARD_MASTER_KEY: current,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('re-wrapped 2 data key(s)');
    expect(result.stdout).toContain('Now set STEWARD_MASTER_KEY');

    const updated = await openProcess({ STEWARD_MASTER_KEY: next });
    try {
      expect(await updated.secrets.openSecret('test:rotation', sealed)).toBe('the secret at rest');
    } finally {
      await updated.close();
    }
    const stale = await openProcess({ STEWARD_MASTER_KEY: randomBytes(32).toString('base64') });
    try {
      await expect(stale.secrets.ready()).rejects.toThrow(/STEWARD_MASTER_KEY/);
    } finally {
      await stale.close();
    }
  });

  it('refuses a key file that is not a 32-byte base64 key', async () => {
    const badFile = path.join(keyDir, 'bad.key');
    await writeFile(badFile, 'too short\n');
    const result = await runCli(['keys', 'rotate', '--new-master-key-file', badFile], cliEnv());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--new-master-key-file');
  });
});
