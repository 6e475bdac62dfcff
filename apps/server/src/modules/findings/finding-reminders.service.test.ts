import { describe, expect, it } from 'vitest';
import type { DueReminderRow } from './finding-reminders.repo.ts';
import {
  composeDueReminder,
  composeNewCriticalNotice,
  remindersListed,
} from './finding-reminders.service.ts';

const publicUrl = new URL('https://steward.example.test');
const recipient = { id: 'u1', email: 'owner@example.test', name: 'Olga Owner' };

function row(stage: DueReminderRow['stage'], n: number): DueReminderRow {
  return {
    finding_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    stage,
    due_at: new Date('2026-12-01T00:00:00Z'),
    recipient_user_id: 'u1',
    recipient_email: recipient.email,
    recipient_name: recipient.name,
    title: `Finding ${String(n)}`,
    severity: 'high',
    asset_name: 'shop',
  };
}

describe('reminder emails', () => {
  it('names the most urgent stage in the subject and lists findings by stage', () => {
    const message = composeDueReminder(publicUrl, [
      row('due_in_7_days', 1),
      row('due_in_1_day', 2),
    ]);
    expect(message.to).toBe(recipient.email);
    expect(message.subject).toBe(
      'Remediation due: 1 finding due within a day, 1 finding due within 7 days',
    );
    expect(message.text.indexOf('Finding 2')).toBeLessThan(message.text.indexOf('Finding 1'));
    expect(message.text).toContain('https://steward.example.test/findings?sla=due_soon');
  });

  it('counts the findings beyond the listed ones', () => {
    const rows = Array.from({ length: remindersListed + 3 }, (_, i) => row('breached', i));
    const message = composeDueReminder(publicUrl, rows);
    expect(message.subject).toBe(`SLA breached: ${String(remindersListed + 3)} findings past due`);
    expect(message.text).toContain('…and 3 more.');
  });

  it('tells about new critical findings by title, with links', () => {
    const message = composeNewCriticalNotice(publicUrl, recipient, 'shop', [
      { id: 'f1', title: 'RCE in upload' },
      { id: 'f2', title: null },
    ]);
    expect(message.subject).toBe('New critical findings on shop: 2 findings');
    expect(message.text).toContain('RCE in upload https://steward.example.test/findings/f1');
    expect(message.text).toContain('…and 1 more.');
  });
});
