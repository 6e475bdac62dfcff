import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '../apps/server/test/ports.ts';

/** Repository root. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The CLI entry point. */
export const stewardBin = path.join(repoRoot, 'apps/cli/bin/steward.mjs');

/** A `steward start` child process on its own data directory and ports. */
export interface StewardProcess {
  url: string;
  dataDir: string;
  env: Record<string, string>;
  child: ChildProcess;
  output: () => string;
  /** Send SIGTERM and wait for exit; resolves to the exit code. */
  stop: () => Promise<number | null>;
}

/** A fresh temporary data directory. */
export function makeDataDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'steward-e2e-'));
}

/** Remove a data directory. */
export function removeDataDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Environment for a Steward process using an embedded PostgreSQL under `dataDir`. */
export async function stewardEnv(
  dataDir: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const port = await findFreePort();
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://localhost:${port}`,
    STEWARD_DATA_DIR: dataDir,
    STEWARD_EMBEDDED_PG_PORT: String(await findFreePort()),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

function processEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.DATABASE_APP_URL;
  return { ...base, ...env };
}

/** Start `steward start` and wait until /api/health answers 200. */
export async function startStewardProcess(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<StewardProcess> {
  const child = spawn(process.execPath, [stewardBin, 'start'], {
    cwd: repoRoot,
    env: processEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? '8080'}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`steward exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`steward did not become healthy in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    dataDir: env.STEWARD_DATA_DIR ?? '',
    env,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Run a CLI command to completion. */
export function runSteward(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [stewardBin, ...args], {
      cwd: repoRoot,
      env: processEnv(env),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
