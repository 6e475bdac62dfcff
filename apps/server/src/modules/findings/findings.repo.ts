import type { findingQuerySchema } from '@steward/contracts';
import { dueSoonDays } from '@steward/contracts';
import { sql, type SqlBool } from 'kysely';
import type { z } from 'zod';
import type { Tx } from '../../platform/db/pools.ts';
import { cursorTimestampSql, type KeysetCursor } from './keyset.ts';

/** Filters of the findings list. */
export type FindingFilters = Omit<z.output<typeof findingQuerySchema>, 'cursor' | 'limit'>;

const listColumns = [
  'f.id',
  'f.asset_id',
  'a.name as asset_name',
  'f.tool',
  'f.category',
  'f.title',
  'f.severity',
  'f.state',
  'f.rule_id',
  'f.vulnerability_ids',
  'f.package_name',
  'f.package_version',
  'f.fix_version',
  'f.is_fix_available',
  'f.cvss_v3_score',
  'f.cvss_v4_score',
  'f.is_kev',
  'f.occurrences',
  'f.first_seen_at',
  'f.last_seen_at',
  'f.due_at',
  'f.canonical_id',
  'f.created_at',
  'f.updated_at',
] as const;

/** A finding as listed, with its list position. */
export interface FindingListRow {
  id: string;
  asset_id: string;
  asset_name: string;
  tool: string;
  category: string;
  title: string;
  severity: string;
  state: string;
  rule_id: string | null;
  vulnerability_ids: string[];
  package_name: string | null;
  package_version: string | null;
  fix_version: string | null;
  is_fix_available: boolean | null;
  cvss_v3_score: string | null;
  cvss_v4_score: string | null;
  is_kev: boolean;
  occurrences: number;
  first_seen_at: Date;
  last_seen_at: Date;
  due_at: Date | null;
  canonical_id: string | null;
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
}

// Identifiers of known vulnerability databases: such a query is matched against ids exactly.
const vulnerabilityIdPattern =
  /^(CVE-\d{4}-\d+|GHSA(-[a-z0-9]{4}){3}|[A-Z][A-Z0-9]*-[A-Z0-9]+(-[A-Z0-9]+)*)$/i;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The findings query with every filter applied (text through its candidates), newest first. */
function selectFiltered(
  tx: Tx,
  filters: FindingFilters,
  now: Date,
  candidateIds: readonly string[] | null,
) {
  let query = tx
    .selectFrom('findings as f')
    .innerJoin('assets as a', 'a.id', 'f.asset_id')
    .select(listColumns)
    .select(sql<string>`${sql.raw(cursorTimestampSql('f.created_at'))}`.as('cursor_at'));
  if (filters.assetId !== undefined) query = query.where('f.asset_id', '=', filters.assetId);
  if (filters.severity !== undefined && filters.severity.length > 0) {
    query = query.where('f.severity', 'in', filters.severity);
  }
  if (filters.state !== undefined && filters.state.length > 0) {
    query = query.where('f.state', 'in', filters.state);
  }
  if (filters.tool !== undefined) query = query.where('f.tool', '=', filters.tool);
  if (filters.category !== undefined) query = query.where('f.category', '=', filters.category);
  if (filters.isKev !== undefined) query = query.where('f.is_kev', '=', filters.isKev);
  if (!filters.includeDuplicates) query = query.where('f.canonical_id', 'is', null);
  if (filters.sla !== undefined) {
    const soon = new Date(now.getTime() + dueSoonDays * 86_400_000);
    query = query.where('f.state', '=', 'open');
    if (filters.sla === 'breached') query = query.where('f.due_at', '<', now);
    else if (filters.sla === 'due_soon') {
      query = query.where('f.due_at', '>=', now).where('f.due_at', '<', soon);
    } else query = query.where('f.due_at', '>=', soon);
  }
  if (candidateIds !== null) query = query.where('f.id', 'in', candidateIds);
  return query.orderBy('f.created_at', 'desc').orderBy('f.id', 'desc');
}

/** Text matches examined per page: enough for any page, bounded for a common word. */
export const textCandidateLimit = 2000;

