import { sql } from 'kysely';
import { executePrepared, type Tx } from '../../platform/db/pools.ts';
import {
  toArrayLiteral,
  toArrayLiteralOf,
  toBooleanArrayLiteral,
  toNumberArrayLiteral,
  toPlainArrayLiteralOf,
} from './array-literal.ts';
import type { FindingFields, MergedFinding } from './result-merge.ts';
import type { SlaDaysRow } from './sla.ts';

// The import runs in the caller's transaction, so a failure leaves nothing behind. The report's
// descriptive fields are staged in a temporary table of that transaction while it is read; new
// findings are inserted from batches sent as one array per column, joined to those fields; the
// asset's known findings of the report's tools are read in index order and compared with the
// report in memory, and every change to them is then a statement over a list of ids (primary-key
// lookups), so plans stay linear even while the table's statistics lag behind a large insert.

// Batches stay small enough that what is built for one (rows, their array literals) is released
// before the garbage collector's next young-generation pass, instead of piling up in the old
// generation for the length of a large import.

/** Rows per statement when sending findings or staging their fields. */
export const writeBatchSize = 500;

/** Known findings read, or ids changed, per statement. */
export const idBatchSize = 5000;

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
  /** The penetration test the report's findings belong to (they await a retest). */
  pentestId: string | null;
}

/** A finding's tool and identity key. */
export interface FindingKey {
  tool: string;
  identityKey: string;
}

/** A new finding to insert, with the id and canonical link the caller decided for it. */
export interface NewFinding {
  finding: MergedFinding;
  id: string;
  canonicalId: string | null;
  digest: string;
}

/** The fields of a new finding of the report, staged under the position of its first result. */
export interface StagedFields {
  seq: number;
  fields: FindingFields;
}

/**
 * Create the transaction's staging table of finding fields (dropped at commit or rollback). The
 * fields a merge never changes (title, descriptions, ids, package, CVSS...) wait there while the
 * report is read, so the server keeps only what merging changes.
 */
export async function createStage(tx: Tx): Promise<void> {
  await sql`
    CREATE TEMPORARY TABLE scan_import_stage (
      seq integer NOT NULL,
      title text NOT NULL,
      rule_id text,
      vulnerability_ids text[] NOT NULL,
      cwes integer[] NOT NULL,
      cvss_v3_vector text,
      cvss_v3_score numeric,
      cvss_v4_vector text,
      cvss_v4_score numeric,
      package_name text,
      package_version text,
      purl text,
      description text,
      remediation text,
      "references" text[] NOT NULL
    ) ON COMMIT DROP`.execute(tx);
}

/** The columns of staged fields as array literals, in `stageFields`' parameter order. */
export function toStageColumns(rows: readonly StagedFields[]): string[] {
  const texts = (pick: (row: StagedFields) => string | null | undefined) =>
    toArrayLiteralOf(rows, pick);
  return [
    toNumberArrayLiteral(rows.map((r) => r.seq)),
    texts((r) => r.fields.title),
    texts((r) => r.fields.ruleId),
    texts((r) => toArrayLiteral(r.fields.vulnerabilityIds)),
    toPlainArrayLiteralOf(rows, (r) => toNumberArrayLiteral(r.fields.cwes)),
    texts((r) => r.fields.cvssV3Vector),
    toNumberArrayLiteral(rows.map((r) => r.fields.cvssV3Score)),
    texts((r) => r.fields.cvssV4Vector),
    toNumberArrayLiteral(rows.map((r) => r.fields.cvssV4Score)),
    texts((r) => r.fields.packageName),
    texts((r) => r.fields.packageVersion),
    texts((r) => r.fields.purl),
    texts((r) => r.fields.description),
    texts((r) => r.fields.remediation),
    texts((r) => toArrayLiteral(r.fields.references)),
  ];
}

