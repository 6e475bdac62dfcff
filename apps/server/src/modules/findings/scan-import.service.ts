import type { ScanImportSummary, importScanFieldsSchema } from '@steward/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import { AppError, isAppError } from '../../platform/errors/app-error.ts';
import type { ReceivedFile } from '../../platform/http/multipart.ts';
import * as assetsRepo from './assets.repo.ts';
import type { ReportFormat } from './parsers/types.ts';
import { reportParsers } from './report-parsers.ts';
import { reportDigestOf, ResultMerger, type MergedFinding } from './result-merge.ts';
import * as repo from './scan-import.repo.ts';
import { readReport, resolveFormat, type ReadReport } from './scan-report.ts';
import { findSlaPolicy } from './sla-policy.repo.ts';
import { buildSlaDaysTable } from './sla.ts';
import { recordVulnerabilityChecks } from './vulnerability-checks.service.ts';
import {
  notifyNewCriticalFindings,
  type NewCriticalFinding,
  type NewCriticalNoticeDeps,
  newCriticalListed,
} from './finding-reminders.service.ts';

/** Text fields of a scan import. */
export type ImportScanFields = z.output<typeof importScanFieldsSchema>;

/** Who imports: kept on the import, its events and the check results it records. */
export interface Importer {
  userId: string | null;
  label: string;
}

/** A scan import request: its fields and the report, already on disk. */
export interface ImportScanInput {
  fields: ImportScanFields;
  file: ReceivedFile;
  /** The penetration test whose findings these are (they are linked to it). */
  pentestId?: string | undefined;
  /** Formats this import takes (all when absent). */
  allowedFormats?: readonly ReportFormat[] | undefined;
}

/** What an import did, with the findings of the report when asked for (penetration tests). */
export interface ImportOutcome {
  summary: ScanImportSummary;
  /** Ids of the report's findings (created and matched); empty unless `pentestId` was given. */
  findingIds: string[];
}

// What an asset created by its first import most likely is, from the report's format.
const kindOfFormat: Partial<Record<ReportFormat, string>> = {
  sarif: 'repository',
  semgrep: 'repository',
  bandit: 'repository',
  gitleaks: 'repository',
  'npm-audit': 'repository',
  'osv-scanner': 'repository',
  snyk: 'repository',
  'github-dependabot': 'repository',
  'dependency-check': 'repository',
  checkov: 'repository',
  tfsec: 'repository',
  zap: 'web_application',
  nuclei: 'web_application',
};

function fileNameOf(file: ReceivedFile): string {
  const base = file.fileName.split(/[/\\]/).at(-1) ?? '';
  return base.trim() === '' ? 'the report' : base.slice(0, 255);
}

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

async function findOrCreateAsset(
  scope: WriteScope,
  orgId: string,
  name: string,
  format: ReportFormat,
): Promise<{ asset: assetsRepo.AssetRow; isCreated: boolean }> {
  const existing = await assetsRepo.findAssetByName(scope.tx, name, { forUpdate: true });
  if (existing) return { asset: existing, isCreated: false };
  const values = {
    orgId,
    name,
    kind: kindOfFormat[format] ?? 'other',
    environment: 'production',
    criticality: 'medium',
    ownerId: null,
  };
  const id = await assetsRepo.insertAsset(scope.tx, values);
  // Another import created it in between; it is committed now, so lock and use it.
  const asset = await assetsRepo.findAssetByName(scope.tx, name, { forUpdate: true });
  if (!asset) throw new Error(`asset ${name} vanished during an import`);
  if (id === null) return { asset, isCreated: false };
  await scope.audit({
    action: 'asset.created',
    targetType: 'asset',
    targetId: id,
    changes: {
      name,
      kind: values.kind,
      environment: values.environment,
      criticality: values.criticality,
      via: 'scan import',
    },
  });
  return { asset, isCreated: true };
}

/**
 * Time-ordered ids (UUID version 7: milliseconds, then random bits). A large import then appends
 * to the primary key and the list indexes instead of writing all over them.
 */
