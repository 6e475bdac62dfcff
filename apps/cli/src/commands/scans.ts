import { endpoints, scanFormats, type Problem, type ScanImportSummary } from '@steward/contracts';
import { Option, type Command } from 'commander';
import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
// Only light imports here: `steward scans` starts without loading the server (see scans-main.ts).
import { CliError } from '../cli-error.ts';

interface ImportOptions {
  asset?: string;
  format?: string;
  closeMissing: boolean;
  json?: boolean;
  url?: string;
  token?: string;
}

/** Where the server is and who calls it (commander fills the options from the environment). */
function resolveServer(options: { url?: string; token?: string }): { base: URL; token: string } {
  const { url, token } = options;
  if (url === undefined || url === '') {
    throw new CliError(
      'give the server with --url or STEWARD_URL (e.g. https://steward.example)',
      2,
    );
  }
  if (token === undefined || token === '') {
    throw new CliError('give an API token with --token or STEWARD_TOKEN', 2);
  }
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new CliError(`--url: "${url}" is not a URL`, 2);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new CliError(`--url: "${url}" is not an http(s) URL`, 2);
  }
  return { base, token };
}

function describeProblem(status: number, body: string): string {
  try {
    const problem = JSON.parse(body) as Partial<Problem>;
    const fields = (problem.errors ?? [])
      .filter((e) => !(problem.detail ?? '').includes(e.message))
      .map((e) => `${e.path}: ${e.message}`);
    const text = [problem.detail ?? problem.title ?? `HTTP ${String(status)}`, ...fields].join(
      '; ',
    );
    return problem.code === undefined ? text : `${text} (${problem.code})`;
  } catch {
    return `the server answered HTTP ${String(status)}${body === '' ? '' : `: ${body.slice(0, 500)}`}`;
  }
}

function printSummary(summary: ScanImportSummary, file: string): void {
  const lines = [
    `imported ${file} into ${summary.assetName}${summary.isAssetCreated ? ' (new asset)' : ''} as ${summary.format} (${summary.tools.join(', ')})`,
    `  results ${String(summary.results)}, findings ${String(summary.findings)}: ` +
      `${String(summary.created)} new, ${String(summary.matched)} matched ` +
      `(${String(summary.updated)} updated), ${String(summary.reactivated)} reactivated, ` +
      `${String(summary.closed)} closed, in ${String(summary.durationMs)} ms`,
    ...summary.errors.map((e) => `  warning: ${e.message}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * Upload a report. The file is sent from a file-backed Blob, so a report of gigabytes streams
 * from disk instead of being read into memory.
 */
async function importScanFile(file: string, options: ImportOptions): Promise<void> {
  if (options.asset === undefined || options.asset.trim() === '') {
    throw new CliError('give the asset with --asset NAME', 2);
  }
  if (
    options.format !== undefined &&
    !(scanFormats as readonly string[]).includes(options.format)
  ) {
    throw new CliError(`--format: "${options.format}" is not one of ${scanFormats.join(', ')}`, 2);
  }
  const server = resolveServer(options);
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
  } catch (error) {
    throw new CliError(`FILE: cannot read ${file}: ${(error as Error).message}`, 2);
  }
  const form = new FormData();
  form.append('asset', options.asset);
  if (options.format !== undefined) form.append('format', options.format);
  form.append('closeMissing', options.closeMissing ? 'true' : 'false');
  form.append('file', await openAsBlob(file), basename(file));
  const url = new URL(endpoints.importScan.path, server.base);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, accept: 'application/json' },
      body: form,
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new CliError(`cannot reach ${url.origin}: ${cause ?? (error as Error).message}`);
  }
  const body = await response.text();
  if (response.status !== 201) throw new CliError(describeProblem(response.status, body));
  const summary = JSON.parse(body) as ScanImportSummary;
  if (options.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  printSummary(summary, basename(file));
}

/** `steward scans import`: bring a scanner report into an asset through the API. */
export function registerScansCommands(program: Command): void {
  defineScansCommands(
    program.command('scans').description('scanner reports: import them into assets'),
  );
}

/** The subcommands of `steward scans`, under the given command. */
export function defineScansCommands(scans: Command): void {
  scans
    .command('import')
    .description(
      'import a scanner report into an asset (created when missing) through the API, in one transaction',
    )
    .argument('<file>', 'the report (SARIF, CycloneDX, Trivy, Grype, npm audit, ... up to 2 GB)')
    .option('--asset <name>', 'the asset the report is about')
    .option(
      '--format <format>',
      `the report format (detected when absent): ${scanFormats.join(', ')}`,
    )
    .option('--no-close-missing', 'keep open the findings this report no longer contains')
    .option('--json', 'print the summary as JSON')
    .addOption(new Option('--url <url>', 'the Steward server').env('STEWARD_URL'))
    .addOption(new Option('--token <token>', 'an API token allowed to import').env('STEWARD_TOKEN'))
    .action(async (file: string, options: ImportOptions) => {
      await importScanFile(file, options);
    });
}