/** Stage the fields of new findings of the report, each column of the batch one array. */
export async function stageFields(tx: Tx, rows: readonly StagedFields[]): Promise<void> {
  if (rows.length === 0) return;
  const [
    seqs,
    titles,
    ruleIds,
    vulnerabilityIds,
    cwes,
    cvssV3Vectors,
    cvssV3Scores,
    cvssV4Vectors,
    cvssV4Scores,
    packageNames,
    packageVersions,
    purls,
    descriptions,
    remediations,
    references,
  ] = toStageColumns(rows);
  // Sent batch after batch with the same text: prepared, it is parsed and planned once per
  // connection (and again after the stage is created anew by the next import).
  const statement = sql`
    INSERT INTO scan_import_stage
    SELECT r.seq, r.title, r.rule_id, r.vulnerability_ids::text[], r.cwes::integer[],
           r.cvss_v3_vector, r.cvss_v3_score, r.cvss_v4_vector, r.cvss_v4_score, r.package_name,
           r.package_version, r.purl, r.description, r.remediation, r."references"::text[]
      FROM unnest(
        ${seqs}::integer[], ${titles}::text[], ${ruleIds}::text[], ${vulnerabilityIds}::text[],
        ${cwes}::text[], ${cvssV3Vectors}::text[], ${cvssV3Scores}::numeric[],
        ${cvssV4Vectors}::text[], ${cvssV4Scores}::numeric[], ${packageNames}::text[],
        ${packageVersions}::text[], ${purls}::text[], ${descriptions}::text[],
        ${remediations}::text[], ${references}::text[])
        AS r(seq, title, rule_id, vulnerability_ids, cwes, cvss_v3_vector, cvss_v3_score,
             cvss_v4_vector, cvss_v4_score, package_name, package_version, purl, description,
             remediation, "references")`;
  await executePrepared(tx, statement.compile(tx));
}

/**
 * Index the staged fields by position, so joining a batch of new findings to them is an index
 * lookup per row rather than a scan per batch (the index is unique, so the planner needs no
 * statistics of the stage to choose it). Done once the report is read (one sort instead of an
 * index kept up to date row by row), and only when some findings are new: a re-import that
 * matches everything never reads the stage.
 */
export async function indexStage(tx: Tx): Promise<void> {
  await sql`CREATE UNIQUE INDEX ON scan_import_stage (seq)`.execute(tx);
}

/** The staged titles of findings, by the position of their first result. */
export async function readStagedTitles(
  tx: Tx,
  seqs: readonly number[],
): Promise<Map<number, string>> {
  const titles = new Map<number, string>();
  if (seqs.length === 0) return titles;
  const result = await sql<{ seq: number; title: string }>`
    SELECT seq, title FROM scan_import_stage WHERE seq = ANY (${seqs}::integer[])`.execute(tx);
  for (const row of result.rows) titles.set(row.seq, row.title);
  return titles;
}

/**
 * The columns of new findings as array literals, in `insertFindings`' parameter order: what
 * merging decided, joined in the statement to the staged fields by position.
 */
export function toInsertColumns(rows: readonly NewFinding[]): string[] {
  const texts = (pick: (row: NewFinding) => string | null | undefined) =>
    toArrayLiteralOf(rows, pick);
  // Ids, digests (base64url) and enum values hold no character an array literal must escape.
  const plain = (pick: (row: NewFinding) => string | null | undefined) =>
    toPlainArrayLiteralOf(rows, pick);
  return [
    plain((r) => r.id),
    plain((r) => r.canonicalId),
    toNumberArrayLiteral(rows.map((r) => r.finding.seq)),
    texts((r) => r.finding.tool),
    texts((r) => r.finding.identityKey),
    plain((r) => r.finding.severity),
    toNumberArrayLiteral(rows.map((r) => r.finding.occurrences)),
    plain((r) => r.finding.arrivalState),
    texts((r) => r.finding.arrivalReason),
    texts((r) => r.finding.dependencyKey),
    plain((r) => r.digest),
    texts((r) => r.finding.locationsJson),
    plain((r) => r.finding.category),
    texts((r) => r.finding.fixVersion),
    toBooleanArrayLiteral(rows.map((r) => r.finding.isFixAvailable)),
  ];
}

/** JSON of a known finding's report-side fields as `updateChangedFindings` reads it. */
export function toChangeJson(id: string, finding: MergedFinding, digest: string): string {
  const head = JSON.stringify({
    id,
    fix_version: finding.fixVersion,
    is_fix_available: finding.isFixAvailable,
    occurrences: finding.occurrences,
    digest,
  });
  return `${head.slice(0, -1)},"locations":${finding.locationsJson}}`;
}

function slaJson(ctx: ImportContext): string {
  return JSON.stringify(ctx.slaDays);
}

