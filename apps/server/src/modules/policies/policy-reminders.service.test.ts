import { describe, expect, it } from 'vitest';
import { addDays } from '../controls/index.ts';
import { findNoticeStage, shouldEscalate } from './policy-reminders.service.ts';

const requestedOn = '2026-11-01';
const dueOn = addDays(requestedOn, 30);

describe('acknowledgement notice stages', () => {
  it('mails the request, a week before, the day before and once overdue', () => {
    const at = (day: string, sent: string[] = []) =>
      findNoticeStage({ requestedOn, dueOn }, day, sent);
    expect(at(addDays(requestedOn, -1))).toBeNull();
    expect(at(requestedOn)).toBe('requested');
    expect(at(addDays(requestedOn, 5), ['requested'])).toBeNull();
    expect(at(addDays(dueOn, -7), ['requested'])).toBe('reminder');
    expect(at(addDays(dueOn, -3), ['requested', 'reminder'])).toBeNull();
    expect(at(addDays(dueOn, -1), ['requested', 'reminder'])).toBe('final_reminder');
    expect(at(dueOn, ['requested', 'reminder', 'final_reminder'])).toBeNull();
    expect(at(addDays(dueOn, 1), ['requested', 'reminder', 'final_reminder'])).toBe('overdue');
    expect(at(addDays(dueOn, 40), ['requested', 'overdue'])).toBeNull();
  });

  it('sends only the latest stage reached when earlier ones were missed', () => {
    expect(findNoticeStage({ requestedOn, dueOn }, addDays(dueOn, 3), [])).toBe('overdue');
    expect(findNoticeStage({ requestedOn, dueOn }, addDays(dueOn, -2), ['requested'])).toBe(
      'reminder',
    );
    // A new joiner (7 days) is told of the request with the reminder, in one notice.
    const joiner = { requestedOn, dueOn: addDays(requestedOn, 7) };
    expect(findNoticeStage(joiner, requestedOn, [])).toBe('reminder');
  });

  it('escalates to the manager once, after the deadline, when there is a manager', () => {
    expect(shouldEscalate({ dueOn, hasManager: true }, dueOn, [])).toBe(false);
    expect(shouldEscalate({ dueOn, hasManager: true }, addDays(dueOn, 1), [])).toBe(true);
    expect(shouldEscalate({ dueOn, hasManager: true }, addDays(dueOn, 2), ['escalation'])).toBe(
      false,
    );
    expect(shouldEscalate({ dueOn, hasManager: false }, addDays(dueOn, 2), [])).toBe(false);
  });
});
