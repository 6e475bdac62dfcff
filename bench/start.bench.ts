// Start-up and idle memory: `steward start` on an existing data directory serves /api/health
// within 10 s, and its node process idles at <= 300 MB RSS.
//
// A first start prepares the data directory (initdb, migrations, signing key) and is stopped
// with SIGTERM. The second start is timed from spawn to the first 200 from /api/health; after
// 5 s idle the memory of the node process (and, separately, of its helper processes and the
// embedded PostgreSQL) is read from /proc; then SIGTERM again, timing the shutdown and checking
// that it was clean.
import { readFileSync } from 'node:fs';
import {
  childPids,
  figure,
  freePorts,
  heading,
  isAlive,
  note,
  postgresPids,
  postmasterPid,
  procMemoryMb,
  runBench,
  since,
  sleep,
  spawnSteward,
  stewardEnv,
  stopChild,
  stopLeftoverPostgres,
  tempDataDir,
  waitForOk,
  type StewardChild,
} from './lib.ts';

const startTargetMs = 10_000;
const rssTargetMb = 300;
const idleMs = 5000;

interface LogLine {
  level?: number;
  msg?: string;
  err?: { message?: string };
}

/** Warnings and errors the process logged (JSON lines at level >= 40), one summary line each. */
function problemsIn(output: string): string[] {
  const problems: string[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) {
      if (/error|Error/.test(line)) problems.push(line.slice(0, 200));
      continue;
    }
    try {
      const entry = JSON.parse(line) as LogLine;
      if ((entry.level ?? 0) >= 40) {
        problems.push(
          `level ${entry.level ?? '?'}: ${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`,
        );
      }
    } catch {
      problems.push(line.slice(0, 200));
    }
  }
  return problems;
}

/** SIGTERM, then report how the process and its embedded PostgreSQL ended. */
async function stopAndReport(steward: StewardChild, dataDir: string, label: string): Promise<void> {
  const postmaster = postmasterPid(dataDir);
  const before = steward.output().length;
  const stopped = await stopChild(steward);
  figure(`${label}: SIGTERM to exit`, stopped.ms, 'ms');
  figure(`${label}: exit code`, stopped.code ?? -1, '', { max: 0 });
  if (stopped.signal)
    note(
      `${label}: ended by signal ${stopped.signal}${stopped.killed ? ' (SIGKILL after 20 s)' : ''}`,
    );
  // The embedded cluster is stopped by the exiting process; give a fast shutdown time to finish.
  const waitStarted = performance.now();
  while (postmaster !== null && isAlive(postmaster) && since(waitStarted) < 15_000) await sleep(20);
  if (postmaster !== null)
    figure(`${label}: PostgreSQL gone after node exit`, since(waitStarted), 'ms');
  const leftover = postmaster !== null && isAlive(postmaster) ? 1 : 0;
  figure(`${label}: PostgreSQL still running 15 s after exit`, leftover, '', { max: 0 });
  const problems = problemsIn(steward.output().slice(before));
  figure(`${label}: warnings/errors logged during shutdown`, problems.length, '', { max: 0 });
  for (const problem of problems.slice(0, 10)) note(`  ${problem}`);
  if (leftover) await stopLeftoverPostgres(dataDir);
}

await runBench('bench:start', async (cleanup) => {
  const dataDir = await tempDataDir(cleanup, 'start');
  const [httpPort = 0, pgPort = 0] = await freePorts(2);
  const env = stewardEnv({
    PORT: String(httpPort),
    HOST: '127.0.0.1',
    STEWARD_DATA_DIR: dataDir,
    STEWARD_EMBEDDED_PG_PORT: String(pgPort),
    LOG_LEVEL: 'info',
  });
  const health = `http://127.0.0.1:${httpPort}/api/health`;
  note(`data dir ${dataDir}, HTTP port ${httpPort}, PostgreSQL port ${pgPort}`);
  cleanup.add('stop a leftover embedded PostgreSQL', () => stopLeftoverPostgres(dataDir));

  heading('first start (prepares the data directory)');
  let started = performance.now();
  const first = spawnSteward(['start'], env);
  cleanup.add('stop the first steward', async () => {
    await stopChild(first);
  });
  await waitForOk(health, 120_000, first);
  figure('first start: spawn to /api/health 200', since(started), 'ms');
  await stopAndReport(first, dataDir, 'first stop');

  heading('second start (existing data directory)');
  started = performance.now();
  const second = spawnSteward(['start'], env);
  cleanup.add('stop the second steward', async () => {
    await stopChild(second);
  });
  await waitForOk(health, 60_000, second);
  figure('second start: spawn to /api/health 200', since(started), 'ms', { max: startTargetMs });

  heading(`idle memory after ${idleMs / 1000} s`);
  await sleep(idleMs);
  const nodeRss = procMemoryMb(second.pid, 'VmRSS') ?? Number.NaN;
  figure(`node process (pid ${second.pid}) VmRSS`, nodeRss, 'MB', { max: rssTargetMb });
  figure('node process VmHWM (peak RSS)', procMemoryMb(second.pid, 'VmHWM') ?? Number.NaN, 'MB');
  const pgPids = new Set(postgresPids(dataDir));
  const helpers = childPids(second.pid).filter((pid) => !pgPids.has(pid));
  for (const pid of helpers) {
    let command = '?';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      // Gone.
    }
    figure(
      `helper child ${pid} VmRSS (${shortCommand(command)})`,
      procMemoryMb(pid, 'VmRSS') ?? Number.NaN,
      'MB',
    );
  }
  const pgRss = [...pgPids].reduce((sum, pid) => sum + (procMemoryMb(pid, 'VmRSS') ?? 0), 0);
  const pgPss = [...pgPids].reduce((sum, pid) => sum + (procMemoryMb(pid, 'Pss') ?? 0), 0);
  figure(`PostgreSQL, ${pgPids.size} processes, sum of VmRSS`, pgRss, 'MB');
  figure('PostgreSQL, sum of Pss (shared memory counted once)', pgPss, 'MB');

  heading('shutdown');
  await stopAndReport(second, dataDir, 'second stop');
});

/** The executable's base name and first argument, for a readable label. */
function shortCommand(command: string): string {
  const [exe = '?', arg = ''] = command.split(' ');
  return `${exe.split('/').at(-1) ?? exe} ${arg}`.trim();
}
