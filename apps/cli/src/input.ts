import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { CliError } from './cli-context.ts';

/** Read a secret from a file, dropping one trailing newline. */
export async function readSecretFile(file: string, option: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    throw new CliError(`${option}: cannot read ${file}: ${(error as Error).message}`, 2);
  }
}

/** Validate CLI input with a contracts schema; a problem becomes one line naming the option. */
export function parseOrFail<S extends z.ZodType>(
  schema: S,
  value: unknown,
  optionNames: Record<string, string> = {},
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join('.');
    const option = optionNames[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return `${option}: ${issue.message}`;
  });
  throw new CliError(problems.join('; '), 2);
}
