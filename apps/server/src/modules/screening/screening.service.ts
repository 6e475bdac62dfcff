import type {
  ScreeningApplicability,
  ScreeningStatus,
  createScreeningAuditSchema,
  screeningAuditEntrySchema,
  screeningAuditSchema,
  screeningCoverageSchema,
  screeningListSchema,
  screeningQuerySchema,
  screeningRecordSchema,
  screeningSettingsSchema,
  updateScreeningRecordSchema,
  updateScreeningSettingsSchema,
} from '@steward/contracts';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { addMonths, recordCheckResultIn, todayUtc } from '../controls/index.ts';
import {
  recordTaskEvidence,
  type RecordScope,
  type RecordSupplier,
} from '../management-reviews/index.ts';
import {
  decideApplicability,
  isCovered,
  quarterRange,
  type ScreeningRules,
} from './screening-rules.ts';
import * as repo from './screening.repo.ts';

type ScreeningRecord = z.infer<typeof screeningRecordSchema>;
type Coverage = z.infer<typeof screeningCoverageSchema>;
type ScreeningAudit = z.infer<typeof screeningAuditSchema>;
type AuditEntry = z.infer<typeof screeningAuditEntrySchema>;

/** What the screening service needs. */
export interface ScreeningServiceDeps {
  publicUrl: URL;
}

/** The annex check and task screening feeds. */
export const screeningKeys = {
  check: 'people.screening_complete',
  auditTask: 'screening.records_audit',
} as const;

const noRules: ScreeningRules = {
  isRequiredForEveryone: false,
  roleRules: [],
  restrictedCountries: [],
};

function invalid(path: string, message: string): AppError {
  return new AppError('request.invalid', message, [{ path, message }]);
}

function decide(rules: ScreeningRules, row: repo.PersonScreeningRow) {
  return decideApplicability(rules, {
    department: row.department,
    title: row.title,
    employmentType: row.employment_type,
    country: row.country,
    override: row.override as 'applies' | 'not_required' | null,
    overrideReason: row.override_reason ?? '',
  });
}

function toRecord(
  rules: ScreeningRules,
  row: repo.PersonScreeningRow,
  users: Map<string, { id: string; name: string; email: string }>,
): ScreeningRecord {
  const { applicability, reason } = decide(rules, row);
  return {
    person: {
      id: row.id,
      name: row.display_name,
      email: row.email,
      department: row.department,
      title: row.title,
      employmentType: row.employment_type as ScreeningRecord['person']['employmentType'],
      status: row.status as ScreeningRecord['person']['status'],
      startDate: row.start_date,
    },
    applicability,
    reason,
    country: row.country,
    override: row.override as ScreeningRecord['override'],
    overrideReason: row.override_reason ?? '',
    status: (row.screening_status ?? 'not_started') as ScreeningStatus,
    completedOn: row.completed_on,
    provider: row.provider ?? '',
    updatedAt: row.updated_at?.toISOString() ?? null,
    updatedBy: row.updated_by_user_id === null ? null : (users.get(row.updated_by_user_id) ?? null),
  };
}

/** Coverage among people who have not left: cleared of those screening applies to. */
export function computeCoverage(
  records: readonly {
    applicability: ScreeningApplicability;
    status: ScreeningStatus;
    isActive: boolean;
  }[],
): Coverage {
  const c: Coverage = {
    required: 0,
    cleared: 0,
    inProgress: 0,
    notStarted: 0,
    adverse: 0,
    notPermitted: 0,
    percent: 100,
  };
  for (const r of records) {
    if (!r.isActive) continue;
    if (r.applicability === 'not_permitted') c.notPermitted++;
    if (r.applicability !== 'applies') continue;
    c.required++;
    if (r.status === 'cleared') c.cleared++;
    else if (r.status === 'in_progress') c.inProgress++;
    else if (r.status === 'adverse') c.adverse++;
    else c.notStarted++;
  }
  c.percent = c.required === 0 ? 100 : Math.round((c.cleared / c.required) * 1000) / 10;
  return c;
}

async function loadAll(tx: Tx, includeDeparted: boolean) {
  const [settings, rows] = await Promise.all([
    repo.findSettings(tx),
    repo.findPeople(tx, { includeDeparted }),
  ]);
  const rules = settings ?? noRules;
  const users = await repo.findUsers(
    tx,
    rows.flatMap((r) => (r.updated_by_user_id ? [r.updated_by_user_id] : [])),
  );
  return { settings, records: rows.map((r) => toRecord(rules, r, users)) };
}

function coverageOf(records: readonly ScreeningRecord[]): Coverage {
  return computeCoverage(
    records.map((r) => ({
      applicability: r.applicability,
      status: r.status,
      isActive: r.person.status !== 'departed',
    })),
  );
}

