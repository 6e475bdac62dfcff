import { MigrationError, version } from '@steward/server';
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-context.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerFrameworksCommands } from './commands/frameworks.ts';
import { registerIntelCommands } from './commands/intel.ts';
import { registerExportCommands } from './commands/export.ts';
import { registerKeysCommands } from './commands/keys.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerScansCommands } from './commands/scans.ts';
import { registerSetupCommand } from './commands/setup.ts';
import { registerScimCommands } from './commands/scim.ts';
import { registerStartCommands } from './commands/start.ts';
import { registerTokensCommands } from './commands/tokens.ts';
import { registerUsersCommands } from './commands/users.ts';

const program = new Command('steward')
  .description('Steward: run your security program and prove it, promise by promise')
  .version(version, '-v, --version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerStartCommands(program);
registerMigrateCommand(program);
registerSetupCommand(program);
registerUsersCommands(program);
registerTokensCommands(program);
registerAuditCommands(program);
registerKeysCommands(program);
registerFrameworksCommands(program);
registerExportCommands(program);
registerScimCommands(program);
registerScansCommands(program);
registerIntelCommands(program);
program
  .command('version')
  .description('print the version')
  .action(() => {
    process.stdout.write(`${version}\n`);
  });

function errorMessage(error: unknown): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof MigrationError) return { message: error.message, exitCode: 1 };
  const e = error as { code?: string; message?: string; detail?: string };
  if (typeof e.code === 'string' && e.code.includes('.') && e.message) {
    return { message: `${e.message}${e.detail ? `: ${e.detail}` : ''}`, exitCode: 1 };
  }
  return { message: e.message ?? String(error), exitCode: 1 };
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  let exitCode: number;
  if (error instanceof CommanderError) {
    exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    const failure = errorMessage(error);
    process.stderr.write(`steward: ${failure.message}\n`);
    exitCode = failure.exitCode;
  }
  // Open pools or timers must not keep a failed command alive; exit with its code now.
  process.exit(exitCode);
}
