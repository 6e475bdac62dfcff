import { describe, expect, it } from 'vitest';
import {
  addMonths,
  deriveControlStatus,
  deriveTaskState,
  type ProofInput,
} from './control-status.ts';

const today = '2026-06-15';
const none: ProofInput = { checks: [], tasks: [], directEvidenceUntil: null };
const task = (until: string | null, nextDueOn = '2026-09-01', graceDays = 14) => ({
  title: 'Quarterly access review',
  nextDueOn,
  graceDays,
  currentEvidenceUntil: until,
});

describe('deriveControlStatus', () => {
  it('is not proved when nothing proves the control', () => {
    expect(deriveControlStatus(none, today)).toEqual({
      status: 'not_proved',
      reason: expect.stringContaining('Nothing proves this control') as string,
    });
  });

  it('passes only when every proof is current', () => {
    const input: ProofInput = {
      checks: [
        { name: 'MFA enforced', latestStatus: 'pass', latestSummary: null, latestObservedAt: null },
      ],
      tasks: [task('2026-12-31')],
      directEvidenceUntil: null,
    };
    expect(deriveControlStatus(input, today).status).toBe('passing');
  });

  it('fails when a check fails and names it with its summary', () => {
    const result = deriveControlStatus(
      {
        checks: [
          {
            name: 'MFA enforced',
            latestStatus: 'fail',
            latestSummary: '2 admins without MFA',
            latestObservedAt: new Date('2026-06-14T10:00:00Z'),
          },
        ],
        tasks: [task('2026-12-31')],
        directEvidenceUntil: null,
      },
      today,
    );
    expect(result).toEqual({
      status: 'failing',
      reason: 'Check "MFA enforced" failed on 2026-06-14: 2 admins without MFA',
    });
  });

  it('fails when a task is overdue past its grace period without evidence covering today', () => {
    expect(deriveControlStatus({ ...none, tasks: [task(null, '2026-05-01')] }, today).status).toBe(
      'failing',
    );
    // Inside the grace period it is only not proved yet.
    expect(deriveControlStatus({ ...none, tasks: [task(null, '2026-06-10')] }, today).status).toBe(
      'not_proved',
    );
  });

  it('is due when the evidence runs out within the grace period', () => {
    const result = deriveControlStatus({ ...none, tasks: [task('2026-06-20')] }, today);
    expect(result.status).toBe('due');
    expect(result.reason).toContain('2026-06-20');
  });

  it('takes the worst proof: failing over not proved over due', () => {
    const input: ProofInput = {
      checks: [{ name: 'TLS', latestStatus: null, latestSummary: null, latestObservedAt: null }],
      tasks: [task('2026-06-20'), task(null, '2026-01-01')],
      directEvidenceUntil: null,
    };
    expect(deriveControlStatus(input, today).status).toBe('failing');
    expect(deriveControlStatus({ ...input, tasks: [task('2026-06-20')] }, today).status).toBe(
      'not_proved',
    );
  });

  it('uses directly linked evidence when the control has no checks or tasks', () => {
    expect(deriveControlStatus({ ...none, directEvidenceUntil: '2027-01-01' }, today).status).toBe(
      'passing',
    );
    expect(deriveControlStatus({ ...none, directEvidenceUntil: '2026-06-20' }, today).status).toBe(
      'due',
    );
  });
});

describe('deriveTaskState', () => {
  const base = { nextDueOn: '2026-07-01', graceDays: 7, lastCompletedAt: null, isActive: true };
  it('moves from upcoming to due to overdue', () => {
    expect(deriveTaskState(base, '2026-05-01', 30)).toBe('upcoming');
    expect(deriveTaskState(base, '2026-06-01', 30)).toBe('due');
    expect(deriveTaskState(base, '2026-07-08', 30)).toBe('due');
    expect(deriveTaskState(base, '2026-07-09', 30)).toBe('overdue');
  });
  it('is done after completion until the next occurrence comes due', () => {
    expect(deriveTaskState({ ...base, lastCompletedAt: new Date() }, '2026-05-01', 30)).toBe(
      'done',
    );
  });
});

describe('addMonths', () => {
  it('clamps to the end of shorter months', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-03-31', 12)).toBe('2027-03-31');
  });
});
