import { addDays, addMonths } from '../controls/index.ts';

/** Days before a refresher falls due that it is assigned, so people have time to take it. */
export const refresherLeadDays = 30;

/** The rules of one module that decide assignments. */
export interface ModuleRules {
  onboardingDays: number;
  cadenceMonths: number;
}

/** What is known of one person for one module. */
export interface SubjectState {
  /** Start date from the people directory; null when unknown. */
  startDate: string | null;
  /** Day of the latest completion of the module, if any. */
  lastCompletedOn: string | null;
  hasOpenAssignment: boolean;
}

/** An assignment to create. */
export interface PlannedAssignment {
  reason: 'onboarding' | 'periodic';
  dueOn: string;
}

/**
 * Whether a person needs the module assigned today, and by when. A joiner who never completed it
 * gets it due N days after their start date; anyone else who never completed it gets N days from
 * today (a first campaign). After a completion, the refresher is assigned `refresherLeadDays`
 * before it falls due a cadence later; one long expired is due N days from today.
 */
export function planAssignment(
  rules: ModuleRules,
  state: SubjectState,
  today: string,
): PlannedAssignment | null {
  if (state.hasOpenAssignment) return null;
  if (state.lastCompletedOn !== null) {
    const nextDue = addMonths(state.lastCompletedOn, rules.cadenceMonths);
    if (addDays(nextDue, -refresherLeadDays) > today) return null;
    return {
      reason: 'periodic',
      dueOn: nextDue >= today ? nextDue : addDays(today, rules.onboardingDays),
    };
  }
  if (state.startDate !== null) {
    const onboardingDue = addDays(state.startDate, rules.onboardingDays);
    if (onboardingDue >= today) return { reason: 'onboarding', dueOn: onboardingDue };
  }
  return { reason: 'periodic', dueOn: addDays(today, rules.onboardingDays) };
}

/**
 * Whether a person keeps the promise for a module today: a completion within the cadence, or a
 * joiner still inside the onboarding window. A person without a known start date is not taken
 * for a joiner (nothing shows when they started).
 */
export function isCompliant(rules: ModuleRules, state: SubjectState, today: string): boolean {
  if (
    state.lastCompletedOn !== null &&
    addMonths(state.lastCompletedOn, rules.cadenceMonths) >= today
  ) {
    return true;
  }
  return (
    state.lastCompletedOn === null &&
    state.startDate !== null &&
    addDays(state.startDate, rules.onboardingDays) >= today
  );
}

/** The moments a person is reminded of an open assignment. */
export type TrainingReminderStage = 'week_before' | 'due_today' | 'overdue';

/** Days before the due date of the first reminder. */
export const reminderLeadDays = 7;

/**
 * The reminder an open assignment should get today, if any: the latest stage reached (7 days
 * before, the due day, the first overdue day) that was not reminded of yet. A stage missed on its
 * day (the worker was down) is still sent later, once.
 */
export function findReminderStage(
  assignment: { dueOn: string; lastRemindedOn: string | null },
  today: string,
): TrainingReminderStage | null {
  const stages: { stage: TrainingReminderStage; day: string }[] = [
    { stage: 'week_before', day: addDays(assignment.dueOn, -reminderLeadDays) },
    { stage: 'due_today', day: assignment.dueOn },
    { stage: 'overdue', day: addDays(assignment.dueOn, 1) },
  ];
  const reached = stages.filter((s) => s.day <= today).at(-1);
  if (!reached) return null;
  if (assignment.lastRemindedOn !== null && assignment.lastRemindedOn >= reached.day) return null;
  return reached.stage;
}

/** Whether an overdue assignment should be escalated to the person's manager today (once). */
export function isEscalationDue(
  assignment: { dueOn: string; escalatedOn: string | null },
  today: string,
): boolean {
  return assignment.escalatedOn === null && assignment.dueOn < today;
}