/** Screening per person, filtered, with coverage across the whole directory. */
export async function listScreening(
  uow: UnitOfWork,
  query: z.output<typeof screeningQuerySchema>,
): Promise<z.infer<typeof screeningListSchema>> {
  return uow.read(async (tx) => {
    const { records } = await loadAll(tx, query.includeDeparted ?? false);
    const needle = query.q?.toLowerCase();
    return {
      coverage: coverageOf(records),
      items: records.filter(
        (r) =>
          (query.applicability === undefined || r.applicability === query.applicability) &&
          (query.status === undefined || r.status === query.status) &&
          (needle === undefined ||
            needle === '' ||
            r.person.name.toLowerCase().includes(needle) ||
            (r.person.email ?? '').includes(needle)),
      ),
    };
  });
}

async function loadOne(tx: Tx, personId: string): Promise<ScreeningRecord> {
  const [settings, row] = await Promise.all([repo.findSettings(tx), repo.findPerson(tx, personId)]);
  if (!row) throw new AppError('person.not_found');
  const users = await repo.findUsers(tx, row.updated_by_user_id ? [row.updated_by_user_id] : []);
  return toRecord(settings ?? noRules, row, users);
}

/** One person's screening. */
export async function getScreening(uow: UnitOfWork, personId: string): Promise<ScreeningRecord> {
  return uow.read((tx) => loadOne(tx, personId));
}

/**
 * Record the screening check for the org: pass when everyone screening applies to (and who has
 * not left) is cleared. Only counts leave Steward's HR area: check results are visible to
 * everyone who reads the program, so no name is recorded. Nothing is recorded before the org
 * sets its rules.
 */
export async function recordScreeningCheck(
  scope: RecordScope,
  orgId: string,
  now = new Date(),
): Promise<boolean> {
  const { settings, records } = await loadAll(scope.tx, false);
  if (!settings) return false;
  const c = coverageOf(records);
  const missing = c.required - c.cleared;
  const exceptions =
    c.notPermitted > 0
      ? `; ${String(c.notPermitted)} where the law does not permit screening (recorded exceptions)`
      : '';
  const summary =
    c.required === 0
      ? `No active person requires screening under the rules${exceptions}`
      : missing === 0
        ? `All ${String(c.required)} people who require screening are cleared${exceptions}`
        : `${String(missing)} of ${String(c.required)} people who require screening are not cleared (${String(c.notStarted)} not started, ${String(c.inProgress)} in progress, ${String(c.adverse)} adverse)${exceptions}`;
  const result = await recordCheckResultIn(
    scope,
    orgId,
    { userId: null, label: 'Steward screening' },
    screeningKeys.check,
    {
      status: missing === 0 ? 'pass' : 'fail',
      summary,
      details: { ...c },
      observedAt: now.toISOString(),
    },
    { onlyIfChanged: true },
  );
  return result !== null;
}

function toSettings(
  settings: Awaited<ReturnType<typeof repo.findSettings>>,
): z.infer<typeof screeningSettingsSchema> {
  const rules = settings ?? noRules;
  return {
    isRequiredForEveryone: rules.isRequiredForEveryone,
    roleRules: rules.roleRules.map((r) => ({
      ...(r.department === undefined ? {} : { department: r.department }),
      ...(r.titleContains === undefined ? {} : { titleContains: r.titleContains }),
      ...(r.employmentType === undefined
        ? {}
        : { employmentType: r.employmentType as 'employee' | 'contractor' | 'intern' | 'other' }),
    })),
    restrictedCountries: [...rules.restrictedCountries],
    updatedAt: settings?.updatedAt.toISOString() ?? null,
  };
}

/** The org's screening rules. */
export async function getSettings(
  uow: UnitOfWork,
): Promise<z.infer<typeof screeningSettingsSchema>> {
  return uow.read(async (tx) => toSettings(await repo.findSettings(tx)));
}

/** Replace the org's screening rules; the screening check follows. */
export async function updateSettings(
  uow: UnitOfWork,
  input: z.output<typeof updateScreeningSettingsSchema>,
): Promise<z.infer<typeof screeningSettingsSchema>> {
  return uow.write(async (scope) => {
    await repo.upsertSettings(scope.tx, uow.orgId, input);
    await scope.audit({
      action: 'screening.rules_updated',
      targetType: 'org',
      targetId: uow.orgId,
      changes: { ...input },
    });
    await recordScreeningCheck(scope, uow.orgId);
    return toSettings(await repo.findSettings(scope.tx));
  });
}

