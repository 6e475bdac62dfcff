import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Path of a file in the shared test data beside the repository (`../shared`). */
export function sharedPath(...parts: string[]): string {
  return join(repoRoot, '..', 'shared', ...parts);
}

/**
 * Whether shared test data is present; when it is not, says so once so a skipped suite is
 * never silent.
 */
export function hasSharedData(...parts: string[]): boolean {
  const path = sharedPath(...parts);
  if (existsSync(path)) return true;
  console.warn(`shared test data missing, tests that need it are skipped: ${path}`);
  return false;
}
