import { describe, expect, it } from 'vitest';
import {
  defaultTemplates,
  deriveEvent,
  evaluateChecks,
  isChecklistNeeded,
  kindsCancelledBy,
  planItems,
  type DirectoryChange,
} from './lifecycle-rules.ts';

const personId = '11111111-1111-4111-8111-111111111111';

function change(
  kind: DirectoryChange['kind'],
  changes: DirectoryChange['changes'] = {},
): DirectoryChange {
  return { personId, kind, changes };
}

describe('deriveEvent', () => {
  it('makes a new person a joiner, unless they arrive already departed', () => {
    expect(deriveEvent(change('created'), 'active')?.kind).toBe('joiner');
    expect(deriveEvent(change('created'), 'on_leave')?.kind).toBe('joiner');
    expect(deriveEvent(change('created'), 'departed')).toBeNull();
  });

  it('makes a deactivated person a leaver, with their end date', () => {
    const event = deriveEvent(
      change('deactivated', {
        status: { from: 'active', to: 'departed' },
        endDate: { from: null, to: '2026-11-27' },
      }),
      'departed',
    );
    expect(event).toMatchObject({ kind: 'leaver', details: { endDate: '2026-11-27' } });
  });

  it('makes a person removed by the identity provider a leaver only if they were still there', () => {
    expect(
      deriveEvent(change('removed', { status: { from: 'active', to: 'departed' } }), 'departed'),
    ).toMatchObject({ kind: 'leaver', reason: 'Removed by the identity provider' });
    expect(deriveEvent(change('removed'), 'departed')).toBeNull();
  });

  it('makes a returning person a joiner again', () => {
    expect(
      deriveEvent(change('reactivated', { status: { from: 'departed', to: 'active' } }), 'active')
        ?.kind,
    ).toBe('joiner');
  });

  it('makes a change of department, title or manager a move, naming what changed', () => {
    const event = deriveEvent(
      change('updated', {
        department: { from: 'Sales', to: 'Finance' },
        title: { from: 'Rep', to: 'Analyst' },
        email: { from: 'a@x.test', to: 'b@x.test' },
      }),
      'active',
    );
    expect(event?.kind).toBe('mover');
    expect(event?.reason).toBe('Changed department, title');
    expect(Object.keys(event?.details ?? {})).toEqual(['department', 'title']);
    expect(
      deriveEvent(change('updated', { managerId: { from: 'a', to: 'b' } }), 'active')?.reason,
    ).toBe('Changed manager');
  });

  it('does not treat filling in a first value, other fields, or a departed person as a move', () => {
    expect(
      deriveEvent(change('updated', { department: { from: null, to: 'Finance' } }), 'active'),
    ).toBeNull();
    expect(
      deriveEvent(change('updated', { email: { from: 'a@x.test', to: 'b@x.test' } }), 'active'),
    ).toBeNull();
    expect(
      deriveEvent(change('updated', { department: { from: 'Sales', to: 'HR' } }), 'departed'),
    ).toBeNull();
  });
});

describe('isChecklistNeeded and kindsCancelledBy', () => {
  const event = (kind: 'joiner' | 'mover' | 'leaver') => ({
    personId,
    kind,
    reason: '',
    details: {},
  });

  it('lets a person leave once per stay and hold one open joiner or mover checklist', () => {
    const none = { kinds: new Set<never>(), hasLeftSinceJoining: false };
    expect(isChecklistNeeded(event('leaver'), none)).toBe(true);
    expect(isChecklistNeeded(event('leaver'), { ...none, hasLeftSinceJoining: true })).toBe(false);
    expect(isChecklistNeeded(event('mover'), { ...none, kinds: new Set(['mover'] as const) })).toBe(
      false,
    );
    expect(
      isChecklistNeeded(event('mover'), { ...none, kinds: new Set(['joiner'] as const) }),
    ).toBe(true);
  });

  it('ends joining and moving when a person leaves, and leaving when they return', () => {
    expect(kindsCancelledBy('leaver')).toEqual(['joiner', 'mover']);
    expect(kindsCancelledBy('joiner')).toEqual(['leaver']);
    expect(kindsCancelledBy('mover')).toEqual([]);
  });
});

describe('planItems', () => {
  const accounts = [
    { id: 'a1', systemId: 's1', systemName: 'Billing DB', username: 'ann', email: null },
    { id: 'a2', systemId: 's2', systemName: 'GitHub', username: null, email: 'ann@x.test' },
  ];

  it('lists one leaver item per account, then the other tasks', () => {
    const items = planItems(defaultTemplates.leaver.items, 'employee', accounts);
    expect(items.map((i) => i.title)).toEqual([
      'Disable ann on Billing DB',
      'Disable ann@x.test on GitHub',
      'Disable the identity provider account and revoke sessions',
      'Collect devices and badges',
    ]);
    expect(items[0]).toMatchObject({ type: 'account', accountId: 'a1', systemId: 's1' });
  });

  it('keeps "disable every account" as a task when the inventory knows of none', () => {
    const items = planItems(defaultTemplates.leaver.items, null, []);
    expect(items[0]).toMatchObject({ type: 'task', title: 'Disable every account' });
  });

  it('applies screening only to the employment types it names', () => {
    const titles = (type: 'intern' | 'employee' | null) =>
      planItems(defaultTemplates.joiner.items, type, []).map((i) => i.title);
    expect(titles('employee')).toContain('Complete background screening');
    expect(titles('intern')).not.toContain('Complete background screening');
    expect(titles(null)).toContain('Complete background screening');
  });
});

describe('evaluateChecks', () => {
  it('fails for an overdue leaver, naming them, and passes movers without one', () => {
    const outcome = evaluateChecks(
      [
        {
          kind: 'leaver',
          personName: 'Ann',
          dueAt: new Date('2026-11-01T00:00:00Z'),
          openItems: 2,
        },
      ],
      { leaver: 3, mover: 1 },
    );
    expect(outcome.leavers.status).toBe('fail');
    expect(outcome.leavers.summary).toContain('Ann (2 open)');
    expect(outcome.movers.status).toBe('pass');
    expect(outcome.movers.summary).toContain('1 completed');
  });

  it('passes when nothing is overdue', () => {
    const outcome = evaluateChecks([], { leaver: 0, mover: 0 });
    expect(outcome.leavers).toMatchObject({
      status: 'pass',
      summary: 'No leaver checklist(s) past the deadline',
    });
  });
});