export function createTimeOrderedIds(count: number, now: number = Date.now()): string[] {
  const random = randomBytes(16 * count);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const bytes = random.subarray(i * 16, i * 16 + 16);
    bytes.writeUIntBE(now, 0, 6);
    bytes.writeUInt8(((bytes.readUInt8(6) & 0x0f) | 0x70) >>> 0, 6);
    bytes.writeUInt8(((bytes.readUInt8(8) & 0x3f) | 0x80) >>> 0, 8);
    const hex = bytes.toString('hex');
    ids.push(
      `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    );
  }
  return ids;
}

/**
 * The canonical finding already on the asset of each dependency key of the new findings (the
 * earliest not linked to another). Read before any insert: once this import's rows are in, the
 * planner's statistics of the asset lag behind them.
 */
async function findExistingRoots(
  tx: WriteScope['tx'],
  assetId: string,
  fresh: readonly MergedFinding[],
): Promise<Map<string, string>> {
  const keys = [
    ...new Set(fresh.flatMap((f) => (f.dependencyKey === null ? [] : [f.dependencyKey]))),
  ];
  const roots = new Map<string, string>();
  for (let i = 0; i < keys.length; i += repo.idBatchSize) {
    const found = await repo.findCanonicalRoots(tx, assetId, keys.slice(i, i + repo.idBatchSize));
    for (const [key, id] of found) roots.set(key, id);
  }
  return roots;
}

/**
 * Ids for a batch of new findings (in report order), and for a dependency finding the canonical
 * finding it duplicates: the earliest of its key already on the asset, else the first new one of
 * that key in this report. `roots` starts with the asset's and gains each key's first new one.
 */
function planNewFindings(
  batch: readonly MergedFinding[],
  roots: Map<string, string>,
): repo.NewFinding[] {
  const ids = createTimeOrderedIds(batch.length);
  return batch.map((finding, index) => {
    const id = ids[index] ?? randomUUID();
    const key = finding.dependencyKey;
    const root = key === null ? undefined : roots.get(key);
    if (key !== null && root === undefined) roots.set(key, id);
    return { finding, id, canonicalId: root ?? null, digest: reportDigestOf(finding) };
  });
}

interface WriteCounts {
  created: number;
  updated: number;
  reactivated: number;
  closed: number;
  /** New open critical findings that count (not duplicates of another tool's). */
  newCritical: NewCriticalFinding[];
  /** Ids of the report's findings, when the import is a penetration test's. */
  findingIds: string[];
}

/** What the comparison of a report with the asset's known findings says to write. */
interface Differences {
  matched: Set<MergedFinding>;
  /** Ids of the known findings seen again (collected for penetration test imports only). */
  matchedIds: string[];
  changed: { id: string; finding: MergedFinding }[];
  reactivate: string[];
  triage: repo.TriageChange[];
  touch: string[];
  missing: string[];
}

/**
 * Compare the report with the asset's known findings of its tools, read in batches: which are
 * seen again, which the report changed (by digest), which it reactivates or triages, which were
 * not seen today yet, and which open ones it no longer has.
 */
async function compareWithKnown(
  tx: WriteScope['tx'],
  ctx: repo.ImportContext,
  merger: ResultMerger,
  digestOf: (finding: MergedFinding) => string,
): Promise<Differences> {
  const diff: Differences = {
    matched: new Set(),
    matchedIds: [],
    changed: [],
    reactivate: [],
    triage: [],
    touch: [],
    missing: [],
  };
  let after: repo.FindingKey | null = null;
  for (;;) {
    const known = await repo.readKnownFindings(tx, ctx, after, repo.idBatchSize);
    for (const row of known) {
      const finding = merger.get(row.tool, row.identity_key);
      if (finding === undefined) {
        if (row.state === 'open') diff.missing.push(row.id);
        continue;
      }
      diff.matched.add(finding);
      if (ctx.pentestId !== null) diff.matchedIds.push(row.id);
      const isChanged = row.report_digest !== digestOf(finding);
      if (isChanged) diff.changed.push({ id: row.id, finding });
      const arrival = finding.arrivalState;
      if (row.state === 'fixed' && arrival === 'open') {
        diff.reactivate.push(row.id);
      } else if (
        arrival !== 'open' &&
        (row.state === 'open' || row.state === 'fixed') &&
        row.state !== arrival
      ) {
        // The report's own triage applies to what nobody decided in Steward (open or fixed).
        diff.triage.push({
          id: row.id,
          before: row.state,
          to: arrival,
          reason:
            finding.arrivalReason ??
            `marked ${arrival.replace('_', ' ')} in the ${finding.tool} report`,
        });
      }
      if (row.is_stale && !isChanged) diff.touch.push(row.id);
    }
    const last = known.at(-1);
    if (known.length < repo.idBatchSize || last === undefined) return diff;
    after = { tool: last.tool, identityKey: last.identity_key };
  }
}

async function inIdBatches(
  ids: readonly string[],
  write: (batch: string[]) => Promise<number>,
): Promise<number> {
  let total = 0;
  for (let i = 0; i < ids.length; i += repo.idBatchSize) {
    total += await write(ids.slice(i, i + repo.idBatchSize));
  }
  return total;
}

/**
 * Write what the report changes: new findings, changed report-side fields, reactivations, the
 * report's own triage, last seen, and (with `closeMissing`) the closing of open findings the
 * report no longer has.
 */
async function writeFindings(
  tx: WriteScope['tx'],
  ctx: repo.ImportContext,
  report: ReadReport,
  closeMissing: boolean,
): Promise<WriteCounts> {
  const merger = report.merger;
  // Each finding is either known (its digest compared) or new (its digest stored), so digests are
  // computed where needed rather than kept for the whole report.
  const digestOf = reportDigestOf;
  const diff = await compareWithKnown(tx, ctx, merger, digestOf);
  const fresh = [...merger.findings()].filter((finding) => !diff.matched.has(finding));
  fresh.sort((a, b) => a.seq - b.seq);
  // From here on only the new findings and the differences are needed: the rest of the report's
  // findings are let go, and each batch of new ones once it is written.
  merger.release();
  diff.matched.clear();
  let created = 0;
  if (fresh.length > 0) await repo.indexStage(tx);
  const roots = await findExistingRoots(tx, ctx.assetId, fresh);
  const critical: { id: string; seq: number }[] = [];
  const createdIds: string[] = [];
  // Each batch is built while the one before it is written (one statement in flight at a time).
  let writing: Promise<number> | undefined;
  try {
    while (fresh.length > 0) {
      const rows = planNewFindings(fresh.splice(0, repo.writeBatchSize), roots);
      const sending = repo.insertFindings(tx, ctx, rows);
      // Awaited after the next batch is built; until then a failure must not go unhandled.
      sending.catch(() => undefined);
      const previous = writing;
      writing = sending;
      if (previous !== undefined) created += await previous;
      for (const { finding, id, canonicalId } of rows) {
        if (ctx.pentestId !== null) createdIds.push(id);
        if (
          finding.severity === 'critical' &&
          finding.arrivalState === 'open' &&
          canonicalId === null
        ) {
          critical.push({ id, seq: finding.seq });
        }
      }
    }
    if (writing !== undefined) created += await writing;
  } finally {
    // A failed batch must not leave the next one running when the transaction rolls back.
    await writing?.catch(() => undefined);
  }
  const reactivated = await inIdBatches(diff.reactivate, (ids) =>
    repo.reactivateFindings(tx, ctx, ids),
  );
  let updated = 0;
  for (let i = 0; i < diff.changed.length; i += repo.writeBatchSize) {
    const rows = diff.changed
      .slice(i, i + repo.writeBatchSize)
      .map(({ id, finding }) => repo.toChangeJson(id, finding, digestOf(finding)));
    updated += await repo.updateChangedFindings(tx, ctx, rows);
  }
  let closed = 0;
  for (let i = 0; i < diff.triage.length; i += repo.writeBatchSize) {
    const batch = diff.triage.slice(i, i + repo.writeBatchSize);
    await repo.applyReportTriage(tx, ctx, batch);
    closed += batch.filter((c) => c.before === 'open' && c.to === 'fixed').length;
  }
  await inIdBatches(diff.touch, async (ids) => {
    await repo.touchLastSeen(tx, ctx, ids);
    return ids.length;
  });
  if (closeMissing) {
    closed += await inIdBatches(diff.missing, (ids) => repo.closeMissingFindings(tx, ctx, ids));
  }
  await inIdBatches(diff.matchedIds, (ids) => repo.linkFindingsToPentest(tx, ctx, ids));
  // The notice lists the first few critical findings by title; the rest are counted.
  const titles = await repo.readStagedTitles(
    tx,
    critical.slice(0, newCriticalListed).map((c) => c.seq),
  );
  const newCritical: NewCriticalFinding[] = critical.map((c) => ({
    id: c.id,
    title: titles.get(c.seq) ?? null,
  }));
  return {
    created,
    updated,
    reactivated,
    closed,
    newCritical,
    findingIds: [...createdIds, ...diff.matchedIds],
  };
}

/**
 * Read the report inside the import's transaction: results are merged in memory by identity while
 * the fields merging never changes are staged in batches, each batch sent while the next one is
 * parsed (one statement in flight at a time, so memory stays bounded).
 */
async function stageReport(
  tx: WriteScope['tx'],
  file: ReceivedFile,
  format: ReportFormat,
): Promise<ReadReport> {
  await repo.createStage(tx);
  let batch: repo.StagedFields[] = [];
  let inFlight: Promise<void> | undefined;
  const merger = new ResultMerger(reportParsers[format].tool, (finding, fields) => {
    batch.push({ seq: finding.seq, fields });
  });
  const send = async (): Promise<void> => {
    if (inFlight !== undefined) await inFlight;
    const rows = batch;
    batch = [];
    const sending = repo.stageFields(tx, rows);
    // Awaited before the next batch or at the end; until then a failure must not go unhandled.
    sending.catch(() => undefined);
    inFlight = sending;
  };
  try {
    const report = await readReport(file.path, fileNameOf(file), format, merger, () =>
      batch.length >= repo.writeBatchSize ? send() : undefined,
    );
    await send();
    await inFlight;
    return report;
  } finally {
    // A report error must not leave a statement running when the transaction rolls back.
    await inFlight?.catch(() => undefined);
  }
}

async function writeImport(
  uow: UnitOfWork,
  importer: Importer,
  input: ImportScanInput,
  format: ReportFormat,
  started: { at: Date; ms: number },
  notice: NewCriticalNoticeDeps | undefined,
): Promise<ImportOutcome> {
  const { fields, file } = input;
  return uow.write(async (scope) => {
    const { tx } = scope;
    // The report is read before the asset is locked (or created and audited, which locks the
    // org's audit chain), so other writes wait only for the comparison and the writes.
    const report = await stageReport(tx, file, format);
    const { asset, isCreated } = await findOrCreateAsset(scope, uow.orgId, fields.asset, format);
    const now = new Date();
    const policy = await findSlaPolicy(tx);
    const reportTools = report.merger.tools();
    const tools = reportTools.length > 0 ? reportTools : [report.parser.tool];
    const ctx: repo.ImportContext = {
      orgId: uow.orgId,
      assetId: asset.id,
      importId: randomUUID(),
      now,
      dayStart: startOfUtcDay(now),
      actor: importer.label,
      actorUserId: importer.userId,
      identityVersion: report.parser.identityVersion,
      slaDays: buildSlaDaysTable(policy, asset).map((row) => ({
        severity: row.severity,
        is_kev: row.is_kev,
        days: row.days,
      })),
      restartOnReopen: policy.restartOnReopen,
      tools: [...new Set([...tools, report.parser.tool])],
      pentestId: input.pentestId ?? null,
    };
    const written = await writeFindings(tx, ctx, report, fields.closeMissing);
    const findings = report.merger.size;
    const counts = {
      results: report.merger.results,
      findings,
      created: written.created,
      matched: findings - written.created - written.reactivated,
      updated: written.updated,
      reactivated: written.reactivated,
      closed: written.closed,
    };
    const warnings = report.merger.warnings();
    const durationMs = Math.round(performance.now() - started.ms);
    const tool = tools[0] ?? report.parser.tool;
    await repo.insertScanImport(tx, {
      id: ctx.importId,
      orgId: uow.orgId,
      assetId: asset.id,
      tool,
      tools,
      format: report.format,
      fileName: fileNameOf(file),
      fileSha256: file.sha256,
      fileSizeBytes: file.sizeBytes,
      closeMissing: fields.closeMissing,
      status: 'completed',
      error: null,
      counts,
      warnings,
      durationMs,
      importedBy: importer.label,
      importedByUserId: importer.userId,
      startedAt: started.at,
      finishedAt: now,
    });
    const summary: ScanImportSummary = {
      id: ctx.importId,
      assetId: asset.id,
      assetName: asset.name,
      isAssetCreated: isCreated,
      format: report.format,
      tool,
      tools,
      ...counts,
      errors: warnings,
      durationMs,
    };
    await scope.audit({
      action: 'scan.imported',
      targetType: 'asset',
      targetId: asset.id,
      changes: {
        importId: ctx.importId,
        asset: asset.name,
        format: report.format,
        tools,
        fileName: fileNameOf(file),
        sha256: file.sha256,
        sizeBytes: file.sizeBytes,
        closeMissing: fields.closeMissing,
        ...counts,
        warnings: warnings.length,
        ...(ctx.pentestId === null ? {} : { pentestId: ctx.pentestId }),
        ...(written.newCritical.length > 0 ? { newCritical: written.newCritical.length } : {}),
      },
    });
    if (ctx.pentestId !== null) {
      await scope.audit({
        action: 'pentest.finding_added',
        targetType: 'pentest',
        targetId: ctx.pentestId,
        changes: {
          importId: ctx.importId,
          fileName: fileNameOf(file),
          created: counts.created,
          matched: counts.matched,
          reactivated: counts.reactivated,
          findingIds: written.findingIds.slice(0, 100),
        },
      });
    }
    if (notice !== undefined && written.newCritical.length > 0) {
      await notifyNewCriticalFindings(scope, notice, {
        orgId: uow.orgId,
        asset,
        importId: ctx.importId,
        findings: written.newCritical,
      });
    }
    await recordVulnerabilityChecks(scope, uow.orgId, importer, now);
    return { summary, findingIds: written.findingIds };
  });
}

async function recordFailedImport(
  uow: UnitOfWork,
  importer: Importer,
  input: ImportScanInput,
  error: unknown,
  started: Date,
): Promise<void> {
  const message = isAppError(error)
    ? error.message
    : 'the import failed unexpectedly; nothing was changed';
  await uow.write(async (scope) => {
    const asset = await assetsRepo.findAssetByName(scope.tx, input.fields.asset);
    const format = input.fields.format ?? 'unknown';
    // A failed import of an asset that does not exist yet must not create it; only the audit
    // event records the attempt then.
    if (asset) {
      await repo.insertScanImport(scope.tx, {
        id: randomUUID(),
        orgId: uow.orgId,
        assetId: asset.id,
        tool: 'unknown',
        tools: [],
        format,
        fileName: fileNameOf(input.file),
        fileSha256: input.file.sha256,
        fileSizeBytes: input.file.sizeBytes,
        closeMissing: input.fields.closeMissing,
        status: 'failed',
        error: message.slice(0, 2000),
        counts: {
          results: 0,
          findings: 0,
          created: 0,
          matched: 0,
          updated: 0,
          reactivated: 0,
          closed: 0,
        },
        warnings: [],
        durationMs: null,
        importedBy: importer.label,
        importedByUserId: importer.userId,
        startedAt: started,
        finishedAt: new Date(),
      });
    }
    await scope.audit({
      action: 'scan.import_failed',
      targetType: 'asset',
      targetId: asset?.id ?? null,
      changes: {
        asset: input.fields.asset,
        format,
        fileName: fileNameOf(input.file),
        sha256: input.file.sha256,
        sizeBytes: input.file.sizeBytes,
        error: message.slice(0, 2000),
        code: isAppError(error) ? error.code : 'internal',
      },
    });
  });
}

/**
 * Import one scanner report into one asset, in one audited transaction: the asset is created if
 * missing, the report is read as a stream and its results merged by identity (their descriptive
 * fields staged in the transaction as they arrive), the merged findings are compared with the
 * asset's findings (new ones created, known ones refreshed only where the report changed them,
 * fixed ones seen again reactivated, open ones missing from the report closed when
 * `closeMissing`), duplicates of other tools linked, the import stored with its summary, and the
 * vulnerability checks recorded.
 * New open critical findings are notified to the asset's owner at once (recorded in the same
 * transaction, mail queued when it commits). A failure changes no finding; it is recorded (and
 * audited) as a failed import.
 */
export async function importScan(
  uow: UnitOfWork,
  importer: Importer,
  input: ImportScanInput,
  notice?: NewCriticalNoticeDeps,
): Promise<ScanImportSummary> {
  return (await importReport(uow, importer, input, notice)).summary;
}

/**
 * `importScan` with the ids of the report's findings when the import is a penetration test's:
 * its findings are linked to the test, and nothing absent from the report is closed.
 */
export async function importReport(
  uow: UnitOfWork,
  importer: Importer,
  input: ImportScanInput,
  notice?: NewCriticalNoticeDeps,
): Promise<ImportOutcome> {
  const started = { at: new Date(), ms: performance.now() };
  try {
    const format = await resolveFormat(
      input.file.path,
      fileNameOf(input.file),
      input.fields.format,
    );
    if (input.allowedFormats !== undefined && !input.allowedFormats.includes(format)) {
      throw new AppError(
        'scan.format_mismatch',
        `This import takes ${input.allowedFormats.join(' or ')}; the report is ${format}`,
        [{ path: 'format', message: `expected ${input.allowedFormats.join(' or ')}` }],
      );
    }
    return await writeImport(uow, importer, input, format, started, notice);
  } catch (error) {
    // The caller needs the import's own error; failing to record it must not replace it.
    await recordFailedImport(uow, importer, input, error, started.at).catch(() => undefined);
    throw error;
  }
}

/** Refuse an import request without exactly one report file. */
export function requireOneFile(files: readonly ReceivedFile[]): ReceivedFile {
  const [file, ...others] = files;
  if (!file || others.length > 0) {
    const message = file ? 'Attach one report per import' : 'Attach the report in file';
    throw new AppError('request.invalid', message, [{ path: 'file', message }]);
  }
  return file;
}
