// Scan import at size: a SARIF report with 100,000 results and a Trivy report with 50,000
// vulnerabilities, each imported into an empty asset through the CLI (`steward scans import`)
// against a running `steward start`, then re-imported unchanged, then imported again with 10% of
// the results gone (fixed) and 10% new. Targets: first import <= 15 s, unchanged re-import
// <= 10 s, peak server RSS <= 500 MB. For scale, the same normalised rows are also written with
// plain multi-row INSERTs into a copy of the findings table (with its indexes), and the ratio of
// the import to that bare write is printed.
import { createBenchOwnerToken, setUpBenchInstallation, startBenchServer } from './installation.ts';
import { sql } from 'kysely';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { sarifParser } from '../apps/server/src/modules/findings/parsers/sarif.ts';
import { trivyParser } from '../apps/server/src/modules/findings/parsers/trivy.ts';
import type { ReportParser } from '../apps/server/src/modules/findings/parsers/types.ts';
import {
  cpuSeconds,
  figure,
  heading,
  note,
  postgresCpuSeconds,
  procMemoryMb,
  runBench,
  runSteward,
  since,
  stewardEnv,
} from './lib.ts';

const sarifResults = Number(process.env.BENCH_SARIF_RESULTS ?? 100_000);
const trivyVulnerabilities = Number(process.env.BENCH_TRIVY_VULNERABILITIES ?? 50_000);

/** Write a file from an iterator of text chunks, respecting back-pressure. */
async function writeChunks(file: string, chunks: Iterable<string>): Promise<number> {
  const out = createWriteStream(file);
  for (const chunk of chunks) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return (await stat(file)).size;
}

/** Which results a version of a report has: all, or 10% dropped (fixed) and 10% added (new). */
type Variant = 'base' | 'changed';

function isKept(i: number, variant: Variant): boolean {
  return variant === 'base' || i % 10 !== 0;
}

