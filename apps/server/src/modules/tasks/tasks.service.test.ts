import { describe, expect, it } from 'vitest';
import { findReminderStage } from './task-reminders.service.ts';
import { firstDueDays } from './tasks.seed.ts';
import { scheduleNextDue } from './tasks.service.ts';

describe('scheduleNextDue', () => {
  const base = { cadenceMonths: 3, dueWindowDays: 30 };

  it('keeps the rhythm when completed on time or a little late', () => {
    expect(scheduleNextDue({ ...base, dueOn: '2026-03-31', today: '2026-03-20' })).toBe(
      '2026-06-30',
    );
    expect(scheduleNextDue({ ...base, dueOn: '2026-03-31', today: '2026-04-20' })).toBe(
      '2026-06-30',
    );
  });

  it('counts from the completion day when done before the due window opened', () => {
    expect(scheduleNextDue({ ...base, dueOn: '2026-12-31', today: '2026-06-01' })).toBe(
      '2026-09-01',
    );
  });

  it('counts from the completion day when so late the regular date has passed', () => {
    expect(scheduleNextDue({ ...base, dueOn: '2026-01-15', today: '2026-05-01' })).toBe(
      '2026-08-01',
    );
    expect(scheduleNextDue({ ...base, dueOn: '2026-01-15', today: '2026-04-15' })).toBe(
      '2026-07-15',
    );
  });

  it('clamps month ends', () => {
    expect(
      scheduleNextDue({
        cadenceMonths: 1,
        dueWindowDays: 30,
        dueOn: '2026-01-31',
        today: '2026-01-31',
      }),
    ).toBe('2026-02-28');
  });
});

describe('findReminderStage', () => {
  const task = { nextDueOn: '2026-06-30', graceDays: 14, lastRemindedOn: null };

  it('finds nothing before the due window opens', () => {
    expect(findReminderStage(task, '2026-05-30', 30)).toBeNull();
  });

  it('reminds when the window opens, 7 days before, on the due day and once overdue', () => {
    expect(findReminderStage(task, '2026-05-31', 30)).toEqual({
      stage: 'due_window',
      day: '2026-05-31',
    });
    expect(findReminderStage(task, '2026-06-23', 30)?.stage).toBe('week_before');
    expect(findReminderStage(task, '2026-06-30', 30)?.stage).toBe('due_today');
    expect(findReminderStage(task, '2026-07-14', 30)?.stage).toBe('due_today');
    expect(findReminderStage(task, '2026-07-15', 30)?.stage).toBe('overdue');
  });

  it('sends a stage once, and a missed stage the next day', () => {
    expect(
      findReminderStage({ ...task, lastRemindedOn: '2026-05-31' }, '2026-06-10', 30),
    ).toBeNull();
    expect(
      findReminderStage({ ...task, lastRemindedOn: '2026-05-31' }, '2026-06-24', 30)?.stage,
    ).toBe('week_before');
    expect(
      findReminderStage({ ...task, lastRemindedOn: '2026-06-24' }, '2026-06-25', 30),
    ).toBeNull();
    expect(
      findReminderStage({ ...task, lastRemindedOn: '2026-08-01' }, '2026-08-02', 30),
    ).toBeNull();
  });

  it('skips the 7-day reminder when the window is a week or shorter', () => {
    expect(findReminderStage(task, '2026-06-25', 7)?.stage).toBe('due_window');
  });
});

describe('firstDueDays', () => {
  it('puts monthly work at 30 days and spreads longer cadences up to half a year', () => {
    expect(firstDueDays(1, 0, 2)).toBe(30);
    expect(firstDueDays(1, 1, 2)).toBe(30);
    expect(firstDueDays(3, 0, 4)).toBe(30);
    expect(firstDueDays(3, 3, 4)).toBe(75);
    expect(firstDueDays(12, 9, 10)).toBe(165);
    expect(firstDueDays(12, 0, 1)).toBe(30);
  });
});
