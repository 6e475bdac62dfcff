import { readFileSync } from 'node:fs';

/** Steward's version, from the server package. */
export const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
