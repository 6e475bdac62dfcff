import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg } from '../../server/test/factories.ts';
import { createTestApp, type TestApp } from '../../server/test/harness.ts';
import { hasSharedData, sharedPath } from '../../server/test/shared-data.ts';
import { runCli } from '../test/run-cli.ts';

const moderateFile = 'NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json';
const profileFile = 'NIST_SP-800-53_rev5_MODERATE-baseline_profile.json';
const hasOscal = hasSharedData('data', 'oscal', moderateFile);

let t: TestApp;
let orgId: string;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t, 'Acme');
  env = { DATABASE_URL: t.databaseUrl, STEWARD_DATA_DIR: t.dataDir };
  dir = await mkdtemp(path.join(tmpdir(), 'steward-cli-oscal-'));
});

afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

async function frameworkRows() {
  return t.pools.owner
    .selectFrom('frameworks')
    .select(['key', 'name'])
    .where('org_id', '=', orgId)
    .orderBy('created_at')
    .execute();
}

describe('steward frameworks', () => {
  it('refuses a malformed catalog in one line naming the file and line, exit 1', async () => {
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{\n  "catalog": {\n    "uuid": 12,,\n  }\n}\n');
    const result = await runCli(['frameworks', 'import-oscal', file], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^steward: ${file.replaceAll('.', '\\.')}: invalid JSON at line 3, column \\d+: .+\\n$`,
      ),
    );
    expect(result.stdout).toBe('');
    expect(await frameworkRows()).toEqual([]);
  }, 120_000);

  it('refuses a missing file and a bad --auto-map as usage errors, exit 2', async () => {
    const missing = await runCli(['frameworks', 'import-oscal', path.join(dir, 'nope.json')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^steward: CATALOG: cannot read .+nope\.json: .+\n$/);
    const threshold = await runCli(
      ['frameworks', 'import-oscal', path.join(dir, 'broken.json'), '--auto-map', 'lots'],
      env,
    );
    expect(threshold.code).toBe(2);
    expect(threshold.stderr).toBe('steward: --auto-map: "lots" is not a number from 0 to 1\n');
  }, 180_000);

  it.runIf(hasOscal)(
    'imports the MODERATE baseline narrowed by its profile, audited as the CLI, once',
    async () => {
      const args = [
        'frameworks',
        'import-oscal',
        sharedPath('data', 'oscal', moderateFile),
        '--profile',
        sharedPath('data', 'oscal', profileFile),
      ];
      const result = await runCli([...args, '--json'], env);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const parsed = JSON.parse(result.stdout) as {
        requirementCount: number;
        durationMs: number;
        framework: { key: string; name: string };
      };
      expect(parsed).toMatchObject({
        requirementCount: 287,
        framework: {
          key: 'oscal:f4faee53-d96f-4fdb-b491-4a1a79066b9b',
          name: 'NIST Special Publication 800-53 Revision 5.1.1 MODERATE IMPACT BASELINE',
        },
      });
      const audit = await t.pools.owner
        .selectFrom('audit_events')
        .select(['action', 'actor_label'])
        .where('org_id', '=', orgId)
        .where('action', '=', 'framework.imported')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]?.actor_label).toMatch(/^cli:/);

      const again = await runCli(args, env);
      expect(again.code).toBe(1);
      expect(again.stderr).toBe(
        'steward: "NIST Special Publication 800-53 Revision 5.1.1 MODERATE IMPACT BASELINE" is already imported\n',
      );
      expect(await frameworkRows()).toHaveLength(1);

      const list = await runCli(['frameworks', 'list', '--org', orgId], env);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(
        /^[0-9a-f-]{36} {2}oscal:f4faee53-d96f-4fdb-b491-4a1a79066b9b {2}NIST .+ {2}287 requirements, 0 mapped, 0% ready\n$/,
      );
    },
    240_000,
  );

  it('asks for --org when there are several organisations', async () => {
    await seedOrg(t, 'Other');
    const result = await runCli(['frameworks', 'list'], env);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^steward: --org is required/);
  }, 120_000);
});
