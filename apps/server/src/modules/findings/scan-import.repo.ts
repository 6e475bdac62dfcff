import { sql } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type { MergedFinding } from './result-merge.ts';
import type { SlaDaysRow } from './sla.ts';

// The import runs as set-based SQL over a temporary staging table that holds the report's merged
// findings; everything happens in the caller's transaction, so a failure leaves nothing behind.

/** Columns of the staging table, in the order of the JSON records written into it. */
const stageColumns = `
  seq integer,
  tool text,
  identity_key text,
  category text,
  title text,
  severity text,
  rule_id text,
  vulnerability_ids text[],
  cwes integer[],
  cvss_v3_vector text,
  cvss_v3_score numeric,
  cvss_v4_vector text,
  cvss_v4_score numeric,
  package_name text,
  package_version text,
  purl text,
  fix_version text,
  is_fix_available boolean,
  description text,
  remediation text,
  "references" text[],
  locations jsonb,
  occurrences integer,
  arrival_state text,
  arrival_reason text,
  dependency_key text`;

/** Rows per INSERT into the staging table. */
export const stageBatchSize = 2000;

/** What every step of an import needs to know. */
export interface ImportContext {
  orgId: string;
  assetId: string;
  importId: string;
  now: Date;
  /** Start of `now`'s UTC day: last seen is kept to the day, so a same-day re-import writes nothing. */
  dayStart: Date;
  actor: string;
  actorUserId: string | null;
  identityVersion: number;
  /** Deadline days of this asset per severity and KEV. */
  slaDays: Pick<SlaDaysRow, 'severity' | 'is_kev' | 'days'>[];
  restartOnReopen: boolean;
  /** Tools whose open findings this report speaks for (closing the missing ones). */
  tools: string[];
}

/** Create the transaction's staging table (dropped at commit or rollback). */
export async function createStage(tx: Tx): Promise<void> {
  await sql
    .raw(`CREATE TEMP TABLE scan_stage (${stageColumns}, is_kev boolean) ON COMMIT DROP`)
    .execute(tx);
}

// jsonb refuses NUL characters and lone surrogates, which a report may contain; they carry
// nothing a person needs, so they are dropped rather than failing the import.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function cleanText(_key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value.replaceAll('\u0000', '').replace(loneSurrogate, '\uFFFD');
}

function toStageRecord(finding: MergedFinding): Record<string, unknown> {
  const r = finding.result;
  return {
    seq: finding.seq,
    tool: finding.tool,
    identity_key: r.identityKey,
    category: r.category,
    title: r.title,
    severity: finding.severity,
    rule_id: r.ruleId,
    vulnerability_ids: r.vulnerabilityIds,
    cwes: r.cwes,
    cvss_v3_vector: r.cvssV3Vector,
    cvss_v3_score: r.cvssV3Score,
    cvss_v4_vector: r.cvssV4Vector,
    cvss_v4_score: r.cvssV4Score,
    package_name: r.packageName,
    package_version: r.packageVersion,
    purl: r.purl,
    fix_version: r.fixVersion,
    is_fix_available: r.isFixAvailable,
    description: r.description,
    remediation: r.remediation,
    references: r.references,
    locations: finding.locations,
    occurrences: finding.occurrences,
    arrival_state: finding.arrivalState,
    arrival_reason: finding.arrivalReason,
    dependency_key: finding.dependencyKey,
  };
}

/** Write merged findings into the staging table, marking those in CISA KEV. */
export async function insertStageBatch(tx: Tx, findings: readonly MergedFinding[]): Promise<void> {
  if (findings.length === 0) return;
  const json = JSON.stringify(findings.map(toStageRecord), cleanText);
  await sql`
    INSERT INTO scan_stage
    SELECT x.*, EXISTS (SELECT 1 FROM kev_entries k WHERE k.cve_id = ANY (x.vulnerability_ids))
      FROM jsonb_to_recordset(${json}::jsonb) AS x(${sql.raw(stageColumns)})`.execute(tx);
}

/** Index and analyse the staging table (temporary tables are never analysed automatically). */
export async function indexStage(tx: Tx): Promise<void> {
  await sql`CREATE UNIQUE INDEX ON scan_stage (tool, identity_key)`.execute(tx);
  await sql`ANALYZE scan_stage`.execute(tx);
}

function slaJson(ctx: ImportContext): string {
  return JSON.stringify(ctx.slaDays);
}

/**
 * Insert the report's findings this asset does not have yet, in the state the report gives them
 * (a suppression or VEX statement arrives as its state, with an `arrived` event). Returns how many.
 */
