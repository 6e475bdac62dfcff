import { describe, expect, it } from 'vitest';
import {
  findReminderStage,
  isCompliant,
  isEscalationDue,
  planAssignment,
  refresherLeadDays,
} from './training-rules.ts';

const rules = { onboardingDays: 30, cadenceMonths: 12 };
const today = '2026-11-27';

describe('planAssignment', () => {
  it('gives a joiner the module due N days after their start date', () => {
    expect(
      planAssignment(
        rules,
        { startDate: '2026-11-20', lastCompletedOn: null, hasOpenAssignment: false },
        today,
      ),
    ).toEqual({ reason: 'onboarding', dueOn: '2026-12-20' });
    expect(
      planAssignment(
        rules,
        { startDate: '2026-12-01', lastCompletedOn: null, hasOpenAssignment: false },
        today,
      ),
    ).toEqual({ reason: 'onboarding', dueOn: '2026-12-31' });
  });

  it('gives someone who never took it, without a recent start, N days from today', () => {
    expect(
      planAssignment(
        rules,
        { startDate: '2020-01-01', lastCompletedOn: null, hasOpenAssignment: false },
        today,
      ),
    ).toEqual({ reason: 'periodic', dueOn: '2026-12-27' });
    expect(
      planAssignment(
        rules,
        { startDate: null, lastCompletedOn: null, hasOpenAssignment: false },
        today,
      ),
    ).toEqual({ reason: 'periodic', dueOn: '2026-12-27' });
  });

  it('assigns the refresher a lead time before the cadence runs out, due when it runs out', () => {
    expect(
      planAssignment(
        rules,
        { startDate: null, lastCompletedOn: '2026-03-01', hasOpenAssignment: false },
        today,
      ),
    ).toBeNull();
    // Due on 2026-12-20: within the lead time of 30 days.
    expect(
      planAssignment(
        rules,
        { startDate: null, lastCompletedOn: '2025-12-20', hasOpenAssignment: false },
        today,
      ),
    ).toEqual({ reason: 'periodic', dueOn: '2026-12-20' });
    expect(refresherLeadDays).toBe(30);
  });

  it('gives a long-expired completion N days from today, and never a second open assignment', () => {
    expect(
      planAssignment(
        rules,
        { startDate: null, lastCompletedOn: '2024-01-01', hasOpenAssignment: false },
        today,
      ),
    ).toEqual({ reason: 'periodic', dueOn: '2026-12-27' });
    expect(
      planAssignment(
        rules,
        { startDate: null, lastCompletedOn: null, hasOpenAssignment: true },
        today,
      ),
    ).toBeNull();
  });
});

describe('isCompliant', () => {
  it('holds with a completion within the cadence, or as a joiner inside the window', () => {
    expect(
      isCompliant(
        rules,
        { startDate: null, lastCompletedOn: '2025-11-27', hasOpenAssignment: false },
        today,
      ),
    ).toBe(true);
    expect(
      isCompliant(
        rules,
        { startDate: null, lastCompletedOn: '2025-11-26', hasOpenAssignment: true },
        today,
      ),
    ).toBe(false);
    expect(
      isCompliant(
        rules,
        { startDate: '2026-11-01', lastCompletedOn: null, hasOpenAssignment: true },
        today,
      ),
    ).toBe(true);
    expect(
      isCompliant(
        rules,
        { startDate: '2026-10-27', lastCompletedOn: null, hasOpenAssignment: true },
        today,
      ),
    ).toBe(false);
    // Without a start date nothing shows the person is new.
    expect(
      isCompliant(
        rules,
        { startDate: null, lastCompletedOn: null, hasOpenAssignment: true },
        today,
      ),
    ).toBe(false);
  });
});

describe('reminders', () => {
  it('reminds 7 days before, on the due day and once overdue, each stage once', () => {
    const dueOn = '2026-12-10';
    expect(findReminderStage({ dueOn, lastRemindedOn: null }, '2026-12-02')).toBeNull();
    expect(findReminderStage({ dueOn, lastRemindedOn: null }, '2026-12-03')).toBe('week_before');
    expect(findReminderStage({ dueOn, lastRemindedOn: '2026-12-03' }, '2026-12-05')).toBeNull();
    expect(findReminderStage({ dueOn, lastRemindedOn: '2026-12-03' }, '2026-12-10')).toBe(
      'due_today',
    );
    expect(findReminderStage({ dueOn, lastRemindedOn: '2026-12-10' }, '2026-12-11')).toBe(
      'overdue',
    );
    expect(findReminderStage({ dueOn, lastRemindedOn: '2026-12-11' }, '2026-12-20')).toBeNull();
    // A stage missed while the worker was down is sent late, once.
    expect(findReminderStage({ dueOn, lastRemindedOn: null }, '2026-12-15')).toBe('overdue');
  });

  it('escalates to the manager once the due date has passed, once', () => {
    expect(isEscalationDue({ dueOn: '2026-11-27', escalatedOn: null }, today)).toBe(false);
    expect(isEscalationDue({ dueOn: '2026-11-26', escalatedOn: null }, today)).toBe(true);
    expect(isEscalationDue({ dueOn: '2026-11-26', escalatedOn: '2026-11-27' }, today)).toBe(false);
  });
});
