import { spawn } from 'node:child_process';
import path from 'node:path';

/** The repository root. */
export const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** What a finished `steward` command printed and how it exited. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Configuration variables of the outer environment must not leak into the CLI under test.
const configVariable = /^(PORT|HOST|PUBLIC_URL|DATABASE_|STEWARD_|LOG_LEVEL|SMTP_)/;

/** Run `steward <args>` as its own process with only the given configuration. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !configVariable.test(key)),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['apps/cli/bin/steward.mjs', ...args], {
      cwd: repoRoot,
      env: { ...inherited, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
