import type { ControlStatus } from '@steward/contracts';

/** How a promise stands: kept, at risk, broken, not yet proved, or mapped to no control. */
export type PromiseStatus = 'kept' | 'at_risk' | 'broken' | 'not_proved' | 'unmapped';

/** A control confirmed on a promise, as its status is derived from. */
export interface ConfirmedControl {
  ref: string;
  title: string;
  status: ControlStatus;
  statusReason: string;
  isArchived: boolean;
  implementationStatus: string;
}

/** How many of a promise's confirmed controls count, and how many of those are in each state. */
export interface ControlTally {
  /** Confirmed controls that are neither archived nor not applicable. */
  counted: number;
  failing: number;
  due: number;
  passing: number;
}

/** A status with the sentence that explains it. */
export interface PromiseVerdict {
  status: PromiseStatus;
  reason: string;
}

/** The sentence of a promise without a control that counts. */
export const unmappedReason = 'No control is mapped to this promise';

/** Every promise status at zero, in display order. */
export function emptyPromiseCounts(): Record<PromiseStatus, number> {
  return { kept: 0, at_risk: 0, broken: 0, not_proved: 0, unmapped: 0 };
}

/**
 * A promise's status from the tally of its confirmed controls: none → unmapped; any failing →
 * broken; else any due → at risk; else all passing → kept; else not yet proved.
 */
export function classifyPromise(tally: ControlTally): PromiseStatus {
  if (tally.counted === 0) return 'unmapped';
  if (tally.failing > 0) return 'broken';
  if (tally.due > 0) return 'at_risk';
  if (tally.passing === tally.counted) return 'kept';
  return 'not_proved';
}

/** Whether a confirmed control takes part in its promise's status. */
export function isCounted(
  control: Pick<ConfirmedControl, 'isArchived' | 'implementationStatus'>,
): boolean {
  return !control.isArchived && control.implementationStatus !== 'not_applicable';
}

function describeControl(control: ConfirmedControl, state: string): string {
  const reason = control.statusReason.trim().replace(/\.$/, '');
  return `${control.ref} ${control.title} ${state}${reason === '' ? '' : `: ${reason}`}`;
}

function listNames(controls: readonly ConfirmedControl[]): string {
  const names = controls.map((c) => `${c.ref} ${c.title}`);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

/**
 * A promise's status and reason from its confirmed controls (archived and not-applicable ones
 * are left out); the reason names the controls that decide it.
 */
export function derivePromiseStatus(confirmed: readonly ConfirmedControl[]): PromiseVerdict {
  const counted = confirmed.filter(isCounted);
  const inState = (status: ControlStatus) => counted.filter((c) => c.status === status);
  const failing = inState('failing');
  const due = inState('due');
  const passing = inState('passing');
  const status = classifyPromise({
    counted: counted.length,
    failing: failing.length,
    due: due.length,
    passing: passing.length,
  });
  switch (status) {
    case 'unmapped': {
      const ignored = confirmed.map(
        (c) => `${c.ref} ${c.title} is ${c.isArchived ? 'archived' : 'marked not applicable'}`,
      );
      return {
        status,
        reason: ignored.length === 0 ? unmappedReason : `${unmappedReason} (${ignored.join('; ')})`,
      };
    }
    case 'broken':
      return { status, reason: failing.map((c) => describeControl(c, 'is failing')).join('; ') };
    case 'at_risk':
      return { status, reason: due.map((c) => describeControl(c, 'is due')).join('; ') };
    case 'kept':
      return {
        status,
        reason:
          passing.length === 1
            ? `${listNames(passing)} is passing`
            : `${listNames(passing)} are all passing`,
      };
    case 'not_proved':
      return {
        status,
        reason: inState('not_proved')
          .map((c) => describeControl(c, 'is not proved yet'))
          .join('; '),
      };
  }
}
