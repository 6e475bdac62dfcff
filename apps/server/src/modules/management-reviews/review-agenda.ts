import type { reviewAgendaSchema } from '@steward/contracts';
import type { z } from 'zod';
import { addMonths } from '../controls/index.ts';

/** The agenda of a review, as frozen in its record. */
export type ReviewAgenda = z.infer<typeof reviewAgendaSchema>;

/** Live figures the agenda is built from. */
export interface AgendaFigures {
  now: Date;
  today: string;
  sinceReviewOn: string | null;
  sections: readonly { number: number; title: string }[];
  /** Passing and total per readiness scope (`overall`, `section:<n>`). */
  readiness: ReadonlyMap<string, { passing: number; total: number }>;
  overdueTasks: {
    count: number;
    items: { title: string; controlRef: string; dueOn: string; owner: string | null }[];
  };
  slaBreaches: readonly { severity: string; count: number }[];
  /** Null when the risk register cannot be read (not installed). */
  openHighRisks: number | null;
  openActions: readonly { title: string; owner: string | null; dueOn: string }[];
}

/** Most items of a list the agenda keeps (the counts stay complete). */
export const agendaListLimit = 25;

/** Why incidents carry no figure: there is nothing to count them in. */
export const noIncidentRegisterNote =
  'No incident register: Steward does not record incidents yet, so none are counted here. Report incidents since the last review in the minutes.';

function percentOf(passing: number, total: number): number {
  return total === 0 ? 0 : Math.round((passing / total) * 1000) / 10;
}

function plural(n: number, word: string): string {
  return `${String(n)} ${word}${n === 1 ? '' : 's'}`;
}

const severityOrder = ['critical', 'high', 'medium', 'low', 'info'];

/** Build a review's agenda from the figures of the moment; the result is stored as it is. */
export function buildAgenda(figures: AgendaFigures): ReviewAgenda {
  const overall = figures.readiness.get('overall') ?? { passing: 0, total: 0 };
  const bySeverity: Record<string, number> = {};
  const breaches = [...figures.slaBreaches].sort(
    (a, b) => severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity),
  );
  for (const b of breaches) bySeverity[b.severity] = (bySeverity[b.severity] ?? 0) + b.count;
  const actions = figures.openActions
    .map((a) => ({ ...a, isOverdue: a.dueOn < figures.today }))
    .sort((a, b) =>
      a.isOverdue === b.isOverdue ? a.dueOn.localeCompare(b.dueOn) : a.isOverdue ? -1 : 1,
    );
  return {
    builtAt: figures.now.toISOString(),
    sinceReviewOn: figures.sinceReviewOn,
    readiness: { ...overall, percent: percentOf(overall.passing, overall.total) },
    sections: figures.sections.map((s) => {
      const t = figures.readiness.get(`section:${String(s.number)}`) ?? { passing: 0, total: 0 };
      return { section: s.number, title: s.title, ...t, percent: percentOf(t.passing, t.total) };
    }),
    overdueTasks: {
      count: figures.overdueTasks.count,
      items: figures.overdueTasks.items.slice(0, agendaListLimit),
    },
    slaBreaches: {
      count: breaches.reduce((sum, b) => sum + b.count, 0),
      bySeverity,
    },
    openHighRisks:
      figures.openHighRisks === null
        ? {
            count: null,
            note: 'The risk register is not available, so open high risks are not counted.',
          }
        : {
            count: figures.openHighRisks,
            note: `${plural(figures.openHighRisks, 'open risk')} rated high or above in the risk register.`,
          },
    incidents: { count: null, note: noIncidentRegisterNote },
    openActions: {
      count: actions.length,
      overdue: actions.filter((a) => a.isOverdue).length,
      items: actions.slice(0, agendaListLimit),
    },
  };
}

/** What the oversight check concludes: null while no review was ever held (nothing to prove). */
export function evaluateReviewCadence(input: {
  lastHeldOn: string | null;
  cadenceMonths: number;
  today: string;
}): { status: 'pass' | 'fail'; summary: string; nextDueOn: string } | null {
  if (input.lastHeldOn === null) return null;
  const nextDueOn = addMonths(input.lastHeldOn, input.cadenceMonths);
  const every = plural(input.cadenceMonths, 'month');
  return input.today <= nextDueOn
    ? {
        status: 'pass',
        summary: `Management review held on ${input.lastHeldOn}; the next is due by ${nextDueOn} (every ${every})`,
        nextDueOn,
      }
    : {
        status: 'fail',
        summary: `Management review overdue: the last was held on ${input.lastHeldOn} and the next was due by ${nextDueOn} (every ${every})`,
        nextDueOn,
      };
}
