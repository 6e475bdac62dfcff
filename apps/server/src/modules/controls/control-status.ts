import type { ControlStatus } from '@steward/contracts';

/** The state of a recurring evidence task. */
export type TaskState = 'upcoming' | 'due' | 'overdue' | 'done';

/** Today as a UTC calendar day, `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Add days to a calendar day. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return todayUtc(date);
}

/**
 * Add calendar months to a day; the day of month is clamped to the target month's length, so
 * 31 January plus one month is 28 (or 29) February, not 3 March.
 */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return todayUtc(target);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The state of a task on a day: overdue past due plus grace, due inside the window, done once completed. */
export function deriveTaskState(
  task: { nextDueOn: string; graceDays: number; lastCompletedAt: Date | null; isActive: boolean },
  today: string,
  dueWindowDays: number,
): TaskState {
  if (today > addDays(task.nextDueOn, task.graceDays)) return 'overdue';
  if (today >= addDays(task.nextDueOn, -dueWindowDays)) return 'due';
  return task.lastCompletedAt ? 'done' : 'upcoming';
}

/** A check as the status rules see it. */
export interface CheckProof {
  name: string;
  latestStatus: 'pass' | 'fail' | null;
  latestSummary: string | null;
  latestObservedAt: Date | null;
}

/** An evidence task as the status rules see it, with the best current evidence for it. */
export interface TaskProof {
  title: string;
  nextDueOn: string;
  graceDays: number;
  /** The latest end of an effective period covering today, among the task's current evidence. */
  currentEvidenceUntil: string | null;
}

/** Everything that proves one control. */
export interface ProofInput {
  checks: CheckProof[];
  tasks: TaskProof[];
  /** When the control has neither checks nor tasks: the latest end of evidence covering today. */
  directEvidenceUntil: string | null;
}

/** How long before its end evidence without a task counts as due. */
export const directEvidenceGraceDays = 14;

const rank: Record<ControlStatus, number> = { failing: 3, not_proved: 2, due: 1, passing: 0 };

/**
 * A control's status on a day and the reason, from its proofs: the worst proof decides
 * (failing, then not proved, then due); a control with no proof is not proved.
 */
export function deriveControlStatus(
  input: ProofInput,
  today: string,
): { status: ControlStatus; reason: string } {
  const findings: { status: ControlStatus; reason: string }[] = [];
  for (const check of input.checks) {
    if (check.latestStatus === null) {
      findings.push({
        status: 'not_proved',
        reason: `Check "${check.name}" has not reported a result yet`,
      });
    } else if (check.latestStatus === 'fail') {
      const when = check.latestObservedAt ? ` on ${todayUtc(check.latestObservedAt)}` : '';
      const summary = check.latestSummary ? `: ${check.latestSummary}` : '';
      findings.push({ status: 'failing', reason: `Check "${check.name}" failed${when}${summary}` });
    } else {
      findings.push({ status: 'passing', reason: `Check "${check.name}" passes` });
    }
  }
  for (const task of input.tasks) {
    findings.push(deriveTaskProof(task, today));
  }
  if (input.checks.length === 0 && input.tasks.length === 0) {
    const until = input.directEvidenceUntil;
    if (until === null) {
      findings.push({
        status: 'not_proved',
        reason: 'Nothing proves this control yet: link a check, add an evidence task or evidence',
      });
    } else if (daysBetween(today, until) < directEvidenceGraceDays) {
      findings.push({ status: 'due', reason: `Its evidence covers only until ${until}` });
    } else {
      findings.push({ status: 'passing', reason: `Evidence covers today (until ${until})` });
    }
  }
  const worst = findings.reduce((a, b) => (rank[b.status] > rank[a.status] ? b : a));
  const sameLevel = findings.filter((f) => f.status === worst.status).map((f) => f.reason);
  const shown = sameLevel.slice(0, 3);
  const more = sameLevel.length - shown.length;
  const reason =
    worst.status === 'passing'
      ? findings.length === 1
        ? worst.reason
        : `All ${String(findings.length)} proofs are current`
      : `${shown.join('; ')}${more > 0 ? ` (and ${String(more)} more)` : ''}`;
  return { status: worst.status, reason };
}

function deriveTaskProof(
  task: TaskProof,
  today: string,
): { status: ControlStatus; reason: string } {
  const until = task.currentEvidenceUntil;
  if (until !== null) {
    if (daysBetween(today, until) < task.graceDays) {
      return { status: 'due', reason: `Evidence for "${task.title}" runs out on ${until}` };
    }
    return { status: 'passing', reason: `Evidence for "${task.title}" covers today` };
  }
  const overdueFrom = addDays(task.nextDueOn, task.graceDays);
  if (today > overdueFrom) {
    return {
      status: 'failing',
      reason: `"${task.title}" is overdue (due ${task.nextDueOn}) and no evidence covers today`,
    };
  }
  return {
    status: 'not_proved',
    reason: `No evidence covers today for "${task.title}" (due ${task.nextDueOn})`,
  };
}