/** Record a person's screening outcome and dates; the screening check follows. */
export async function updateScreening(
  uow: UnitOfWork,
  userId: string,
  personId: string,
  input: z.output<typeof updateScreeningRecordSchema>,
): Promise<ScreeningRecord> {
  const today = todayUtc();
  if (input.completedOn !== null && input.completedOn > today) {
    throw invalid('completedOn', 'A screening cannot be completed in the future');
  }
  return uow.write(async (scope) => {
    const before = await repo.findPerson(scope.tx, personId);
    if (!before) throw new AppError('person.not_found');
    const country = input.country === undefined ? before.country : input.country;
    await repo.upsertRecord(scope.tx, {
      orgId: uow.orgId,
      personId,
      country,
      override: input.override,
      overrideReason: input.override === null ? '' : input.overrideReason,
      status: input.status,
      completedOn: input.completedOn,
      provider: input.provider,
      userId,
    });
    const after = await loadOne(scope.tx, personId);
    await scope.audit({
      action: 'screening.record_updated',
      targetType: 'person',
      targetId: personId,
      changes: {
        status: { from: before.screening_status ?? 'not_started', to: input.status },
        completedOn: input.completedOn,
        provider: input.provider,
        country,
        override: input.override,
        applicability: after.applicability,
      },
    });
    await recordScreeningCheck(scope, uow.orgId);
    return after;
  });
}

function toAudit(
  row: repo.AuditRow,
  users: Map<string, { id: string; name: string; email: string }>,
): ScreeningAudit {
  return {
    id: row.id,
    quarter: row.quarter,
    hired: row.hired,
    covered: row.covered,
    isComplete: row.covered === row.hired,
    note: row.note,
    entries: row.entries as AuditEntry[],
    recordedAt: row.recorded_at.toISOString(),
    recordedBy:
      row.recorded_by_user_id === null ? null : (users.get(row.recorded_by_user_id) ?? null),
    evidenceId: row.evidence_id,
  };
}

/** The quarterly audits, newest first. */
export async function listAudits(uow: UnitOfWork): Promise<ScreeningAudit[]> {
  return uow.read(async (tx) => {
    const rows = await repo.findAudits(tx);
    const users = await repo.findUsers(
      tx,
      rows.flatMap((r) => (r.recorded_by_user_id ? [r.recorded_by_user_id] : [])),
    );
    return rows.map((r) => toAudit(r, users));
  });
}

/**
 * Record HR's audit of a quarter's new hires: each hire's screening as it stands, kept as a
 * dated record that is the evidence of the quarterly screening audit task. The evidence names
 * no one (it is visible beyond HR); the record itself stays behind `screening.manage`.
 */
export async function recordAudit(
  deps: ScreeningServiceDeps,
  uow: UnitOfWork,
  supplier: RecordSupplier & { userId: string },
  input: z.output<typeof createScreeningAuditSchema>,
): Promise<ScreeningAudit> {
  const now = new Date();
  const today = todayUtc(now);
  const range = quarterRange(input.quarter);
  if (range.from > today) throw invalid('quarter', 'This quarter has not started yet');
  return uow.write(async (scope) => {
    const { tx } = scope;
    const [settings, hires] = await Promise.all([
      repo.findSettings(tx),
      repo.findHires(tx, range.from, range.to),
    ]);
    const rules = settings ?? noRules;
    const entries: AuditEntry[] = hires.map((h) => {
      const { applicability, reason } = decide(rules, h);
      const status = (h.screening_status ?? 'not_started') as ScreeningStatus;
      return {
        personId: h.id,
        name: h.display_name,
        startDate: h.start_date ?? range.from,
        applicability,
        status,
        completedOn: h.completed_on,
        reason,
        isCovered: isCovered(applicability, status),
      };
    });
    const covered = entries.filter((e) => e.isCovered).length;
    const id = randomUUID();
    const evidence = await recordTaskEvidence(scope, uow.orgId, {
      taskKey: screeningKeys.auditTask,
      title: `Screening audit ${input.quarter}: ${String(covered)} of ${String(entries.length)} new hires covered`,
      description: `HR audited the screening of the people who started in ${input.quarter} (${range.from} to ${range.to}): ${String(entries.length)} hired, ${String(covered)} cleared or not requiring screening, ${String(entries.length - covered)} open. The per-person record is kept in Steward for HR only.`,
      url: new URL(`/screening?audit=${id}`, deps.publicUrl).toString(),
      effectiveFrom: today,
      effectiveTo: addMonths(today, 3),
      supplier,
      now,
    });
    const row = await repo.insertAudit(tx, {
      id,
      orgId: uow.orgId,
      quarter: input.quarter,
      hired: entries.length,
      covered,
      note: input.note,
      entries,
      userId: supplier.userId,
      evidenceId: evidence?.evidenceId ?? null,
    });
    await scope.audit({
      action: 'screening.audit_recorded',
      targetType: 'screening_audit',
      targetId: id,
      changes: {
        quarter: input.quarter,
        hired: entries.length,
        covered,
        evidenceId: evidence?.evidenceId ?? null,
        isTaskCompleted: evidence?.isTaskCompleted ?? false,
      },
    });
    await recordScreeningCheck(scope, uow.orgId, now);
    const users = await repo.findUsers(tx, [supplier.userId]);
    return toAudit(row, users);
  });
}
