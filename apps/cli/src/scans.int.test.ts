import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, seedUser, type SeededUser } from '../../server/test/factories.ts';
import { sarifReport } from '../../server/test/findings-factories.ts';
import { createTestApp, type TestApp } from '../../server/test/harness.ts';
import { runCli } from '../test/run-cli.ts';

let t: TestApp;
let user: SeededUser;
let orgId: string;
let url: string;
let dir: string;

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t, 'CLI Scan Org');
  user = await seedUser(t, orgId, 'contributor');
  url = await t.http.listen({ port: 0, host: '127.0.0.1' });
  dir = await mkdtemp(path.join(tmpdir(), 'steward-cli-scans-'));
});

afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

async function writeReport(name: string, content: string | Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

describe('steward scans import', () => {
  it('streams a report to the server and prints the summary', async () => {
    const file = await writeReport(
      'code.sarif',
      sarifReport([
        { rule: 'R1', file: 'a.ts', line: 1 },
        { rule: 'R2', file: 'b.ts', line: 2 },
      ]).content,
    );
    const first = await runCli(['scans', 'import', file, '--asset', 'web', '--json'], {
      STEWARD_URL: url,
      STEWARD_TOKEN: user.token,
    });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      assetName: 'web',
      isAssetCreated: true,
      format: 'sarif',
      created: 2,
    });
    const again = await runCli(
      ['scans', 'import', file, '--asset', 'web', '--url', url, '--token', user.token],
      {},
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('0 new, 2 matched (0 updated), 0 reactivated, 0 closed');
  });

  it('keeps missing findings with --no-close-missing', async () => {
    const full = await writeReport(
      'full.sarif',
      sarifReport([
        { rule: 'R1', file: 'a.ts', line: 1 },
        { rule: 'R2', file: 'b.ts', line: 2 },
      ]).content,
    );
    const part = await writeReport(
      'part.sarif',
      sarifReport([{ rule: 'R1', file: 'a.ts', line: 1 }]).content,
    );
    const env = { STEWARD_URL: url, STEWARD_TOKEN: user.token };
    await runCli(['scans', 'import', full, '--asset', 'keep'], env);
    const kept = await runCli(
      ['scans', 'import', part, '--asset', 'keep', '--no-close-missing', '--json'],
      env,
    );
    expect(JSON.parse(kept.stdout)).toMatchObject({ matched: 1, closed: 0 });
  });

  it('prints the problem and exits 1 when the server refuses the report', async () => {
    const file = await writeReport('broken.json', '{"version":"2.1.0","runs":[');
    const result = await runCli(['scans', 'import', file, '--asset', 'web', '--format', 'sarif'], {
      STEWARD_URL: url,
      STEWARD_TOKEN: user.token,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken\.json: .*\(scan\.invalid_report\)/);
  });

  it('exits 2 on usage errors before contacting anyone', async () => {
    const file = await writeReport('x.sarif', sarifReport([]).content);
    const noAsset = await runCli(['scans', 'import', file], {
      STEWARD_URL: url,
      STEWARD_TOKEN: 'x',
    });
    expect(noAsset.code).toBe(2);
    expect(noAsset.stderr).toContain('--asset');
    const noToken = await runCli(['scans', 'import', file, '--asset', 'a'], { STEWARD_URL: url });
    expect(noToken.code).toBe(2);
    const badFormat = await runCli(['scans', 'import', file, '--asset', 'a', '--format', 'pdf'], {
      STEWARD_URL: url,
      STEWARD_TOKEN: 'x',
    });
    expect(badFormat.code).toBe(2);
    const missing = await runCli(['scans', 'import', path.join(dir, 'nope'), '--asset', 'a'], {
      STEWARD_URL: url,
      STEWARD_TOKEN: 'x',
    });
    expect(missing.code).toBe(2);
  });
});

describe('steward intel import-kev', () => {
  it('imports the catalog and reports what it marked', async () => {
    const file = await writeReport(
      'kev.json',
      JSON.stringify({
        catalogVersion: '2026.11.26',
        vulnerabilities: [
          {
            cveID: 'CVE-2021-44228',
            vendorProject: 'Apache',
            product: 'Log4j2',
            dateAdded: '2021-12-10',
            dueDate: '2021-12-24',
            knownRansomwareCampaignUse: 'Known',
          },
          {
            cveID: 'CVE-2023-4966',
            vendorProject: 'Citrix',
            product: 'NetScaler',
            dateAdded: '2023-10-18',
            dueDate: '2023-11-08',
            knownRansomwareCampaignUse: 'Unknown',
          },
        ],
      }),
    );
    const env = { DATABASE_URL: t.databaseUrl, STEWARD_DATA_DIR: t.dataDir };
    const result = await runCli(['intel', 'import-kev', file], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('KEV catalog 2026.11.26: 2 entries (2 new, 0 removed)');
    const rows = await t.pools.owner
      .selectFrom('kev_entries')
      .selectAll()
      .orderBy('cve_id')
      .execute();
    expect(rows.map((r) => [r.cve_id, r.known_ransomware])).toEqual([
      ['CVE-2021-44228', true],
      ['CVE-2023-4966', false],
    ]);
    const bad = await runCli(['intel', 'import-kev', await writeReport('bad.json', '[]')], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('not a KEV catalog');
  });
});