export async function insertNewFindings(tx: Tx, ctx: ImportContext): Promise<number> {
  const result = await sql<{ created: string }>`
    WITH sla AS (
      SELECT * FROM jsonb_to_recordset(${slaJson(ctx)}::jsonb)
        AS d(severity text, is_kev boolean, days integer)
    ), inserted AS (
      INSERT INTO findings (
        org_id, asset_id, tool, identity_version, identity_key, category, title, severity,
        rule_id, vulnerability_ids, cwes, cvss_v3_vector, cvss_v3_score, cvss_v4_vector,
        cvss_v4_score, package_name, package_version, purl, fix_version, is_fix_available,
        description, remediation, "references", locations, occurrences, state, state_reason,
        state_changed_at, first_seen_at, last_seen_at, sla_started_at, due_at, fixed_at,
        dependency_key, is_kev, first_import_id, last_import_id, created_at, updated_at)
      SELECT ${ctx.orgId}::uuid, ${ctx.assetId}::uuid, s.tool, ${ctx.identityVersion}::integer,
             s.identity_key,
             s.category, s.title, s.severity, s.rule_id, coalesce(s.vulnerability_ids, '{}'),
             coalesce(s.cwes, '{}'), s.cvss_v3_vector, s.cvss_v3_score, s.cvss_v4_vector,
             s.cvss_v4_score, s.package_name, s.package_version, s.purl, s.fix_version,
             s.is_fix_available, s.description, s.remediation, coalesce(s."references", '{}'),
             coalesce(s.locations, '[]'), s.occurrences, s.arrival_state,
             CASE WHEN s.arrival_state <> 'open'
                  THEN coalesce(s.arrival_reason, 'marked ' || replace(s.arrival_state, '_', ' ') || ' in the ' || s.tool || ' report')
             END,
             ${ctx.now}::timestamptz, ${ctx.now}::timestamptz, ${ctx.now}::timestamptz,
             ${ctx.now}::timestamptz, ${ctx.now}::timestamptz + d.days * interval '1 day',
             CASE WHEN s.arrival_state = 'fixed' THEN ${ctx.now}::timestamptz END,
             s.dependency_key, s.is_kev, ${ctx.importId}::uuid, ${ctx.importId}::uuid,
             ${ctx.now}::timestamptz, ${ctx.now}::timestamptz
        FROM scan_stage s
        LEFT JOIN sla d ON d.severity = s.severity AND d.is_kev = s.is_kev
       WHERE NOT EXISTS (
               SELECT 1 FROM findings f
                WHERE f.asset_id = ${ctx.assetId} AND f.tool = s.tool
                  AND f.identity_key = s.identity_key)
       ORDER BY s.seq
      RETURNING id, state, state_reason
    ), events AS (
      INSERT INTO finding_events (org_id, finding_id, at, actor, actor_user_id, kind, from_state,
                                  to_state, reason, import_id)
      SELECT ${ctx.orgId}::uuid, i.id, ${ctx.now}::timestamptz, ${ctx.actor}::text,
             ${ctx.actorUserId}::uuid, 'arrived', NULL, i.state, i.state_reason, ${ctx.importId}::uuid
        FROM inserted i WHERE i.state <> 'open'
    )
    SELECT count(*) AS created FROM inserted`.execute(tx);
  return Number(result.rows[0]?.created ?? 0);
}

/**
 * Reopen fixed findings the report shows again (open in it): their SLA clock keeps its original
 * start unless the policy restarts it. Returns how many.
 */
export async function reactivateFindings(tx: Tx, ctx: ImportContext): Promise<number> {
  const result = await sql<{ reactivated: string }>`
    WITH sla AS (
      SELECT * FROM jsonb_to_recordset(${slaJson(ctx)}::jsonb)
        AS d(severity text, is_kev boolean, days integer)
    ), reopened AS (
      UPDATE findings f
         SET state = 'open', state_reason = NULL, state_changed_at = ${ctx.now}, fixed_at = NULL,
             fix_version = s.fix_version, is_fix_available = s.is_fix_available,
             locations = coalesce(s.locations, '[]'), occurrences = s.occurrences,
             last_seen_at = ${ctx.now}, updated_at = ${ctx.now}, last_import_id = ${ctx.importId},
             sla_started_at = CASE WHEN ${ctx.restartOnReopen}::boolean THEN ${ctx.now}::timestamptz
                                   ELSE f.sla_started_at END,
             due_at = CASE WHEN ${ctx.restartOnReopen}::boolean
                           THEN ${ctx.now}::timestamptz + (SELECT d.days FROM sla d
                                 WHERE d.severity = f.severity AND d.is_kev = f.is_kev) * interval '1 day'
                           ELSE f.due_at END
        FROM scan_stage s
       WHERE f.asset_id = ${ctx.assetId} AND f.tool = s.tool AND f.identity_key = s.identity_key
         AND f.state = 'fixed' AND s.arrival_state = 'open'
      RETURNING f.id
    ), events AS (
      INSERT INTO finding_events (org_id, finding_id, at, actor, actor_user_id, kind, from_state,
                                  to_state, reason, import_id)
      SELECT ${ctx.orgId}::uuid, r.id, ${ctx.now}::timestamptz, ${ctx.actor}::text,
             ${ctx.actorUserId}::uuid, 'reactivated', 'fixed', 'open', 'found again by the import',
             ${ctx.importId}::uuid
        FROM reopened r
    )
    SELECT count(*) AS reactivated FROM reopened`.execute(tx);
  return Number(result.rows[0]?.reactivated ?? 0);
}