/** A known finding of the asset, as the comparison with a report needs it. */
export interface KnownFinding {
  id: string;
  tool: string;
  identity_key: string;
  state: string;
  report_digest: string | null;
  is_stale: boolean;
}

/**
 * The asset's findings of these tools, in batches in the order of their identity (the unique
 * index), after `after`. `is_stale`: last seen before today.
 */
export async function readKnownFindings(
  tx: Tx,
  ctx: Pick<ImportContext, 'assetId' | 'tools' | 'dayStart'>,
  after: FindingKey | null,
  limit: number,
): Promise<KnownFinding[]> {
  const position =
    after === null
      ? sql``
      : sql`AND (f.tool, f.identity_key) > (${after.tool}::text, ${after.identityKey}::text)`;
  const result = await sql<KnownFinding>`
    SELECT f.id, f.tool, f.identity_key, f.state, f.report_digest,
           f.last_seen_at < ${ctx.dayStart} AS is_stale
      FROM findings f
     WHERE f.asset_id = ${ctx.assetId} AND f.tool = ANY (${ctx.tools}::text[]) ${position}
     ORDER BY f.tool, f.identity_key
     LIMIT ${limit}`.execute(tx);
  return result.rows;
}

/**
 * Insert new findings (with their ids and canonical links decided by the caller, their other
 * fields from the staging table), each column of the batch one array, in the state the report
 * gives them (a suppression or VEX statement arrives as its state, with an `arrived` event) and
 * with their due date. Returns how many.
 */
