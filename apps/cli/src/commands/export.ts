import { oscalExportModels } from '@steward/contracts';
import type { OscalExportModel } from '@steward/server';
import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { CliError, cliActor, loadServer, withDatabase } from '../cli-context.ts';
import { resolveOrgId } from '../orgs.ts';

function isModel(value: string): value is OscalExportModel {
  return (oscalExportModels as readonly string[]).includes(value);
}

/** `steward export oscal`. */
export function defineExportCommands(exportCommand: Command): void {
  exportCommand
    .command('oscal')
    .description('export controls and their results as an OSCAL document (JSON)')
    .requiredOption('--model <model>', `one of ${oscalExportModels.join(', ')}`)
    .requiredOption('--out <file>', 'where to write the JSON document ("-" for standard output)')
    .option('--org <id>', 'organisation id (needed when there are several)')
    .action(async (options: { model: string; out: string; org?: string }) => {
      const model = options.model;
      if (!isModel(model)) {
        throw new CliError(`--model: "${model}" is not one of ${oscalExportModels.join(', ')}`, 2);
      }
      await withDatabase(async (database, config) => {
        const server = await loadServer();
        const { createAuditWriter, createUnitOfWork, exportOscal, loadOrCreateSigner, version } =
          server;
        const orgId = await resolveOrgId(database.pools.owner, options.org);
        const uow = createUnitOfWork({
          db: database.pools.app,
          auditWriter: createAuditWriter(await loadOrCreateSigner(config.dataDir)),
          orgId,
          actor: cliActor(),
        });
        const document = await exportOscal(uow, model, { publicUrl: config.publicUrl, version });
        const text = `${JSON.stringify(document, null, 2)}\n`;
        if (options.out === '-') {
          process.stdout.write(text);
          return;
        }
        await writeFile(options.out, text).catch((error: unknown) => {
          throw new CliError(`--out: cannot write ${options.out}: ${(error as Error).message}`);
        });
        process.stderr.write(`wrote ${model} to ${options.out} (${String(text.length)} bytes)\n`);
      });
    });
}