/**
 * Apply the report's own triage to known findings that are open or fixed: a result now suppressed,
 * stated not affected (VEX) or marked fixed takes that state. A decision made in Steward
 * (false positive, not affected, risk accepted) is never overridden by a report. Returns how many
 * open findings this closed as fixed.
 */
export async function applyReportTriage(tx: Tx, ctx: ImportContext): Promise<number> {
  const result = await sql<{ closed: string }>`
    WITH candidates AS (
      SELECT f.id, f.state AS before, s.arrival_state,
             coalesce(s.arrival_reason, 'marked ' || replace(s.arrival_state, '_', ' ') || ' in the ' || s.tool || ' report') AS reason
        FROM findings f JOIN scan_stage s ON f.tool = s.tool AND f.identity_key = s.identity_key
       WHERE f.asset_id = ${ctx.assetId} AND f.state IN ('open', 'fixed')
         AND s.arrival_state <> 'open' AND f.state <> s.arrival_state
    ), changed AS (
      UPDATE findings f
         SET state = c.arrival_state, state_reason = c.reason, state_changed_at = ${ctx.now},
             fixed_at = CASE WHEN c.arrival_state = 'fixed' THEN ${ctx.now}::timestamptz END,
             updated_at = ${ctx.now}, last_import_id = ${ctx.importId}
        FROM candidates c
       WHERE f.id = c.id
      RETURNING f.id, c.before, f.state, f.state_reason
    ), events AS (
      INSERT INTO finding_events (org_id, finding_id, at, actor, actor_user_id, kind, from_state,
                                  to_state, reason, import_id)
      SELECT ${ctx.orgId}::uuid, c.id, ${ctx.now}::timestamptz, ${ctx.actor}::text,
             ${ctx.actorUserId}::uuid, 'triaged_by_report', c.before, c.state, c.state_reason,
             ${ctx.importId}::uuid
        FROM changed c
    )
    SELECT count(*) FILTER (WHERE before = 'open' AND state = 'fixed') AS closed FROM changed`.execute(
    tx,
  );
  return Number(result.rows[0]?.closed ?? 0);
}

/**
 * Refresh the fields a report may change on known findings — fix version and availability,
 * locations, occurrences — and last seen (kept to the day). Only rows that differ are written, so
 * an identical report writes nothing. Returns how many findings had a field changed.
 */
export async function updateMatchedFindings(tx: Tx, ctx: ImportContext): Promise<number> {
  const result = await sql<{ updated: string }>`
    WITH touched AS (
      UPDATE findings f
         SET fix_version = s.fix_version,
             is_fix_available = s.is_fix_available,
             locations = coalesce(s.locations, '[]'),
             occurrences = s.occurrences,
             last_seen_at = CASE WHEN f.last_seen_at < ${ctx.dayStart} THEN ${ctx.now} ELSE f.last_seen_at END,
             updated_at = CASE WHEN ${sql.raw(contentDiffers)} THEN ${ctx.now} ELSE f.updated_at END,
             last_import_id = CASE WHEN ${sql.raw(contentDiffers)} THEN ${ctx.importId} ELSE f.last_import_id END
        FROM scan_stage s
       WHERE f.asset_id = ${ctx.assetId} AND f.tool = s.tool AND f.identity_key = s.identity_key
         AND (${sql.raw(contentDiffers)} OR f.last_seen_at < ${ctx.dayStart})
      RETURNING f.updated_at = ${ctx.now} AS is_changed
    )
    SELECT count(*) FILTER (WHERE is_changed) AS updated FROM touched`.execute(tx);
  return Number(result.rows[0]?.updated ?? 0);
}

