import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ReportError, type NormalizedResult, type ReportParser } from './types.ts';

/** Every result the parser yields for the report at `path`, in order. */
export async function collectResults(
  parser: ReportParser,
  path: string,
): Promise<NormalizedResult[]> {
  const results: NormalizedResult[] = [];
  for await (const result of parser.parse(path)) results.push(result);
  return results;
}

/** The ReportError that `run` rejects with; any other outcome fails the test. */
export async function catchReportError(run: () => Promise<unknown>): Promise<ReportError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ReportError) return error;
    throw error;
  }
  throw new Error('expected a ReportError');
}

/** The ReportError the parser throws while reading the report at `path`. */
export function reportErrorOf(parser: ReportParser, path: string): Promise<ReportError> {
  return catchReportError(() => collectResults(parser, path));
}

/** `collectResults` and `reportErrorOf` bound to one parser, for tests of a single format. */
export function bindParser(parser: ReportParser): {
  collect: (path: string) => Promise<NormalizedResult[]>;
  errorOf: (path: string) => Promise<ReportError>;
} {
  return {
    collect: (path) => collectResults(parser, path),
    errorOf: (path) => reportErrorOf(parser, path),
  };
}

/** How many times each value occurs. */
export function countValues(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** Writes report files into a temporary folder that lives as long as the enclosing suite. */
export interface ReportFiles {
  /** Writes `content` (text and bytes as they are, anything else as JSON) to `name`; its path. */
  write: (name: string, content: unknown) => Promise<string>;
  /** Writes `content` to a fresh numbered file with the given extension; its path. */
  add: (content: unknown, extension?: string) => Promise<string>;
}

/**
 * Creates a temporary folder before the enclosing suite's tests and removes it after them;
 * call it at the top of a `describe` body (or of a file).
 */
export function useReportFiles(prefix: string): ReportFiles {
  let dir = '';
  let counter = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = async (name: string, content: unknown): Promise<string> => {
    const path = join(dir, name);
    await writeFile(
      path,
      typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content),
    );
    return path;
  };
  return {
    write,
    add: (content, extension = 'json') => {
      counter += 1;
      return write(`report-${counter}.${extension}`, content);
    },
  };
}