export async function insertFindings(
  tx: Tx,
  ctx: ImportContext,
  rows: readonly NewFinding[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const [
    ids,
    canonicalIds,
    seqs,
    tools,
    identityKeys,
    severities,
    occurrences,
    arrivalStates,
    arrivalReasons,
    dependencyKeys,
    digests,
    locations,
    categories,
    fixVersions,
    fixAvailable,
  ] = toInsertColumns(rows);
  // Prepared like the staging statement: the same text for every batch.
  const statement = sql<{ created: string }>`
    WITH sla AS (
      SELECT * FROM jsonb_to_recordset(${slaJson(ctx)}::jsonb)
        AS d(severity text, is_kev boolean, days integer)
    ), r AS (
      SELECT * FROM unnest(
        ${ids}::uuid[], ${canonicalIds}::uuid[], ${seqs}::integer[], ${tools}::text[],
        ${identityKeys}::text[], ${severities}::text[], ${occurrences}::integer[],
        ${arrivalStates}::text[], ${arrivalReasons}::text[], ${dependencyKeys}::text[],
        ${digests}::text[], ${locations}::jsonb[], ${categories}::text[],
        ${fixVersions}::text[], ${fixAvailable}::boolean[])
        AS r(id, canonical_id, seq, tool, identity_key, severity, occurrences, arrival_state,
             arrival_reason, dependency_key, digest, locations, category, fix_version,
             is_fix_available)
    ), x AS (
      SELECT r.*, s.title, s.rule_id, s.vulnerability_ids, s.cwes, s.cvss_v3_vector,
             s.cvss_v3_score, s.cvss_v4_vector, s.cvss_v4_score, s.package_name,
             s.package_version, s.purl, s.description, s.remediation, s."references",
             EXISTS (SELECT 1 FROM kev_entries k
                      WHERE k.cve_id = ANY (s.vulnerability_ids)) AS is_kev
        FROM r JOIN scan_import_stage s ON s.seq = r.seq
    ), inserted AS (
      INSERT INTO findings (
        id, org_id, asset_id, tool, identity_version, identity_key, category, title, severity,
        rule_id, vulnerability_ids, cwes, cvss_v3_vector, cvss_v3_score, cvss_v4_vector,
        cvss_v4_score, package_name, package_version, purl, fix_version, is_fix_available,
        description, remediation, "references", locations, occurrences, report_digest, state,
        state_reason, state_changed_at, first_seen_at, last_seen_at, sla_started_at, due_at,
        fixed_at, canonical_id, dependency_key, is_kev, first_import_id, last_import_id,
        created_at, updated_at, pentest_id, retest_status)
      SELECT x.id, ${ctx.orgId}::uuid, ${ctx.assetId}::uuid, x.tool, ${ctx.identityVersion}::integer,
             x.identity_key, x.category, x.title, x.severity, x.rule_id,
             x.vulnerability_ids, x.cwes, x.cvss_v3_vector,
             x.cvss_v3_score, x.cvss_v4_vector, x.cvss_v4_score, x.package_name,
             x.package_version, x.purl, x.fix_version, x.is_fix_available, x.description,
             x.remediation, x."references", coalesce(x.locations, '[]'),
             x.occurrences, x.digest, x.arrival_state,
             CASE WHEN x.arrival_state <> 'open'
                  THEN coalesce(x.arrival_reason, 'marked ' || replace(x.arrival_state, '_', ' ') || ' in the ' || x.tool || ' report')
             END,
             ${ctx.now}::timestamptz, ${ctx.now}::timestamptz, ${ctx.now}::timestamptz,
             ${ctx.now}::timestamptz, ${ctx.now}::timestamptz + d.days * interval '1 day',
             CASE WHEN x.arrival_state = 'fixed' THEN ${ctx.now}::timestamptz END,
             x.canonical_id,
             x.dependency_key, x.is_kev, ${ctx.importId}::uuid, ${ctx.importId}::uuid,
             ${ctx.now}::timestamptz, ${ctx.now}::timestamptz, ${ctx.pentestId}::uuid,
             CASE WHEN ${ctx.pentestId}::uuid IS NOT NULL THEN 'not_retested' END
        FROM x LEFT JOIN sla d ON d.severity = x.severity AND d.is_kev = x.is_kev
       ORDER BY x.seq
      RETURNING id, state, state_reason
    ), events AS (
      INSERT INTO finding_events (org_id, finding_id, at, actor, actor_user_id, kind, from_state,
                                  to_state, reason, import_id)
      SELECT ${ctx.orgId}::uuid, i.id, ${ctx.now}::timestamptz, ${ctx.actor}::text,
             ${ctx.actorUserId}::uuid, 'arrived', NULL, i.state, i.state_reason,
             ${ctx.importId}::uuid
        FROM inserted i WHERE i.state <> 'open'
    )
    SELECT count(*) AS created FROM inserted`;
  const result = await executePrepared(tx, statement.compile(tx));
  return Number(result.rows[0]?.created ?? 0);
}

/**
 * The canonical finding (the earliest not linked to another) of each dependency key on the asset.
 * One statement per call, so whatever plan the statistics suggest, the work stays linear.
 */
export async function findCanonicalRoots(
  tx: Tx,
  assetId: string,
  dependencyKeys: readonly string[],
): Promise<Map<string, string>> {
  const roots = new Map<string, string>();
  if (dependencyKeys.length === 0) return roots;
  const result = await sql<{ dependency_key: string; id: string }>`
    SELECT DISTINCT ON (f.dependency_key) f.dependency_key, f.id
      FROM findings f
     WHERE f.asset_id = ${assetId} AND f.dependency_key = ANY (${dependencyKeys}::text[])
       AND f.canonical_id IS NULL
     ORDER BY f.dependency_key, f.created_at, f.id`.execute(tx);
  for (const row of result.rows) roots.set(row.dependency_key, row.id);
  return roots;
}

/**
 * Write the report-side fields (fix version and availability, locations, occurrences) of known
 * findings whose digest changed; nothing else of a known finding is overwritten. Returns how many.
 */
export async function updateChangedFindings(
  tx: Tx,
  ctx: ImportContext,
  rows: readonly string[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await sql`
    UPDATE findings f
       SET fix_version = x.fix_version, is_fix_available = x.is_fix_available,
           locations = coalesce(x.locations, '[]'), occurrences = x.occurrences,
           report_digest = x.digest, last_seen_at = ${ctx.now}, updated_at = ${ctx.now},
           last_import_id = ${ctx.importId}
      FROM jsonb_to_recordset(${`[${rows.join(',')}]`}::jsonb) AS x(
             id uuid, fix_version text, is_fix_available boolean, occurrences integer,
             digest text, locations jsonb)
     WHERE f.id = x.id`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Reopen fixed findings the report shows again (open in it): their SLA clock keeps its original
 * start unless the policy restarts it. Returns how many.
 */
export async function reactivateFindings(
  tx: Tx,
  ctx: ImportContext,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await sql<{ reactivated: string }>`
    WITH sla AS (
      SELECT * FROM jsonb_to_recordset(${slaJson(ctx)}::jsonb)
        AS d(severity text, is_kev boolean, days integer)
    ), reopened AS (
      UPDATE findings f
         SET state = 'open', state_reason = NULL, state_changed_at = ${ctx.now}, fixed_at = NULL,
             last_seen_at = ${ctx.now}, updated_at = ${ctx.now}, last_import_id = ${ctx.importId},
             sla_started_at = CASE WHEN ${ctx.restartOnReopen}::boolean THEN ${ctx.now}::timestamptz
                                   ELSE f.sla_started_at END,
             due_at = CASE WHEN ${ctx.restartOnReopen}::boolean
                           THEN ${ctx.now}::timestamptz + (SELECT d.days FROM sla d
                                 WHERE d.severity = f.severity AND d.is_kev = f.is_kev) * interval '1 day'
                           ELSE f.due_at END
       WHERE f.id = ANY (${ids}::uuid[]) AND f.state = 'fixed'
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

/** A known finding the report triages differently: its state before, the report's, and why. */
export interface TriageChange {
  id: string;
  before: string;
  to: string;
  reason: string;
}

/**
 * Apply the report's own triage to known findings that are open or fixed: a result now suppressed,
 * stated not affected (VEX) or marked fixed takes that state, with an event. Returns how many.
 */
export async function applyReportTriage(
  tx: Tx,
  ctx: ImportContext,
  changes: readonly TriageChange[],
): Promise<number> {
  if (changes.length === 0) return 0;
  const result = await sql<{ changed: string }>`
    WITH c AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(changes)}::jsonb)
        AS c(id uuid, before text, "to" text, reason text)
    ), changed AS (
      UPDATE findings f
         SET state = c."to", state_reason = c.reason, state_changed_at = ${ctx.now},
             fixed_at = CASE WHEN c."to" = 'fixed' THEN ${ctx.now}::timestamptz END,
             updated_at = ${ctx.now}, last_import_id = ${ctx.importId}
        FROM c
       WHERE f.id = c.id AND f.state = c.before
      RETURNING f.id, c.before, f.state, f.state_reason
    ), events AS (
      INSERT INTO finding_events (org_id, finding_id, at, actor, actor_user_id, kind, from_state,
                                  to_state, reason, import_id)
      SELECT ${ctx.orgId}::uuid, c.id, ${ctx.now}::timestamptz, ${ctx.actor}::text,
             ${ctx.actorUserId}::uuid, 'triaged_by_report', c.before, c.state, c.state_reason,
             ${ctx.importId}::uuid
        FROM changed c
    )
    SELECT count(*) AS changed FROM changed`.execute(tx);
  return Number(result.rows[0]?.changed ?? 0);
}

/**
 * Mark known findings of the report as seen today. Last seen is kept to the day, so only the first
 * import of a day writes it; an identical re-import the same day writes nothing.
 */
export async function touchLastSeen(
  tx: Tx,
  ctx: ImportContext,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    UPDATE findings SET last_seen_at = ${ctx.now}
     WHERE id = ANY (${ids}::uuid[]) AND last_seen_at < ${ctx.dayStart}`.execute(tx);
}

/** Close as fixed open findings the report no longer contains, with an event. Returns how many. */
export async function closeMissingFindings(
  tx: Tx,
  ctx: ImportContext,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await sql<{ closed: string }>`
    WITH closed AS (
      UPDATE findings f
         SET state = 'fixed', state_reason = 'no longer in the report',
             state_changed_at = ${ctx.now}, fixed_at = ${ctx.now}, updated_at = ${ctx.now},
             last_import_id = ${ctx.importId}
       WHERE f.id = ANY (${ids}::uuid[]) AND f.state = 'open'
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

/**
 * Link known findings seen again by a penetration test's report to that test (those already
 * linked to another test keep their link). Returns how many.
 */
export async function linkFindingsToPentest(
  tx: Tx,
  ctx: ImportContext,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0 || ctx.pentestId === null) return 0;
  const result = await sql`
    UPDATE findings
       SET pentest_id = ${ctx.pentestId}::uuid,
           retest_status = coalesce(retest_status, 'not_retested'),
           updated_at = ${ctx.now}::timestamptz
     WHERE id = ANY (${ids}::uuid[]) AND pentest_id IS NULL`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}