function* sarifChunks(count: number, variant: Variant): Generator<string> {
  const ruleCount = 400;
  const rules = Array.from({ length: ruleCount }, (_, r) => ({
    id: `BENCH${String(r).padStart(4, '0')}`,
    name: `BenchRule${String(r)}`,
    shortDescription: { text: `Possible injection through unchecked input (pattern ${String(r)})` },
    fullDescription: {
      text: 'User-controlled data reaches a sensitive sink without validation; an attacker may change the behaviour of the program.',
    },
    helpUri: `https://rules.example/bench/${String(r)}`,
    properties: {
      tags: ['security', `external/cwe/cwe-${String(20 + (r % 60))}`],
      'security-severity': ((r % 10) + 0.5).toFixed(1),
    },
  }));
  yield `{"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[{"tool":{"driver":{"name":"BenchScanner","version":"1.0","rules":${JSON.stringify(rules)}}},"results":[`;
  let first = true;
  const extra = variant === 'changed' ? Math.floor(count / 10) : 0;
  for (let i = 0; i < count + extra; i += 1) {
    if (i < count && !isKept(i, variant)) continue;
    const r = i % ruleCount;
    const file = `src/module${String(i % 997)}/file${String(i % 7919)}.ts`;
    const line = 1 + (i % 4000);
    const result = {
      ruleId: rules[r]?.id,
      ruleIndex: r,
      level: ['error', 'warning', 'note'][i % 3],
      message: { text: `Unchecked input reaches a sink in ${file}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: file },
            region: { startLine: line, startColumn: 5 },
          },
        },
      ],
      partialFingerprints: { primaryLocationLineHash: `${i.toString(16)}:${String(i % 13)}` },
    };
    yield `${first ? '' : ','}${JSON.stringify(result)}`;
    first = false;
  }
  yield ']}]}';
}

function* trivyChunks(count: number, variant: Variant): Generator<string> {
  yield '{"SchemaVersion":2,"ArtifactName":"registry.example/app:1.0","ArtifactType":"container_image","Results":[';
  const perTarget = 5000;
  const extra = variant === 'changed' ? Math.floor(count / 10) : 0;
  const total = count + extra;
  let first = true;
  for (let start = 0; start < total; start += perTarget) {
    yield `${start === 0 ? '' : ','}{"Target":"app/lib${String(start / perTarget)}","Class":"lang-pkgs","Type":"npm","Vulnerabilities":[`;
    first = true;
    for (let i = start; i < Math.min(total, start + perTarget); i += 1) {
      if (i < count && !isKept(i, variant)) continue;
      const vulnerability = {
        VulnerabilityID: `CVE-${String(2015 + (i % 10))}-${String(10000 + i)}`,
        PkgName: `bench-package-${String(i % 5000)}`,
        PkgPath: `node_modules/bench-package-${String(i % 5000)}/package.json`,
        InstalledVersion: `1.${String(i % 7)}.${String(i % 3)}`,
        FixedVersion: `1.${String((i % 7) + 1)}.0`,
        Status: 'fixed',
        Severity: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'][i % 4],
        Title: `bench-package: prototype pollution in merge (${String(i)})`,
        Description:
          'A crafted object passed to merge() can add or change properties of Object.prototype, which may lead to denial of service or code execution.',
        PrimaryURL: `https://avd.example/CVE-${String(i)}`,
        CweIDs: ['CWE-1321'],
        CVSS: {
          nvd: { V3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', V3Score: 9.8 },
        },
        References: [`https://github.example/advisories/${String(i)}`],
      };
      yield `${first ? '' : ','}${JSON.stringify(vulnerability)}`;
      first = false;
    }
    yield ']}';
  }
  yield ']}';
}

interface Summary {
  format: string;
  results: number;
  findings: number;
  created: number;
  matched: number;
  updated: number;
  reactivated: number;
  closed: number;
  durationMs: number;
}

await runBench('bench:import', async (cleanup) => {
  const { dataDir, httpPort, env, database, me, uow } = await setUpBenchInstallation(
    cleanup,
    'bench:import',
  );
  let started: number;
  const secret = await createBenchOwnerToken(uow, me.user.id);

  heading('generate reports');
  const files = {
    sarif: path.join(dataDir, 'bench.sarif'),
    sarifChanged: path.join(dataDir, 'bench-changed.sarif'),
    trivy: path.join(dataDir, 'bench-trivy.json'),
    trivyChanged: path.join(dataDir, 'bench-trivy-changed.json'),
  };
  started = performance.now();
  const sizes = {
    sarif: await writeChunks(files.sarif, sarifChunks(sarifResults, 'base')),
    sarifChanged: await writeChunks(files.sarifChanged, sarifChunks(sarifResults, 'changed')),
    trivy: await writeChunks(files.trivy, trivyChunks(trivyVulnerabilities, 'base')),
    trivyChanged: await writeChunks(
      files.trivyChanged,
      trivyChunks(trivyVulnerabilities, 'changed'),
    ),
  };
  note(
    `SARIF ${sarifResults.toLocaleString('en-US')} results: ${(sizes.sarif / 2 ** 20).toFixed(1)} MB; ` +
      `Trivy ${trivyVulnerabilities.toLocaleString('en-US')} vulnerabilities: ${(sizes.trivy / 2 ** 20).toFixed(1)} MB ` +
      `(generated in ${(since(started) / 1000).toFixed(1)} s)`,
  );

  // BENCH_SERVER_NODE_OPTIONS (e.g. --max-old-space-size=256) applies to the server process only.
  const serverOptions = process.env.BENCH_SERVER_NODE_OPTIONS;
  const { server, base } = await startBenchServer(
    cleanup,
    serverOptions === undefined ? env : { ...env, NODE_OPTIONS: serverOptions },
    httpPort,
    { waitMs: 60_000 },
  );
  note(
    `server pid ${String(server.pid)}, RSS after start ${procMemoryMb(server.pid, 'VmRSS')?.toFixed(0) ?? '?'} MB`,
  );
  const cliEnv = { ...stewardEnv({}), STEWARD_URL: base, STEWARD_TOKEN: secret };

  async function importFile(
    file: string,
    asset: string,
  ): Promise<{ summary: Summary; ms: number; peakMb: number; serverCpuS: number; pgCpuS: number }> {
    let peakMb = 0;
    // CPU time is the figure to compare between runs on a shared machine: wall time follows load.
    // PostgreSQL's processes come and go (autovacuum workers); postgresCpuSeconds counts those
    // that ended too.
    const pgCpu = () => postgresCpuSeconds(dataDir);
    const serverCpuBefore = cpuSeconds(server.pid);
    const pgCpuBefore = pgCpu();
    const sampler = setInterval(() => {
      peakMb = Math.max(peakMb, procMemoryMb(server.pid, 'VmRSS') ?? 0);
    }, 100);
    const result = await runSteward(
      ['scans', 'import', file, '--asset', asset, '--json'],
      cliEnv,
      600_000,
    );
    clearInterval(sampler);
    if (result.code !== 0) throw new Error(`import of ${file} failed: ${result.stderr}`);
    return {
      summary: JSON.parse(result.stdout) as Summary,
      ms: result.ms,
      peakMb,
      serverCpuS: cpuSeconds(server.pid) - serverCpuBefore,
      pgCpuS: pgCpu() - pgCpuBefore,
    };
  }

  function report(
    label: string,
    run: { summary: Summary; ms: number; peakMb: number; serverCpuS: number; pgCpuS: number },
    targetMs?: number,
  ): void {
    const s = run.summary;
    note(
      `${label}: results ${String(s.results)}, findings ${String(s.findings)}, created ${String(s.created)}, ` +
        `matched ${String(s.matched)} (updated ${String(s.updated)}), reactivated ${String(s.reactivated)}, closed ${String(s.closed)}`,
    );
    figure(
      `${label}: CLI end to end`,
      run.ms / 1000,
      's',
      targetMs === undefined ? undefined : { max: targetMs / 1000 },
    );
    figure(`${label}: server (parse + write)`, s.durationMs / 1000, 's');
    figure(`${label}: server CPU (node)`, run.serverCpuS, 's');
    figure(`${label}: PostgreSQL CPU (all processes)`, run.pgCpuS, 's');
    figure(`${label}: server RSS peak (sampled)`, run.peakMb, 'MB');
  }

  function expectCounts(label: string, s: Summary, expected: Partial<Summary>): void {
    for (const [key, value] of Object.entries(expected)) {
      const actual = s[key as keyof Summary];
      if (actual !== value) {
        throw new Error(`${label}: ${key} is ${String(actual)}, expected ${String(value)}`);
      }
    }
  }

  const cases: {
    name: string;
    parser: ReportParser;
    count: number;
    base: string;
    changed: string;
  }[] = [
    {
      name: 'SARIF',
      parser: sarifParser,
      count: sarifResults,
      base: files.sarif,
      changed: files.sarifChanged,
    },
    {
      name: 'Trivy',
      parser: trivyParser,
      count: trivyVulnerabilities,
      base: files.trivy,
      changed: files.trivyChanged,
    },
  ];
  const owner = database.pools.owner;
  for (const c of cases) {
    const asset = `bench-${c.name.toLowerCase()}`;
    const tenth = Math.floor(c.count / 10);
    heading(`${c.name}: ${c.count.toLocaleString('en-US')} results into an empty asset`);
    const first = await importFile(c.base, asset);
    report('first import', first, 15_000);
    expectCounts('first import', first.summary, { findings: c.count, created: c.count });
    const again = await importFile(c.base, asset);
    report('unchanged re-import', again, 10_000);
    expectCounts('unchanged re-import', again.summary, {
      created: 0,
      matched: c.count,
      updated: 0,
      closed: 0,
    });
    const changed = await importFile(c.changed, asset);
    report('10% fixed, 10% new', changed);
    expectCounts('10% fixed, 10% new', changed.summary, {
      created: tenth,
      matched: c.count - tenth,
      closed: tenth,
    });

    // The bare write of the same rows: parse outside the clock, then multi-row INSERTs of
    // 1,000 rows into a copy of the findings table with the same indexes.
    const rows: unknown[][] = [];
    for await (const result of c.parser.parse(c.base)) {
      rows.push([
        me.org.id,
        result.tool ?? c.parser.tool,
        result.identityKey,
        result.category,
        result.title,
        result.severity,
        result.ruleId ?? null,
        result.vulnerabilityIds,
        result.packageName ?? null,
        result.packageVersion ?? null,
        result.description ?? null,
        JSON.stringify(result.locations),
      ]);
    }
    await sql`DROP TABLE IF EXISTS bench_copy`.execute(owner);
    await sql`CREATE TABLE bench_copy (LIKE findings INCLUDING DEFAULTS INCLUDING INDEXES)`.execute(
      owner,
    );
    const assetRow = await owner
      .selectFrom('assets')
      .select('id')
      .where('name', '=', asset)
      .executeTakeFirstOrThrow();
    started = performance.now();
    await owner.transaction().execute(async (tx) => {
      for (let i = 0; i < rows.length; i += 1000) {
        const batch = rows.slice(i, i + 1000);
        const values = batch.map(
          (r) =>
            sql`(${r[0]}, ${assetRow.id}, ${r[1]}, 1, ${r[2]}, ${r[3]}, ${r[4]}, ${r[5]}, ${r[6]}, ${r[7]}::text[], ${r[8]}, ${r[9]}, ${r[10]}, ${r[11]}::jsonb, now(), now(), now())`,
        );
        await sql`INSERT INTO bench_copy (org_id, asset_id, tool, identity_version, identity_key,
            category, title, severity, rule_id, vulnerability_ids, package_name, package_version,
            description, locations, first_seen_at, last_seen_at, sla_started_at)
          VALUES ${sql.join(values)}`.execute(tx);
      }
    });
    const bareMs = since(started);
    await sql`DROP TABLE bench_copy`.execute(owner);
    figure('plain multi-row INSERT of the same rows', bareMs / 1000, 's');
    figure('ratio: server import / plain INSERT', first.summary.durationMs / bareMs, 'x');
  }

  heading('server memory');
  const peak = procMemoryMb(server.pid, 'VmHWM');
  if (peak === null) note('peak RSS unavailable (no /proc)');
  else figure('peak server RSS (VmHWM)', peak, 'MB', { max: 500 });
});