/** Whether the list is filtered by more than its text (the text matches then need checking). */
function hasFiltersBesideText(filters: FindingFilters): boolean {
  return (
    filters.assetId !== undefined ||
    (filters.severity !== undefined && filters.severity.length > 0) ||
    (filters.state !== undefined && filters.state.length > 0) ||
    filters.tool !== undefined ||
    filters.category !== undefined ||
    filters.isKev !== undefined ||
    filters.sla !== undefined ||
    !filters.includeDuplicates
  );
}

/** A page of findings, and where to resume when a text search examined only part of its matches. */
export interface FindingsPage {
  /** Up to `limit + 1` rows (one more than `limit` tells there is a next page). */
  rows: FindingListRow[];
  /** Set when the text matches examined ran out before the page filled: continue from here. */
  resumeAfter: KeysetCursor | null;
}

/**
 * A page of findings after `cursor`. A text query is answered through `findings_matching` (its
 * newest `textCandidateLimit` matches after the cursor), and the other filters apply to those.
 */
export async function findFindingsPage(
  tx: Tx,
  filters: FindingFilters,
  cursor: KeysetCursor | null,
  limit: number,
  now: Date,
): Promise<FindingsPage> {
  let candidates: { id: string; cursor_at: string }[] | null = null;
  let candidateLimit = textCandidateLimit;
  if (filters.q !== undefined) {
    const q = filters.q;
    const ids = vulnerabilityIdPattern.test(q) ? [q, q.toUpperCase()] : [];
    // Every match is listed when nothing else filters them: one page of matches is enough.
    candidateLimit = hasFiltersBesideText(filters) ? textCandidateLimit : limit + 1;
    const result = await sql<{ id: string; cursor_at: string }>`
      SELECT id, cursor_at FROM findings_matching(${`%${escapeLike(q)}%`}, ${ids}::text[],
        ${cursor?.at ?? null}::timestamptz, ${cursor?.id ?? null}::uuid, ${candidateLimit})`.execute(
      tx,
    );
    candidates = result.rows;
    if (candidates.length === 0) return { rows: [], resumeAfter: null };
  }
  let query = selectFiltered(
    tx,
    filters,
    now,
    candidates === null ? null : candidates.map((c) => c.id),
  );
  if (cursor !== null) {
    query = query.where(
      sql<SqlBool>`(f.created_at, f.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`,
    );
  }
  const rows = await query.limit(limit + 1).execute();
  const lastCandidate = candidates?.at(-1);
  const isCut = candidates !== null && candidates.length >= candidateLimit;
  return {
    rows,
    resumeAfter:
      isCut && rows.length <= limit && lastCandidate !== undefined
        ? { at: lastCandidate.cursor_at, id: lastCandidate.id }
        : null,
  };
}

