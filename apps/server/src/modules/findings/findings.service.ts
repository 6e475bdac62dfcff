import type {
  Finding,
  FindingDetail,
  FindingState,
  findingQuerySchema,
  scanImportQuerySchema,
  scanImportSchema,
  transitionFindingSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { allowedTransitions, canTransition } from './finding-states.ts';
import * as repo from './findings.repo.ts';
import { decodeCursor, encodeCursor, type KeysetCursor } from './keyset.ts';
import { toRiskAcceptance } from './risk-acceptances.service.ts';
import * as acceptancesRepo from './risk-acceptances.repo.ts';
import type { Importer } from './scan-import.service.ts';
import { findReopenClockDays } from './sla-policy.service.ts';
import { slaStatusOf } from './sla.ts';
import { recordVulnerabilityChecks } from './vulnerability-checks.service.ts';

/** A person acting on findings: kept in their history. */
export type Person = Importer;

function numberOrNull(value: string | null): number | null {
  return value === null ? null : Number(value);
}

/** A listed finding as the API shows it. */
export function toFinding(row: Omit<repo.FindingListRow, 'cursor_at'>, now: Date): Finding {
  return {
    id: row.id,
    assetId: row.asset_id,
    assetName: row.asset_name,
    tool: row.tool,
    category: row.category as Finding['category'],
    title: row.title,
    severity: row.severity as Finding['severity'],
    state: row.state as FindingState,
    ruleId: row.rule_id,
    vulnerabilityIds: row.vulnerability_ids,
    packageName: row.package_name,
    packageVersion: row.package_version,
    fixVersion: row.fix_version,
    isFixAvailable: row.is_fix_available,
    cvssV3Score: numberOrNull(row.cvss_v3_score),
    cvssV4Score: numberOrNull(row.cvss_v4_score),
    isKev: row.is_kev,
    occurrences: row.occurrences,
    firstSeenAt: row.first_seen_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    dueAt: row.due_at?.toISOString() ?? null,
    slaStatus: slaStatusOf(row.state, row.due_at, now),
    canonicalId: row.canonical_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A page of findings matching the filters, newest first. */
export async function listFindings(
  uow: UnitOfWork,
  query: z.output<typeof findingQuerySchema>,
  now: Date = new Date(),
): Promise<{ items: Finding[]; nextCursor: string | null }> {
  const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
  const { rows, resumeAfter } = await uow.read((tx) =>
    repo.findFindingsPage(tx, query, cursor, query.limit, now),
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  let next: KeysetCursor | null = null;
  if (rows.length > query.limit && last) next = { at: last.cursor_at, id: last.id };
  else if (resumeAfter !== null) next = resumeAfter;
  return {
    items: page.map((row) => toFinding(row, now)),
    nextCursor: next === null ? null : encodeCursor(next),
  };
}

function asState(value: string | null): FindingState | null {
  return value as FindingState | null;
}

async function readDetail(tx: Tx, id: string, now: Date): Promise<FindingDetail> {
  const row = await repo.findFinding(tx, id);
  if (!row) throw new AppError('finding.not_found');
  const [events, acceptances, linked, importer] = await Promise.all([
    repo.findFindingEvents(tx, id),
    acceptancesRepo.findRiskAcceptances(tx, { findingId: id }, 100),
    repo.findLinkedFindings(tx, row),
    row.first_import_id === null ? undefined : repo.findImporter(tx, row.first_import_id),
  ]);
  const history: FindingDetail['events'] = events.map((e) => ({
    id: e.id,
    at: e.at.toISOString(),
    actor: { userId: e.actor_user_id, label: e.actor },
    kind: e.kind,
    fromState: asState(e.from_state),
    toState: asState(e.to_state),
    reason: e.reason,
    importId: e.import_id,
  }));
  // Creation is not stored as an event (an import may create 100,000 findings); it is told
  // from the finding itself, unless the finding arrived triaged and says so in its history.
  if (history[0]?.kind !== 'arrived') {
    history.unshift({
      id: 'created',
      at: row.created_at.toISOString(),
      actor: {
        userId: importer?.imported_by_user_id ?? null,
        label: importer?.imported_by ?? 'import',
      },
      kind: 'created',
      fromState: null,
      toState: asState(events.find((e) => e.from_state !== null)?.from_state ?? row.state),
      reason: `found by ${row.tool}`,
      importId: row.first_import_id,
    });
  }
  const state = row.state as FindingState;
  return {
    ...toFinding(row, now),
    identityKey: row.identity_key,
    identityVersion: row.identity_version,
    cwes: row.cwes,
    cvssV3Vector: row.cvss_v3_vector,
    cvssV4Vector: row.cvss_v4_vector,
    purl: row.purl,
    description: row.description,
    remediation: row.remediation,
    references: row.references,
    locations: row.locations as FindingDetail['locations'],
    stateReason: row.state_reason,
    stateChangedAt: row.state_changed_at.toISOString(),
    slaStartedAt: row.sla_started_at.toISOString(),
    fixedAt: row.fixed_at?.toISOString() ?? null,
    dependencyKey: row.dependency_key,
    retestStatus: row.retest_status,
    pentestId: row.pentest_id,
    events: history,
    riskAcceptances: acceptances.map(toRiskAcceptance),
    canonical: linked.canonical
      ? { ...linked.canonical, state: linked.canonical.state as FindingState }
      : null,
    duplicates: linked.duplicates.map((d) => ({ ...d, state: d.state as FindingState })),
    allowedTransitions: allowedTransitions(state),
  };
}

/** A finding with its locations, history, risk acceptances and linked findings. */
export async function getFinding(
  uow: UnitOfWork,
  id: string,
  now: Date = new Date(),
): Promise<FindingDetail> {
  return uow.read((tx) => readDetail(tx, id, now));
}

/**
 * Move a finding to another state as a person: closed as false positive, not affected or fixed,
 * or reopened. Reopening a risk-accepted finding revokes its acceptance; a reopened finding gets
 * a fresh SLA clock when the policy says so. Recorded in the finding's history and audited.
 */
export async function transitionFinding(
  uow: UnitOfWork,
  person: Person,
  id: string,
  input: z.output<typeof transitionFindingSchema>,
  now: Date = new Date(),
): Promise<FindingDetail> {
  return uow.write(async (scope) => {
    const { tx } = scope;
    const row = await repo.findFinding(tx, id, { forUpdate: true });
    if (!row) throw new AppError('finding.not_found');
    const from = row.state as FindingState;
    if (!canTransition(from, input.to, 'person')) {
      const allowed = allowedTransitions(from);
      throw new AppError(
        'finding.transition_invalid',
        `A finding that is ${from.replace('_', ' ')} can move to ${allowed.join(' or ') || 'no other state'}, not ${input.to.replace('_', ' ')}`,
        [{ path: 'to', message: `not allowed from ${from}` }],
      );
    }
    const restartClockDays = input.to === 'open' ? await findReopenClockDays(tx, row) : undefined;
    let revokedAcceptanceId: string | null = null;
    if (from === 'risk_accepted') {
      const acceptance = await acceptancesRepo.findApprovedAcceptance(tx, id);
      if (acceptance) {
        await acceptancesRepo.updateRiskAcceptanceStatus(tx, acceptance.id, { status: 'revoked' });
        revokedAcceptanceId = acceptance.id;
      }
    }
    await repo.updateFindingState(tx, id, {
      to: input.to,
      reason: input.reason,
      now,
      restartClockDays,
    });
    await repo.insertFindingEvent(tx, {
      orgId: uow.orgId,
      findingId: id,
      at: now,
      actor: person.label,
      actorUserId: person.userId,
      kind: 'state_changed',
      fromState: from,
      toState: input.to,
      reason: input.reason,
    });
    await scope.audit({
      action: 'finding.state_changed',
      targetType: 'finding',
      targetId: id,
      changes: {
        from,
        to: input.to,
        reason: input.reason,
        title: row.title,
        asset: row.asset_name,
        ...(revokedAcceptanceId ? { revokedRiskAcceptanceId: revokedAcceptanceId } : {}),
        ...(restartClockDays !== undefined ? { slaRestarted: true } : {}),
      },
    });
    await recordVulnerabilityChecks(scope, uow.orgId, person, now);
    return readDetail(tx, id, now);
  });
}

type ScanImport = z.infer<typeof scanImportSchema>;

/** Import history, newest first. */
export async function listScanImports(
  uow: UnitOfWork,
  query: z.output<typeof scanImportQuerySchema>,
): Promise<{ items: ScanImport[]; nextCursor: string | null }> {
  const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
  const rows = await uow.read((tx) => repo.findScanImports(tx, query, cursor, query.limit));
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      assetId: r.asset_id,
      assetName: r.asset_name,
      tool: r.tool,
      tools: r.tools,
      format: r.format,
      fileName: r.file_name,
      fileSha256: r.file_sha256,
      fileSizeBytes: r.file_size_bytes === null ? null : Number(r.file_size_bytes),
      closeMissing: r.close_missing,
      status: r.status,
      error: r.error,
      results: r.results_count,
      findings: r.findings_count,
      created: r.created_count,
      matched: r.matched_count,
      updated: r.updated_count,
      reactivated: r.reactivated_count,
      closed: r.closed_count,
      errors: r.warnings,
      durationMs: r.duration_ms,
      importedBy: { userId: r.imported_by_user_id, label: r.imported_by },
      startedAt: r.started_at.toISOString(),
      finishedAt: r.finished_at.toISOString(),
    })),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor({ at: last.cursor_at, id: last.id }) : null,
  };
}
