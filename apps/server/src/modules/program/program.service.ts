import type {
  Dashboard,
  programSettingsSchema,
  updateProgramSettingsSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { AuditWriter } from '../../platform/audit/audit-writer.ts';
import type { MemoisedRead, OrgReadMemo } from '../../platform/audit/org-read-memo.ts';
import { createUnitOfWork, type UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Db } from '../../platform/db/pools.ts';
import { listOrgIds, systemActor } from '../../platform/jobs/org-sweep-helpers.ts';
import {
  addDays,
  computeReadiness,
  refreshControlStatuses,
  seedDefaultControls,
  todayUtc,
  type ReadinessTally,
  type StatusScope,
} from '../controls/index.ts';
import {
  annexRequirements,
  annexSections,
  defaultControls,
  referenceFrameworks,
  seedBuiltinFramework,
} from '../frameworks/index.ts';
import { promiseStatusCounts, seedDefaultAnnex } from '../promises/index.ts';
import { seedDefaultTasks } from '../tasks/index.ts';
import type { OrgCreatedHook } from '../auth/index.ts';
import * as repo from './program.repo.ts';

type Settings = z.output<typeof programSettingsSchema>;

function toSettings(row: typeof repo.defaultProgramSettings): Settings {
  return {
    evidenceRetentionDays: row.evidence_retention_days,
    taskDueWindowDays: row.task_due_window_days,
    isDigestEnabled: row.is_digest_enabled,
  };
}

/** The org's program settings. */
export async function getSettings(uow: UnitOfWork): Promise<Settings> {
  return toSettings(await uow.read((tx) => repo.findSettings(tx)));
}

/** Change program settings; a changed due window moves task states at once. */
export async function updateSettings(
  uow: UnitOfWork,
  input: z.output<typeof updateProgramSettingsSchema>,
): Promise<Settings> {
  return uow.write(async ({ tx, audit }) => {
    const current = await repo.findSettings(tx);
    const next = {
      evidence_retention_days: input.evidenceRetentionDays ?? current.evidence_retention_days,
      task_due_window_days: input.taskDueWindowDays ?? current.task_due_window_days,
      is_digest_enabled: input.isDigestEnabled ?? current.is_digest_enabled,
    };
    await repo.upsertSettings(tx, uow.orgId, next);
    await audit({
      action: 'program.settings_updated',
      targetType: 'org',
      targetId: uow.orgId,
      changes: { before: toSettings(current), after: toSettings(next) },
    });
    return toSettings(next);
  });
}

/**
 * Give a new org its program: the built-in framework, the default controls with their checks
 * and evidence tasks, the default annex pre-mapped to them, default settings, and a first
 * status of every control.
 */
export async function seedProgram(
  scope: StatusScope,
  orgId: string,
  ownerId: string | null,
  today = todayUtc(),
): Promise<void> {
  const { tx } = scope;
  const requirementIds = await seedBuiltinFramework(tx, orgId);
  const controlIds = await seedDefaultControls(tx, orgId, requirementIds, ownerId);
  await seedDefaultTasks(tx, orgId, controlIds, ownerId, today);
  const controlsByRequirement = new Map<string, string[]>();
  for (const control of defaultControls) {
    const id = controlIds.get(control.ref);
    if (id === undefined) continue;
    for (const ref of control.requirementRefs) {
      controlsByRequirement.set(ref, [...(controlsByRequirement.get(ref) ?? []), id]);
    }
  }
  await seedDefaultAnnex(tx, orgId, controlsByRequirement);
  await repo.upsertSettings(tx, orgId, repo.defaultProgramSettings);
  await refreshControlStatuses(scope, orgId, 'all', { today });
  await scope.audit({
    action: 'program.seeded',
    targetType: 'org',
    targetId: orgId,
    changes: {
      requirements: annexRequirements.length,
      controls: controlIds.size,
      promises: annexRequirements.length,
    },
  });
}

/** The setup hook: a new org gets its program in the transaction that creates it. */
export const seedNewOrgProgram: OrgCreatedHook = (scope, org) =>
  seedProgram(scope, org.id, org.ownerId);

const stewardActor = systemActor('steward');

/** Seed the program of orgs created before it existed; runs at start-up, once per such org. */
export async function ensureProgramSeeded(deps: {
  owner: Db;
  db: Db;
  auditWriter: AuditWriter;
}): Promise<number> {
  const orgs = await repo.findOrgsWithoutProgram(deps.owner);
  for (const org of orgs) {
    const uow = createUnitOfWork({
      db: deps.db,
      auditWriter: deps.auditWriter,
      orgId: org.id,
      actor: stewardActor,
    });
    await uow.write((scope) => seedProgram(scope, org.id, org.owner_id));
  }
  return orgs.length;
}

/**
 * Record every org's status for the day: recompute each control (audited when it changes) and
 * store the day's status and readiness for trends and "as of" views.
 */
export async function recordDailyStatus(
  deps: { db: Db; auditWriter: AuditWriter },
  today = todayUtc(),
): Promise<void> {
  for (const orgId of await listOrgIds(deps.db)) {
    const uow = createUnitOfWork({
      db: deps.db,
      auditWriter: deps.auditWriter,
      orgId,
      actor: stewardActor,
    });
    await uow.write(async (scope) => {
      const changes = await refreshControlStatuses(scope, orgId, 'all', { today });
      const overall = (await computeReadiness(scope.tx)).get('overall') ?? { passing: 0, total: 0 };
      await scope.audit({
        action: 'program.status_recorded',
        targetType: 'org',
        targetId: orgId,
        changes: { day: today, changed: changes.length, ...overall },
      });
    });
  }
}

function readinessOf(tally: ReadinessTally, scope: string) {
  const t = tally.get(scope) ?? { passing: 0, total: 0 };
  return {
    ...t,
    percent: t.total === 0 ? 0 : Math.round((t.passing / t.total) * 1000) / 10,
  };
}

/**
 * The readiness dashboard: live readiness per scope, the trend, what needs attention, tasks.
 * Reused from `memo` until the org next changes (or the day turns); no value when `ifNoneMatch`
 * names the current one.
 */
export async function getDashboard(
  uow: UnitOfWork,
  query: { trendDays: number },
  memo: OrgReadMemo<Dashboard>,
  ifNoneMatch?: string,
): Promise<MemoisedRead<Dashboard>> {
  const today = todayUtc();
  const key = `dashboard ${today} ${String(query.trendDays)}`;
  return memo.read(uow, key, ifNoneMatch, async (tx) => {
    const [recorded, trend, statuses, attention, tasks, frameworks, promises] = await Promise.all([
      repo.findReadinessOfDay(tx, today),
      repo.findTrend(tx, addDays(today, -(query.trendDays - 1))),
      repo.countStatuses(tx),
      repo.findAttention(tx, 50),
      repo.findUpcomingTasks(tx, 10),
      repo.findFrameworkNames(tx),
      promiseStatusCounts(tx),
    ]);
    // Every change that moves a status or a scope records today's roll-up in its transaction, so
    // the stored figures are current; before the day's first change they are computed live.
    const tally: ReadinessTally = recorded.some((r) => r.scope === 'overall')
      ? new Map(recorded.map((r) => [r.scope, { passing: r.passing, total: r.total }]))
      : await computeReadiness(tx);
    const statusCounts = { passing: 0, failing: 0, due: 0, not_proved: 0 };
    for (const row of statuses) {
      statusCounts[row.status as keyof typeof statusCounts] = Number(row.count);
    }
    const overall = readinessOf(tally, 'overall');
    const points = trend.map((p) => ({ day: p.day, passing: p.passing, total: p.total }));
    // Today's point is live, so the chart always ends where the headline figure is.
    const live = { day: today, passing: overall.passing, total: overall.total };
    const last = points.at(-1);
    if (last?.day === today) points[points.length - 1] = live;
    else points.push(live);
    return {
      generatedAt: new Date().toISOString(),
      overall,
      bySection: annexSections.map((s) => ({
        section: s.number,
        title: s.title,
        readiness: readinessOf(tally, `section:${String(s.number)}`),
      })),
      byFramework: frameworks.map((f) => ({
        id: f.id,
        name: f.name,
        readiness: readinessOf(tally, `framework:${f.id}`),
      })),
      byReference: (['soc2', 'iso27001', 'csf2'] as const).map((key) => ({
        framework: key,
        name: referenceFrameworks[key].name,
        readiness: readinessOf(tally, `reference:${key}`),
      })),
      statusCounts,
      trend: points,
      attention: attention.map((c) => ({
        id: c.id,
        ref: c.ref,
        title: c.title,
        status: c.status as 'failing' | 'due',
        statusReason: c.status_reason,
        section: c.section,
        owner:
          c.owner_id && c.owner_name && c.owner_email
            ? { id: c.owner_id, name: c.owner_name, email: c.owner_email }
            : null,
      })),
      upcomingTasks: tasks.map((t) => ({
        id: t.id,
        title: t.title,
        description: t.description,
        control: {
          id: t.control_id,
          ref: t.control_ref,
          title: t.control_title,
          status: t.control_status as Dashboard['attention'][number]['status'],
        },
        owner:
          t.owner_id && t.owner_name && t.owner_email
            ? { id: t.owner_id, name: t.owner_name, email: t.owner_email }
            : null,
        cadenceMonths: t.cadence_months,
        graceDays: t.grace_days,
        nextDueOn: t.next_due_on,
        state: t.state as Dashboard['upcomingTasks'][number]['state'],
        lastCompletedAt: t.last_completed_at?.toISOString() ?? null,
        isActive: t.is_active,
      })),
      promises,
    };
  });
}
