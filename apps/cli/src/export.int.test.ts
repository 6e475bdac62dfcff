import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg } from '../../server/test/factories.ts';
import { createTestApp, type TestApp } from '../../server/test/harness.ts';
import { validateOscal } from '../../server/test/oscal-schema.ts';
import { hasSharedData } from '../../server/test/shared-data.ts';
import { runCli } from '../test/run-cli.ts';

let t: TestApp;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedOrg(t, 'Acme', { withProgram: true });
  env = { DATABASE_URL: t.databaseUrl, STEWARD_DATA_DIR: t.dataDir };
  dir = await mkdtemp(path.join(tmpdir(), 'steward-cli-export-'));
});

afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasSharedData('data', 'oscal', 'schema-1.0.6'))('steward export oscal', () => {
  it('writes a system security plan valid against the OSCAL schema', async () => {
    const out = path.join(dir, 'ssp.json');
    const result = await runCli(['export', 'oscal', '--model', 'ssp', '--out', out], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`wrote ssp to ${out}`);
    const document = JSON.parse(await readFile(out, 'utf8')) as {
      'system-security-plan': {
        'control-implementation': { 'implemented-requirements': unknown[] };
      };
    };
    expect(validateOscal('system-security-plan', document)).toEqual([]);
    expect(
      document['system-security-plan']['control-implementation']['implemented-requirements'].length,
    ).toBeGreaterThanOrEqual(40);
  }, 120_000);

  it('refuses an unknown model as a usage error, and a POA&M with nothing failing', async () => {
    const unknown = await runCli(['export', 'oscal', '--model', 'catalog', '--out', '-'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--model: "catalog" is not one of ssp');
    const empty = await runCli(['export', 'oscal', '--model', 'poam', '--out', '-'], env);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/nothing|no control/i);
  }, 120_000);
});
