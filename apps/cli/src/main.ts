import { version } from '@steward/server/version';
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.ts';

/**
 * A top-level command: its name and summary are known here, and the module that defines its
 * options, subcommands and action is imported only when the command is the one being run.
 * `steward --version`, `steward --help` and a mistyped command therefore load neither the server
 * nor the contracts.
 */
interface LazyCommand {
  name: string;
  description: string;
  define: () => Promise<(command: Command) => void>;
}

const commands: LazyCommand[] = [
  {
    name: 'start',
    description: 'serve the web UI and API, and run the worker unless STEWARD_WORKER=false',
    define: async () => (await import('./commands/start.ts')).defineStartCommand,
  },
  {
    name: 'worker',
    description: 'run only the background worker (jobs and schedules)',
    define: async () => (await import('./commands/start.ts')).defineWorkerCommand,
  },
  {
    name: 'migrate',
    description: 'apply pending database migrations and exit',
    define: async () => (await import('./commands/migrate.ts')).defineMigrateCommand,
  },
  {
    name: 'setup',
    description: 'create the organisation and its owner without the browser (first run only)',
    define: async () => (await import('./commands/setup.ts')).defineSetupCommand,
  },
  {
    name: 'users',
    description: 'manage sign-in accounts',
    define: async () => (await import('./commands/users.ts')).defineUsersCommands,
  },
  {
    name: 'tokens',
    description: 'manage API tokens',
    define: async () => (await import('./commands/tokens.ts')).defineTokensCommands,
  },
  {
    name: 'audit',
    description: 'verify and export the tamper-evident audit log',
    define: async () => (await import('./commands/audit.ts')).defineAuditCommands,
  },
  {
    name: 'keys',
    description: 'manage the keys that encrypt secrets at rest',
    define: async () => (await import('./commands/keys.ts')).defineKeysCommands,
  },
  {
    name: 'frameworks',
    description: 'frameworks: the built-in annex framework and imported OSCAL catalogs',
    define: async () => (await import('./commands/frameworks.ts')).defineFrameworksCommands,
  },
  {
    name: 'export',
    description: 'export the program in open formats',
    define: async () => (await import('./commands/export.ts')).defineExportCommands,
  },
  {
    name: 'scim',
    description: 'the SCIM service identity providers push people to',
    define: async () => (await import('./commands/scim.ts')).defineScimCommands,
  },
  {
    name: 'scans',
    description: 'scanner reports: import them into assets',
    define: async () => (await import('./commands/scans.ts')).defineScansCommands,
  },
  {
    name: 'intel',
    description: 'threat intelligence: CISA Known Exploited Vulnerabilities',
    define: async () => (await import('./commands/intel.ts')).defineIntelCommands,
  },
];

/** The command named on the command line (`steward help <name>` included), if any. */
function requestedCommand(argv: string[]): string | undefined {
  const words = argv.slice(2).filter((arg) => !arg.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

const program = new Command('steward')
  .description('Steward: run your security program and prove it, promise by promise')
  .version(version, '-v, --version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

const requested = requestedCommand(process.argv);
for (const lazy of commands) {
  const command = program.command(lazy.name).description(lazy.description);
  if (lazy.name === requested) (await lazy.define())(command);
}
program
  .command('version')
  .description('print the version')
  .action(() => {
    process.stdout.write(`${version}\n`);
  });

function errorMessage(error: unknown): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  // Errors of the server carry a stable dotted code; a failed migration and anything else
  // are reported by their message.
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
