import type { ControlStatus } from '@steward/contracts';
import type { WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import {
  deriveControlStatus,
  todayUtc,
  type CheckProof,
  type ProofInput,
  type TaskProof,
} from './control-status.ts';
import * as repo from './control-status.repo.ts';

/** A control whose status changed in a refresh. */
export interface StatusChange {
  controlId: string;
  ref: string;
  from: ControlStatus;
  to: ControlStatus;
  reason: string;
}

/** What a refresh needs from the surrounding write: its transaction and its audit log. */
export type StatusScope = Pick<WriteScope, 'tx' | 'audit'>;

/**
 * Recompute the status of controls (or all of the org's) from their proofs as of `today`, store
 * it, record the day's status and readiness, and audit every change of status. Call it in the
 * transaction of any write that changes what proves a control.
 */
export async function refreshControlStatuses(
  scope: StatusScope,
  orgId: string,
  controlIds: readonly string[] | 'all',
  options: { today?: string } = {},
): Promise<StatusChange[]> {
  const today = options.today ?? todayUtc();
  const { tx } = scope;
  const ids = controlIds === 'all' ? 'all' : [...new Set(controlIds)];
  const controls = await repo.findControlsForStatus(tx, ids);
  if (controls.length === 0) return [];
  const proofs = await collectProofs(tx, ids, today);
  const changes: StatusChange[] = [];
  const days: { controlId: string; status: string; reason: string }[] = [];
  for (const control of controls) {
    const { status, reason } = deriveControlStatus(
      proofs.get(control.id) ?? { checks: [], tasks: [], directEvidenceUntil: null },
      today,
    );
    days.push({ controlId: control.id, status, reason });
    const isStatusChange = status !== control.status;
    if (!isStatusChange && reason === control.status_reason) continue;
    await repo.updateControlStatus(tx, control.id, { status, reason, isStatusChange });
    if (isStatusChange) {
      const change: StatusChange = {
        controlId: control.id,
        ref: control.ref,
        from: control.status as ControlStatus,
        to: status,
        reason,
      };
      changes.push(change);
      await scope.audit({
        action: 'control.status_changed',
        targetType: 'control',
        targetId: control.id,
        changes: { ref: control.ref, from: change.from, to: status, reason },
      });
    }
  }
  await repo.upsertStatusDays(tx, orgId, today, days);
  await recordReadiness(tx, orgId, today);
  return changes;
}

async function collectProofs(
  tx: Tx,
  ids: readonly string[] | 'all',
  today: string,
): Promise<Map<string, ProofInput>> {
  const [checks, tasks, controlEvidence] = await Promise.all([
    repo.findCheckProofs(tx, ids),
    repo.findTaskProofs(tx, ids, today),
    repo.findControlEvidenceUntil(tx, ids, today),
  ]);
  const byControl = new Map<string, { checks: CheckProof[]; tasks: TaskProof[] }>();
  const entry = (id: string) => {
    let found = byControl.get(id);
    if (!found) {
      found = { checks: [], tasks: [] };
      byControl.set(id, found);
    }
    return found;
  };
  for (const c of checks) {
    entry(c.control_id).checks.push({
      name: c.name,
      latestStatus: c.latest_status,
      latestSummary: c.latest_summary,
      latestObservedAt: c.latest_observed_at,
    });
  }
  for (const t of tasks) {
    const viaControl = controlEvidence.get(t.control_id) ?? null;
    const viaTask = t.evidence_until ?? null;
    entry(t.control_id).tasks.push({
      title: t.title,
      nextDueOn: t.next_due_on,
      graceDays: t.grace_days,
      currentEvidenceUntil: latestDay(viaTask, viaControl),
    });
  }
  const result = new Map<string, ProofInput>();
  const controlIds = new Set([...byControl.keys(), ...controlEvidence.keys()]);
  for (const id of controlIds) {
    const found = byControl.get(id) ?? { checks: [], tasks: [] };
    result.set(id, { ...found, directEvidenceUntil: controlEvidence.get(id) ?? null });
  }
  return result;
}

function latestDay(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

/** Passing and total per readiness scope. */
export type ReadinessTally = Map<string, { passing: number; total: number }>;

/**
 * Roll the org's current statuses up into readiness per scope: `overall`, `section:<n>`,
 * `framework:<id>` (controls mapped to its requirements) and `reference:<key>` (items of a
 * reference framework whose mapped controls all pass, of the items mapped).
 */
export async function computeReadiness(tx: Tx): Promise<ReadinessTally> {
  const [controls, links] = await Promise.all([
    repo.findScopedStatuses(tx),
    repo.findRequirementLinks(tx),
  ]);
  const statusOf = new Map(controls.map((c) => [c.id, c.status]));
  const tally: ReadinessTally = new Map([['overall', { passing: 0, total: 0 }]]);
  const count = (scope: string, isPassing: boolean) => {
    const t = tally.get(scope) ?? { passing: 0, total: 0 };
    t.total += 1;
    if (isPassing) t.passing += 1;
    tally.set(scope, t);
  };
  for (const c of controls) {
    count('overall', c.status === 'passing');
    if (c.section !== null) count(`section:${String(c.section)}`, c.status === 'passing');
  }
  const frameworkControls = new Map<string, Set<string>>();
  const referenceControls = new Map<string, Set<string>>();
  for (const link of links) {
    if (!statusOf.has(link.control_id)) continue;
    const set = frameworkControls.get(link.framework_id) ?? new Set<string>();
    set.add(link.control_id);
    frameworkControls.set(link.framework_id, set);
    for (const mapping of link.mappings) {
      const key = `${mapping.framework}|${mapping.id}`;
      const refs = referenceControls.get(key) ?? new Set<string>();
      refs.add(link.control_id);
      referenceControls.set(key, refs);
    }
  }
  for (const [frameworkId, ids] of frameworkControls) {
    for (const id of ids) count(`framework:${frameworkId}`, statusOf.get(id) === 'passing');
  }
  for (const [key, ids] of referenceControls) {
    const framework = key.slice(0, key.indexOf('|'));
    count(
      `reference:${framework}`,
      [...ids].every((id) => statusOf.get(id) === 'passing'),
    );
  }
  return tally;
}

/** Store the org's readiness of a day (see computeReadiness). */
export async function recordReadiness(tx: Tx, orgId: string, day: string): Promise<void> {
  const tally = await computeReadiness(tx);
  await repo.upsertReadinessDays(
    tx,
    orgId,
    day,
    [...tally].map(([scope, t]) => ({ scope, ...t })),
  );
}
