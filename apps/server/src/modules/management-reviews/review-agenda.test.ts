import { describe, expect, it } from 'vitest';
import { buildAgenda, evaluateReviewCadence, type AgendaFigures } from './review-agenda.ts';

function figures(overrides: Partial<AgendaFigures> = {}): AgendaFigures {
  return {
    now: new Date('2026-11-27T10:00:00Z'),
    today: '2026-11-27',
    sinceReviewOn: '2026-08-20',
    sections: [
      { number: 1, title: 'Security governance' },
      { number: 2, title: 'Access control' },
    ],
    readiness: new Map([
      ['overall', { passing: 3, total: 8 }],
      ['section:1', { passing: 1, total: 3 }],
    ]),
    overdueTasks: {
      count: 1,
      items: [{ title: 'Restore test', controlRef: 'BC-02', dueOn: '2026-10-01', owner: 'Ana' }],
    },
    slaBreaches: [
      { severity: 'low', count: 4 },
      { severity: 'critical', count: 1 },
    ],
    openHighRisks: 2,
    openActions: [
      { title: 'Later', owner: null, dueOn: '2027-01-10' },
      { title: 'Late', owner: 'Bo', dueOn: '2026-11-01' },
    ],
    ...overrides,
  };
}

describe('buildAgenda', () => {
  it('rolls readiness up per annex section, zero where a section has no control', () => {
    const agenda = buildAgenda(figures());
    expect(agenda.readiness).toEqual({ passing: 3, total: 8, percent: 37.5 });
    expect(agenda.sections).toEqual([
      { section: 1, title: 'Security governance', passing: 1, total: 3, percent: 33.3 },
      { section: 2, title: 'Access control', passing: 0, total: 0, percent: 0 },
    ]);
    expect(agenda.builtAt).toBe('2026-11-27T10:00:00.000Z');
    expect(agenda.sinceReviewOn).toBe('2026-08-20');
  });

  it('totals SLA breaches by severity, most severe first', () => {
    const agenda = buildAgenda(figures());
    expect(agenda.slaBreaches.count).toBe(5);
    expect(Object.keys(agenda.slaBreaches.bySeverity)).toEqual(['critical', 'low']);
  });

  it('says honestly that incidents cannot be counted', () => {
    const agenda = buildAgenda(figures());
    expect(agenda.incidents.count).toBeNull();
    expect(agenda.incidents.note).toMatch(/No incident register/);
  });

  it('counts open high risks, or says the register is not available', () => {
    expect(buildAgenda(figures()).openHighRisks).toEqual({
      count: 2,
      note: '2 open risks rated high or above in the risk register.',
    });
    expect(buildAgenda(figures({ openHighRisks: null })).openHighRisks.count).toBeNull();
  });

  it('lists open actions with the overdue ones first', () => {
    const agenda = buildAgenda(figures());
    expect(agenda.openActions.count).toBe(2);
    expect(agenda.openActions.overdue).toBe(1);
    expect(agenda.openActions.items.map((a) => [a.title, a.isOverdue])).toEqual([
      ['Late', true],
      ['Later', false],
    ]);
  });

  it('keeps at most 25 items of a list but the whole count', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({
      title: `Task ${String(i)}`,
      controlRef: 'X',
      dueOn: '2026-01-01',
      owner: null,
    }));
    const agenda = buildAgenda(figures({ overdueTasks: { count: 40, items } }));
    expect(agenda.overdueTasks.count).toBe(40);
    expect(agenda.overdueTasks.items).toHaveLength(25);
  });
});

describe('evaluateReviewCadence', () => {
  it('records nothing before the first review', () => {
    expect(
      evaluateReviewCadence({ lastHeldOn: null, cadenceMonths: 3, today: '2026-11-27' }),
    ).toBeNull();
  });

  it('passes up to and including the due day, fails the day after', () => {
    const due = { lastHeldOn: '2026-08-27', cadenceMonths: 3 };
    expect(evaluateReviewCadence({ ...due, today: '2026-11-27' })?.status).toBe('pass');
    const late = evaluateReviewCadence({ ...due, today: '2026-11-28' });
    expect(late?.status).toBe('fail');
    expect(late?.summary).toBe(
      'Management review overdue: the last was held on 2026-08-27 and the next was due by 2026-11-27 (every 3 months)',
    );
  });
});
