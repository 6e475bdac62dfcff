// `steward scans ...` talks to a server over HTTP and needs none of the server's code; this entry
// registers only those commands, so a CI job's upload does not pay for loading the server.
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.ts';
import { registerScansCommands } from './commands/scans.ts';

const program = new Command('steward')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();
registerScansCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  let exitCode: number;
  if (error instanceof CommanderError) {
    exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`steward: ${message}\n`);
    exitCode = error instanceof CliError ? error.exitCode : 1;
  }
  process.exit(exitCode);
}