/** Everything stored about one finding. */
export async function findFinding(tx: Tx, id: string, options: { forUpdate?: boolean } = {}) {
  let query = tx
    .selectFrom('findings as f')
    .innerJoin('assets as a', 'a.id', 'f.asset_id')
    .selectAll('f')
    .select(['a.name as asset_name', 'a.environment', 'a.criticality'])
    .where('f.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('f');
  return query.executeTakeFirst();
}

/** A finding with its asset, as read by `findFinding`. */
export type FindingRow = NonNullable<Awaited<ReturnType<typeof findFinding>>>;

/** A finding's history, oldest first. */
export async function findFindingEvents(tx: Tx, findingId: string) {
  return tx
    .selectFrom('finding_events')
    .selectAll()
    .where('finding_id', '=', findingId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** Who made the import that first found a finding. */
export async function findImporter(
  tx: Tx,
  importId: string,
): Promise<{ imported_by: string; imported_by_user_id: string | null } | undefined> {
  return tx
    .selectFrom('scan_imports')
    .select(['imported_by', 'imported_by_user_id'])
    .where('id', '=', importId)
    .executeTakeFirst();
}

/** The findings linked to a canonical one (or the canonical itself), by id. */
export async function findLinkedFindings(
  tx: Tx,
  finding: { id: string; canonical_id: string | null },
): Promise<{
  canonical: { id: string; tool: string; state: string } | undefined;
  duplicates: { id: string; tool: string; state: string }[];
}> {
  const canonical =
    finding.canonical_id === null
      ? undefined
      : await tx
          .selectFrom('findings')
          .select(['id', 'tool', 'state'])
          .where('id', '=', finding.canonical_id)
          .executeTakeFirst();
  const duplicates = await tx
    .selectFrom('findings')
    .select(['id', 'tool', 'state'])
    .where('canonical_id', '=', finding.id)
    .orderBy('created_at')
    .execute();
  return { canonical, duplicates };
}

/** The state change of one finding. */
export interface StateChange {
  to: string;
  reason: string;
  now: Date;
  /** Restart the SLA clock (reopening when the policy says so, or an expired acceptance). */
  restartClockDays?: number | null | undefined;
}

/** Move a finding to another state, keeping when, why, and the fix time consistent. */
export async function updateFindingState(tx: Tx, id: string, change: StateChange): Promise<void> {
  const restart = change.restartClockDays;
  await tx
    .updateTable('findings')
    .set({
      state: change.to,
      state_reason: change.reason,
      state_changed_at: change.now,
      fixed_at: change.to === 'fixed' ? change.now : null,
      updated_at: change.now,
      ...(restart === undefined
        ? {}
        : {
            sla_started_at: change.now,
            due_at: restart === null ? null : new Date(change.now.getTime() + restart * 86_400_000),
          }),
    })
    .where('id', '=', id)
    .execute();
}

/** An entry of a finding's history. */
export interface NewFindingEvent {
  orgId: string;
  findingId: string;
  at: Date;
  actor: string;
  actorUserId: string | null;
  kind: string;
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  importId?: string | null;
}

/** Append to a finding's history. */
export async function insertFindingEvent(tx: Tx, event: NewFindingEvent): Promise<void> {
  await tx
    .insertInto('finding_events')
    .values({
      org_id: event.orgId,
      finding_id: event.findingId,
      at: event.at,
      actor: event.actor,
      actor_user_id: event.actorUserId,
      kind: event.kind,
      from_state: event.fromState,
      to_state: event.toState,
      reason: event.reason,
      import_id: event.importId ?? null,
    })
    .execute();
}

/** Past imports, newest first, after `cursor`. */
export async function findScanImports(
  tx: Tx,
  filters: { assetId?: string | undefined; status?: 'completed' | 'failed' | undefined },
  cursor: KeysetCursor | null,
  limit: number,
) {
  let query = tx
    .selectFrom('scan_imports as si')
    .innerJoin('assets as a', 'a.id', 'si.asset_id')
    .selectAll('si')
    .select('a.name as asset_name')
    .select(sql<string>`${sql.raw(cursorTimestampSql('si.finished_at'))}`.as('cursor_at'))
    .orderBy('si.finished_at', 'desc')
    .orderBy('si.id', 'desc')
    .limit(limit + 1);
  if (filters.assetId !== undefined) query = query.where('si.asset_id', '=', filters.assetId);
  if (filters.status !== undefined) query = query.where('si.status', '=', filters.status);
  if (cursor !== null) {
    query = query.where(
      sql<SqlBool>`(si.finished_at, si.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`,
    );
  }
  return query.execute();
}

/** A dependency finding of an asset as its VEX document states it, with its list position. */
export async function findVexPage(
  tx: Tx,
  assetId: string,
  cursor: KeysetCursor | null,
  limit: number,
) {
  let query = tx
    .selectFrom('findings as f')
    .select([
      'f.id',
      'f.tool',
      'f.title',
      'f.severity',
      'f.state',
      'f.state_reason',
      'f.state_changed_at',
      'f.vulnerability_ids',
      'f.cwes',
      'f.cvss_v3_vector',
      'f.cvss_v3_score',
      'f.cvss_v4_vector',
      'f.cvss_v4_score',
      'f.package_name',
      'f.package_version',
      'f.purl',
      'f.fix_version',
      'f.description',
      'f.references',
      'f.created_at',
    ])
    .select(sql<string>`${sql.raw(cursorTimestampSql('f.created_at'))}`.as('cursor_at'))
    .where('f.asset_id', '=', assetId)
    .where('f.canonical_id', 'is', null)
    .where(sql<SqlBool>`cardinality(f.vulnerability_ids) > 0`)
    .where((eb) => eb.or([eb('f.purl', 'is not', null), eb('f.package_name', 'is not', null)]))
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id', 'desc')
    .limit(limit);
  if (cursor !== null) {
    query = query.where(
      sql<SqlBool>`(f.created_at, f.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`,
    );
  }
  return query.execute();
}

/** A row of `findVexPage`. */
export type VexRow = Awaited<ReturnType<typeof findVexPage>>[number];
