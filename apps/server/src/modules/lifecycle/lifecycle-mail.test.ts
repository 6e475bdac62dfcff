import { describe, expect, it } from 'vitest';
import { composeOverdueMail } from './lifecycle.jobs.ts';

const base = {
  checklist_id: '22222222-2222-4222-8222-222222222222',
  kind: 'leaver',
  due_at: new Date('2026-11-26T09:00:00Z'),
  person_name: 'Lee Leaver',
};

describe('composeOverdueMail', () => {
  it('tells each system owner of their accounts and each people manager of everything', () => {
    const messages = composeOverdueMail(
      new URL('https://steward.example.test'),
      'Acme',
      [
        {
          ...base,
          id: 'i1',
          title: 'Disable lee on Billing DB',
          owner_id: 'u1',
          owner_email: 'owner@acme.test',
          owner_name: 'Olga Owner',
        },
        {
          ...base,
          id: 'i2',
          title: 'Collect devices and badges',
          owner_id: null,
          owner_email: null,
          owner_name: null,
        },
      ],
      [{ email: 'lead@acme.test', name: 'Sec Lead' }],
    );
    expect(messages.map((m) => m.to)).toEqual(['owner@acme.test', 'lead@acme.test']);
    expect(messages[0]?.text).toContain('Disable lee on Billing DB');
    expect(messages[0]?.text).not.toContain('Collect devices');
    expect(messages[1]?.subject).toBe('Overdue: 1 joiner/mover/leaver checklist(s)');
    expect(messages[1]?.text).toContain(
      'https://steward.example.test/lifecycle/22222222-2222-4222-8222-222222222222',
    );
  });
});
