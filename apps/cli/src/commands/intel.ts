import type { KevCatalog } from '@steward/server';
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { CliError, cliActor, loadServer, withDatabase } from '../cli-context.ts';

async function readCatalog(path: string): Promise<KevCatalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`FILE: cannot read ${path}: ${(error as Error).message}`, 2);
  }
  const { KevCatalogError, parseKevCatalog } = await loadServer();
  try {
    return parseKevCatalog(text);
  } catch (error) {
    if (error instanceof KevCatalogError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}

/** `steward intel import-kev`: threat intelligence the SLAs use. */
export function defineIntelCommands(intel: Command): void {
  intel
    .command('import-kev')
    .description(
      "replace the installation's CISA KEV catalog from its JSON file, then mark every organisation's findings and recompute their due dates",
    )
    .argument('<file>', 'known_exploited_vulnerabilities.json from cisa.gov')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const catalog = await readCatalog(file);
      await withDatabase(async (database, config) => {
        const server = await loadServer();
        const { createAuditWriter, importKevCatalog, loadOrCreateSigner } = server;
        const result = await importKevCatalog(
          {
            owner: database.pools.owner,
            app: database.pools.app,
            auditWriter: createAuditWriter(await loadOrCreateSigner(config.dataDir)),
          },
          cliActor(),
          catalog,
        );
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result)}\n`);
          return;
        }
        const marked = result.orgs.reduce((n, o) => n + o.marked, 0);
        const unmarked = result.orgs.reduce((n, o) => n + o.unmarked, 0);
        process.stdout.write(
          `ok, KEV catalog ${result.catalogVersion ?? '(no version)'}: ${String(result.entries)} entries ` +
            `(${String(result.added)} new, ${String(result.removed)} removed); ` +
            `${String(marked)} finding(s) marked, ${String(unmarked)} unmarked in ${String(result.orgs.length)} organisation(s)\n`,
        );
      });
    });
}
