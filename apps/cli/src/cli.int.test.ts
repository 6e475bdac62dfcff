import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/src/app.ts';
import { parseConfig } from '../../server/src/config.ts';
import { signDueCheckpoints } from '../../server/src/modules/audit-log/index.ts';
import { keyIdOf, loadOrCreateSigner } from '../../server/src/platform/audit/signing.ts';
import { openDatabasePools } from '../../server/src/platform/db/pools.ts';
import { createLogger } from '../../server/src/platform/logger/logger.ts';
import { seedOrg, seedUser } from '../../server/test/factories.ts';
import { createTestApp, createTestDatabase } from '../../server/test/harness.ts';
import { repoRoot, runCli, type CliResult } from '../test/run-cli.ts';

const ownerPassword = 'violet-harbour-kettle-77';
const tempDirs: string[] = [];

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function cloneDatabase(sourceUrl: string): Promise<string> {
  const source = new URL(sourceUrl).pathname.slice(1);
  const name = `${source}_c${Math.random().toString(36).slice(2, 8)}`;
  await withClient(inject('postgres').adminUrl, (admin) =>
    admin.query(`CREATE DATABASE ${name} TEMPLATE ${source}`),
  );
  const url = new URL(sourceUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe.concurrent('steward CLI without a database', () => {
  // Nothing listens here: these commands must answer before they connect.
  const env = {
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    STEWARD_DATA_DIR: path.join(tmpdir(), 'unused'),
  };
  let passwordFile: string;
  let shortPasswordFile: string;

  beforeAll(async () => {
    const dir = await tempDir('steward-cli-input-');
    passwordFile = path.join(dir, 'password');
    shortPasswordFile = path.join(dir, 'short');
    await writeFile(passwordFile, `${ownerPassword}\n`);
    await writeFile(shortPasswordFile, 'short-pass1\n');
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(
      await readFile(path.join(repoRoot, 'apps/server/package.json'), 'utf8'),
    ) as { version: string };
    const result = await runCli(['version'], env);
    expect(result).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('prints help for the program and for audit', async () => {
    const [main, audit] = await Promise.all([
      runCli(['--help'], env),
      runCli(['audit', '--help'], env),
    ]);
    expect(main.code).toBe(0);
    for (const command of ['setup', 'users', 'tokens', 'audit', 'migrate', 'start'])
      expect(main.stdout).toContain(command);
    expect(audit.code).toBe(0);
    for (const command of ['verify', 'export', 'public-key'])
      expect(audit.stdout).toContain(command);
  });

  it('refuses a too-short password naming --password-file', async () => {
    const result = await runCli(
      [
        'setup',
        '--org',
        'Acme',
        '--email',
        'owner@acme.test',
        '--password-file',
        shortPasswordFile,
      ],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('steward: --password-file: Use at least 12 characters\n');
  });

  it('refuses an unknown role naming --role', async () => {
    const result = await runCli(
      [
        'users',
        'create',
        '--email',
        'x@acme.test',
        '--name',
        'X',
        '--role',
        'overlord',
        '--password-file',
        passwordFile,
      ],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^steward: --role: /);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses a malformed --expires', async () => {
    const result = await runCli(
      ['tokens', 'create', '--email', 'x@acme.test', '--name', 'ci', '--expires', '5x'],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('steward: --expires: "5x" is not a duration like 90d, 12h or 30m\n');
  });

  it('exits 2 naming PORT when it is not a number', async () => {
    const result = await runCli(['audit', 'verify'], { ...env, PORT: 'abc' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ {2}- PORT: .+$/m);
    expect(result.stdout).toBe('');
  });
});

describe('steward CLI on a database', () => {
  let databaseUrl: string;
  let dataDir: string;
  let env: Record<string, string>;
  let passwordFile: string;
  let tokenSecret: string;

  const count = (table: 'orgs' | 'users' | 'api_tokens' | 'audit_events') =>
    withClient(databaseUrl, async (c) =>
      Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n),
    );

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    dataDir = await tempDir('steward-cli-data-');
    env = { DATABASE_URL: databaseUrl, STEWARD_DATA_DIR: dataDir };
    passwordFile = path.join(await tempDir('steward-cli-secrets-'), 'password');
    await writeFile(passwordFile, `${ownerPassword}\n`);
  });

  it('sets up the organisation and its owner once', async () => {
    const setup = [
      'setup',
      '--org',
      'Acme',
      '--email',
      'owner@acme.test',
      '--password-file',
      passwordFile,
    ];
    const first = await runCli(setup, env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^ok, created organisation Acme \([0-9a-f-]{36}\) with owner owner@acme\.test\n$/,
    );

    const second = await runCli(setup, env);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe('steward: Steward is already set up; setup runs only once\n');
    expect(await count('orgs')).toBe(1);
    expect(await count('users')).toBe(1);
  });

  it('creates a user', async () => {
    const result = await runCli(
      [
        'users',
        'create',
        '--email',
        'dev@acme.test',
        '--name',
        'Dev',
        '--role',
        'contributor',
        '--password-file',
        passwordFile,
      ],
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^ok, created dev@acme\.test \(contributor\), id [0-9a-f-]{36}\n$/,
    );
    const rows = await withClient(databaseUrl, (c) =>
      c.query("SELECT role, name FROM users WHERE email = 'dev@acme.test'"),
    );
    expect(rows.rows).toEqual([{ role: 'contributor', name: 'Dev' }]);
  });

  it('creates a token, prints its secret once and stores only its SHA-256', async () => {
    const result = await runCli(
      [
        'tokens',
        'create',
        '--email',
        'dev@acme.test',
        '--name',
        'ci',
        '--role',
        'contributor',
        '--expires',
        '30d',
      ],
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [secret, note, ...rest] = result.stdout.split('\n');
    expect(secret).toMatch(/^stw_[A-Za-z0-9_-]{40,}$/);
    expect(note).toMatch(
      /^\(token "ci", role contributor, expires .+; shown once, store it now\)$/,
    );
    expect(rest).toEqual(['']);
    tokenSecret = secret ?? '';

    const { rows } = await withClient(databaseUrl, (c) =>
      c.query<{ token_hash: Buffer; role: string; days: number; row: string }>(
        `SELECT token_hash, role, extract(epoch FROM expires_at - created_at) / 86400 AS days, row_to_json(t)::text AS row
           FROM api_tokens t`,
      ),
    );
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row?.token_hash.equals(createHash('sha256').update(tokenSecret).digest())).toBe(true);
    expect(row?.role).toBe('contributor');
    expect(row?.days).toBeCloseTo(30, 3);
    expect(row?.row).not.toContain(tokenSecret);
    expect(row?.row).not.toContain(tokenSecret.slice(4));
    const audit = await withClient(databaseUrl, (c) =>
      c.query<{ t: string }>(
        "SELECT string_agg(row_to_json(e)::text, '') AS t FROM audit_events e",
      ),
    );
    expect(audit.rows[0]?.t).not.toContain(tokenSecret.slice(4));
  });

  it('issues a token that authenticates against the API with its role', async () => {
    const config = parseConfig({
      DATABASE_URL: databaseUrl,
      STEWARD_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    });
    const pools = openDatabasePools({ ownerUrl: databaseUrl, poolSize: 2 });
    const app = await createApp({
      config,
      logger: createLogger('silent'),
      pools,
      signer: await loadOrCreateSigner(dataDir),
    });
    try {
      const me = await app.http.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${tokenSecret}` },
      });
      expect(me.statusCode).toBe(200);
      const body = me.json<{ user: { email: string; role: string }; authMethod: string }>();
      expect(body.user).toMatchObject({ email: 'dev@acme.test', role: 'contributor' });
      expect(body.authMethod).toBe('token');
      const forged = await app.http.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${tokenSecret.slice(0, -2)}xx` },
      });
      expect(forged.statusCode).toBe(401);
    } finally {
      await app.http.close();
      await pools.close();
    }
  });

  it('refuses a token with a role above its user', async () => {
    const result = await runCli(
      ['tokens', 'create', '--email', 'dev@acme.test', '--name', 'admin', '--role', 'owner'],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'steward: A contributor cannot create a token with the owner role\n',
    );
    expect(result.stdout).toBe('');
    expect(await count('api_tokens')).toBe(1);
  });

  it('verifies the audit log', async () => {
    const result = await runCli(['audit', 'verify'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const match =
      /^ok, (\d+) events in 1 organisation\(s\), 0 signed checkpoint\(s\), \d+ installation security event\(s\) \([\d.]+ s\)\n$/.exec(
        result.stdout,
      );
    expect(match, result.stdout).not.toBeNull();
    const events = Number(match?.[1]);
    expect(events).toBeGreaterThan(0);
    expect(events).toBe(await count('audit_events'));
  });

  it('exports the audit log as chained JSON lines, to standard output or a file', async () => {
    const result = await runCli(['audit', 'export'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    const events = lines.map(
      (line) =>
        JSON.parse(line) as { seq: number; action: string; hash: string; prev_hash: string },
    );
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    for (const [i, e] of events.entries()) {
      if (i > 0) expect(e.prev_hash).toBe(events[i - 1]?.hash);
    }
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['org.created', 'user.created', 'token.created']),
    );
    expect(events).toHaveLength(await count('audit_events'));

    const file = path.join(await tempDir('steward-cli-export-'), 'audit.jsonl');
    const toFile = await runCli(['audit', 'export', '--out', file], env);
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).toBe('');
    expect(toFile.stderr).toBe(`ok, exported ${events.length} events to ${file}\n`);
    expect(await readFile(file, 'utf8')).toBe(result.stdout);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('prints the public key that verifies checkpoints', async () => {
    const result = await runCli(['audit', 'public-key'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/,
    );
    expect(createPublicKey(result.stdout).asymmetricKeyType).toBe('ed25519');
    expect(result.stdout).toBe((await loadOrCreateSigner(dataDir)).publicKeyPem);
  });
});

describe.concurrent('steward audit verify on a tampered log', () => {
  let baseUrl: string;
  let dataDir: string;
  let orgId: string;
  let eventIds: Map<number, string>;
  let otherKeyFile: string;
  let keyIds: { signer: string; other: string };
  const lastSeq = 7;

  beforeAll(async () => {
    const t = await createTestApp();
    tempDirs.push(t.dataDir);
    orgId = await seedOrg(t);
    for (let i = 0; i < 3; i += 1) await seedUser(t, orgId, 'contributor');
    expect(await signDueCheckpoints(t.pools.app, t.auditWriter)).toBe(1);
    const events = await t.pools.owner
      .selectFrom('audit_events')
      .select(['seq', 'id'])
      .orderBy('seq')
      .execute();
    expect(events.map((e) => Number(e.seq))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    eventIds = new Map(events.map((e) => [Number(e.seq), e.id]));
    baseUrl = t.databaseUrl;
    dataDir = t.dataDir;
    await t.http.close();
    await t.pools.close();
    const keys = await tempDir('steward-cli-keys-');
    otherKeyFile = path.join(keys, 'other.pem');
    const other = generateKeyPairSync('ed25519').publicKey;
    await writeFile(otherKeyFile, other.export({ type: 'spki', format: 'pem' }));
    keyIds = { signer: t.signer.keyId, other: keyIdOf(other) };
  });

  async function verifyTampered(statements: string[], args: string[] = []): Promise<CliResult> {
    const url = await cloneDatabase(baseUrl);
    await withClient(url, async (client) => {
      for (const statement of statements) await client.query(statement);
    });
    return runCli(['audit', 'verify', ...args], { DATABASE_URL: url, STEWARD_DATA_DIR: dataDir });
  }

  const unlocked = (...statements: string[]) => [
    'ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only',
    ...statements,
    'ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only',
  ];

  it('passes the untouched log', async () => {
    const result = await verifyTampered([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^ok, 7 events in 1 organisation\(s\), 1 signed checkpoint\(s\), 0 installation security event\(s\) /,
    );
  });

  it('fails on a changed row, naming its seq and id', async () => {
    const result = await verifyTampered(
      unlocked("UPDATE audit_events SET action = 'user.deleted' WHERE seq = 2"),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `steward: audit log broken in organisation ${orgId} at event 2 (id ${eventIds.get(2) ?? ''}): its content does not match its hash (the row was changed)\n`,
    );
  });

  it('fails on a deleted middle row, naming the missing event', async () => {
    const result = await verifyTampered(unlocked('DELETE FROM audit_events WHERE seq = 4'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `in organisation ${orgId} at event 4: event 4 is missing (next found is 5)`,
    );
  });

  it('fails on two rows swapped in order', async () => {
    const result = await verifyTampered(
      unlocked(
        'UPDATE audit_events SET seq = -1 WHERE seq = 3',
        'UPDATE audit_events SET seq = 3 WHERE seq = 4',
        'UPDATE audit_events SET seq = 4 WHERE seq = -1',
      ),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `at event 3 (id ${eventIds.get(4) ?? ''}): its previous-hash link does not match`,
    );
  });

  it('fails when the signed tail was removed and the head rewritten to match', async () => {
    const result = await verifyTampered(
      unlocked(
        `DELETE FROM audit_events WHERE seq > 5`,
        `UPDATE audit_heads SET seq = 5, last_hash = (SELECT hash FROM audit_events WHERE seq = 5)`,
      ),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `at event ${lastSeq}: a signed checkpoint covers event ${lastSeq} but the log ends at 5 (events were removed from the end)`,
    );
  });

  it('fails when checkpoints are signed by another key than the trusted one', async () => {
    const result = await verifyTampered([], ['--public-key', otherKeyFile]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `at event ${lastSeq}: checkpoint is signed by key ${keyIds.signer}, not the trusted key ${keyIds.other}`,
    );
  });

  it('fails on a forged checkpoint signature', async () => {
    const result = await verifyTampered([
      'ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only',
      "UPDATE audit_checkpoints SET signed_at = signed_at + interval '1 second'",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`at event ${lastSeq}: the checkpoint signature is not valid`);
  });
});