const contentDiffers = `(f.fix_version IS DISTINCT FROM s.fix_version
  OR f.is_fix_available IS DISTINCT FROM s.is_fix_available
  OR f.locations IS DISTINCT FROM coalesce(s.locations, '[]')
  OR f.occurrences IS DISTINCT FROM s.occurrences)`;

/**
 * Close as fixed the open findings of this asset and the report's tools that the report no longer
 * contains. Returns how many.
 */
export async function closeMissingFindings(tx: Tx, ctx: ImportContext): Promise<number> {
  const result = await sql<{ closed: string }>`
    WITH closed AS (
      UPDATE findings f
         SET state = 'fixed', state_reason = 'no longer in the report',
             state_changed_at = ${ctx.now}, fixed_at = ${ctx.now}, updated_at = ${ctx.now},
             last_import_id = ${ctx.importId}
       WHERE f.asset_id = ${ctx.assetId} AND f.state = 'open'
         AND f.tool = ANY (${ctx.tools}::text[])
         AND NOT EXISTS (SELECT 1 FROM scan_stage s
                          WHERE s.tool = f.tool AND s.identity_key = f.identity_key)
      RETURNING f.id
    ), events AS (
      INSERT INTO finding_events (org_id, finding_id, at, actor, actor_user_id, kind, from_state,
                                  to_state, reason, import_id)
      SELECT ${ctx.orgId}::uuid, c.id, ${ctx.now}::timestamptz, ${ctx.actor}::text,
             ${ctx.actorUserId}::uuid, 'closed_missing', 'open', 'fixed', 'no longer in the report',
             ${ctx.importId}::uuid
        FROM closed c
    )
    SELECT count(*) AS closed FROM closed`.execute(tx);
  return Number(result.rows[0]?.closed ?? 0);
}

/**
 * Link the new dependency findings of this import to the earliest finding of the same
 * vulnerability, package and version on the asset (another tool's, usually), so metrics count it
 * once. Returns how many were linked.
 */
export async function linkCanonicalFindings(tx: Tx, ctx: ImportContext): Promise<number> {
  const result = await sql`
    WITH keys AS (
      SELECT DISTINCT dependency_key FROM scan_stage WHERE dependency_key IS NOT NULL
    ), roots AS (
      SELECT DISTINCT ON (f.dependency_key) f.dependency_key, f.id
        FROM findings f JOIN keys k ON k.dependency_key = f.dependency_key
       WHERE f.asset_id = ${ctx.assetId} AND f.canonical_id IS NULL
       ORDER BY f.dependency_key, f.created_at, f.id
    )
    UPDATE findings f SET canonical_id = r.id
      FROM roots r
     WHERE f.asset_id = ${ctx.assetId} AND f.first_import_id = ${ctx.importId}
       AND f.dependency_key = r.dependency_key AND f.id <> r.id AND f.canonical_id IS NULL`.execute(
    tx,
  );
  return Number(result.numAffectedRows ?? 0);
}

/** The outcome of an import, as stored in its history. */
export interface ScanImportRecord {
  id: string;
  orgId: string;
  assetId: string;
  tool: string;
  tools: string[];
  format: string;
  fileName: string | null;
  fileSha256: string | null;
  fileSizeBytes: number | null;
  closeMissing: boolean;
  status: 'completed' | 'failed';
  error: string | null;
  counts: {
    results: number;
    findings: number;
    created: number;
    matched: number;
    updated: number;
    reactivated: number;
    closed: number;
  };
  warnings: { message: string }[];
  durationMs: number | null;
  importedBy: string;
  importedByUserId: string | null;
  startedAt: Date;
  finishedAt: Date;
}

/** Store an import's outcome in the history. */
export async function insertScanImport(tx: Tx, record: ScanImportRecord): Promise<void> {
  await tx
    .insertInto('scan_imports')
    .values({
      id: record.id,
      org_id: record.orgId,
      asset_id: record.assetId,
      tool: record.tool,
      tools: record.tools,
      format: record.format,
      file_name: record.fileName,
      file_sha256: record.fileSha256,
      file_size_bytes: record.fileSizeBytes,
      close_missing: record.closeMissing,
      status: record.status,
      error: record.error,
      results_count: record.counts.results,
      findings_count: record.counts.findings,
      created_count: record.counts.created,
      matched_count: record.counts.matched,
      updated_count: record.counts.updated,
      reactivated_count: record.counts.reactivated,
      closed_count: record.counts.closed,
      warnings: JSON.stringify(record.warnings),
      duration_ms: record.durationMs,
      imported_by: record.importedBy,
      imported_by_user_id: record.importedByUserId,
      started_at: record.startedAt,
      finished_at: record.finishedAt,
    })
    .execute();
}
