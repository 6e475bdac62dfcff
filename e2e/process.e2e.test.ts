import { existsSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeDataDir,
  removeDataDir,
  runSteward,
  startStewardProcess,
  stewardEnv,
  type StewardProcess,
} from './support.ts';

let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = await makeDataDir();
  env = await stewardEnv(dataDir);
});

afterAll(async () => {
  await removeDataDir(dataDir);
});

const owner = {
  orgName: 'Lifecycle Ltd',
  name: 'Lee Owner',
  email: 'lee@lifecycle.test',
  password: 'granite-willow-sparrow-8',
};

describe('steward start with the embedded PostgreSQL', () => {
  let server: StewardProcess;

  it('starts on an empty data directory, serves the setup page and the API', async () => {
    server = await startStewardProcess(env);
    expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const setup = await fetch(`${server.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(owner),
    });
    expect(setup.status).toBe(201);
  });

  it('lets an in-flight request finish on SIGTERM, then stops PostgreSQL and exits 0', async () => {
    const body = JSON.stringify({ email: owner.email, password: owner.password });
    const inFlight = new Promise<number>((resolve, reject) => {
      // A connection of its own, so the request is not sent on a keep-alive socket being closed.
      const req = request(`${server.url}/api/v1/auth/sign-in`, {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const code = await server.stop();
    expect(await inFlight).toBe(200);
    expect(code, server.output()).toBe(0);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });

  it('reuses the data directory on the next start', async () => {
    server = await startStewardProcess(env);
    const status = await fetch(`${server.url}/api/v1/setup`);
    expect(await status.json()).toEqual({ isSetUp: true });
  });

  it('lets CLI commands attach to the running embedded PostgreSQL', async () => {
    const verify = await runSteward(['audit', 'verify'], env);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^ok, \d+ events/);
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    const code = await server.stop();
    expect(code, server.output()).toBe(0);
  });

  it('refuses to start with invalid configuration, naming each variable', async () => {
    const result = await runSteward(['start'], { ...env, PORT: 'eighty', STEWARD_WORKER: 'maybe' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('STEWARD_WORKER');
  });
});
