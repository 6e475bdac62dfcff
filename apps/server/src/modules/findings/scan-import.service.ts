import type { ScanImportSummary, importScanFieldsSchema } from '@steward/contracts';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import { AppError, isAppError } from '../../platform/errors/app-error.ts';
import type { ReceivedFile } from '../../platform/http/multipart.ts';
import * as assetsRepo from './assets.repo.ts';
import type { ReportFormat } from './parsers/types.ts';
import type { MergedFinding } from './result-merge.ts';
import * as repo from './scan-import.repo.ts';
import { readReport, type ReadReport } from './scan-report.ts';
import { findSlaPolicy } from './sla-policy.repo.ts';
import { buildSlaDaysTable } from './sla.ts';
import { recordVulnerabilityChecks } from './vulnerability-checks.service.ts';

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

async function stageFindings(scope: WriteScope, report: ReadReport): Promise<void> {
  await repo.createStage(scope.tx);
  let batch: MergedFinding[] = [];
  for (const finding of report.merger.findings()) {
    batch.push(finding);
    if (batch.length >= repo.stageBatchSize) {
      await repo.insertStageBatch(scope.tx, batch);
      batch = [];
    }
  }
  await repo.insertStageBatch(scope.tx, batch);
  await repo.indexStage(scope.tx);
}

async function writeImport(
  uow: UnitOfWork,
  importer: Importer,
  input: ImportScanInput,
  report: ReadReport,
  started: { at: Date; ms: number },
): Promise<ScanImportSummary> {
  const { fields, file } = input;
  return uow.write(async (scope) => {
    const { tx } = scope;
    const now = new Date();
    const { asset, isCreated } = await findOrCreateAsset(
      scope,
      uow.orgId,
      fields.asset,
      report.format,
    );
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
    };
    await stageFindings(scope, report);
    const created = await repo.insertNewFindings(tx, ctx);
    const reactivated = await repo.reactivateFindings(tx, ctx);
    const closedByReport = await repo.applyReportTriage(tx, ctx);
    const updated = await repo.updateMatchedFindings(tx, ctx);
    const closedMissing = fields.closeMissing ? await repo.closeMissingFindings(tx, ctx) : 0;
    const linked = await repo.linkCanonicalFindings(tx, ctx);
    const findings = report.merger.size;
    const counts = {
      results: report.merger.results,
      findings,
      created,
      matched: findings - created - reactivated,
      updated,
      reactivated,
      closed: closedByReport + closedMissing,
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
        linkedToCanonical: linked,
        warnings: warnings.length,
      },
    });
    await recordVulnerabilityChecks(scope, uow.orgId, importer, now);
    return summary;
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
 * Import one scanner report into one asset: the report is read and its results merged by
 * identity (streamed, before any write); then, in one audited transaction, the asset is created
 * if missing, the merged findings are staged and compared set-wise with the asset's findings
 * (new ones created, known ones refreshed only where the report changed them, fixed ones seen
 * again reactivated, open ones missing from the report closed when `closeMissing`), duplicates of
 * other tools linked, the import stored with its summary, and the vulnerability checks recorded.
 * A failure changes no finding; it is recorded (and audited) as a failed import.
 */
export async function importScan(
  uow: UnitOfWork,
  importer: Importer,
  input: ImportScanInput,
): Promise<ScanImportSummary> {
  const started = { at: new Date(), ms: performance.now() };
  try {
    const report = await readReport(input.file.path, fileNameOf(input.file), input.fields.format);
    return await writeImport(uow, importer, input, report, started);
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
