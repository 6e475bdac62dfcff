import type {
  EmploymentType,
  LifecycleKind,
  LifecycleSettings,
  PersonChange,
  PersonStatus,
} from '@steward/contracts';
import { z } from 'zod';

/** A directory change as the lifecycle sees it. */
export interface DirectoryChange {
  personId: string;
  kind: PersonChange['kind'];
  changes: Record<string, { from: unknown; to: unknown }>;
}

/** A lifecycle event a directory change calls for. */
export interface DerivedEvent {
  personId: string;
  kind: LifecycleKind;
  reason: string;
  details: Record<string, unknown>;
}

/** The fields whose change makes a person a mover. */
export const moverFields = ['department', 'title', 'managerId'] as const;

const fieldLabels: Record<(typeof moverFields)[number], string> = {
  department: 'department',
  title: 'title',
  managerId: 'manager',
};

function isFilled(value: unknown): boolean {
  return value !== null && value !== undefined && value !== '';
}

/**
 * The lifecycle event one directory change calls for, if any: a new (not departed) person or a
 * returning one joins; a person who becomes departed leaves; a change of department, title or
 * manager moves them — but a first value filled in (nothing before) is completing the record,
 * not a move, and a departed person does not move.
 */
export function deriveEvent(change: DirectoryChange, statusNow: PersonStatus): DerivedEvent | null {
  const status = change.changes.status;
  const becameDeparted = status !== undefined && status.to === 'departed';
  if (change.kind === 'created') {
    if (statusNow === 'departed') return null;
    return {
      personId: change.personId,
      kind: 'joiner',
      reason: 'Added to the directory',
      details: {},
    };
  }
  if (change.kind === 'reactivated') {
    return {
      personId: change.personId,
      kind: 'joiner',
      reason: 'Returned (reactivated in the directory)',
      details: {},
    };
  }
  if (change.kind === 'removed') {
    // A user removed while already departed left earlier; that departure was the leaver event.
    return becameDeparted
      ? {
          personId: change.personId,
          kind: 'leaver',
          reason: 'Removed by the identity provider',
          details: { endDate: change.changes.endDate?.to ?? null },
        }
      : null;
  }
  if (change.kind === 'deactivated' || becameDeparted) {
    return {
      personId: change.personId,
      kind: 'leaver',
      reason: 'Deactivated in the directory',
      details: { endDate: change.changes.endDate?.to ?? null },
    };
  }
  if (statusNow === 'departed') return null;
  const moved: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of moverFields) {
    const diff = change.changes[field];
    if (diff && isFilled(diff.from)) moved[field] = diff;
  }
  const fields = Object.keys(moved) as (typeof moverFields)[number][];
  if (fields.length === 0) return null;
  return {
    personId: change.personId,
    kind: 'mover',
    reason: `Changed ${fields.map((f) => fieldLabels[f]).join(', ')}`,
    details: moved,
  };
}

/** What the org already has open for a person, deciding whether a new event opens anything. */
export interface OpenWork {
  kinds: ReadonlySet<LifecycleKind>;
  /** Whether the person has a leaver event since they last joined. */
  hasLeftSinceJoining: boolean;
}

/**
 * Whether an event opens a checklist: a person leaves once per stay and has at most one open
 * joiner or mover checklist (a second move while one is open is reviewed in it).
 */
export function isChecklistNeeded(event: DerivedEvent, open: OpenWork): boolean {
  if (event.kind === 'leaver') return !open.hasLeftSinceJoining;
  return !open.kinds.has(event.kind);
}

/** The open checklists an event ends: leaving ends joining and moving; returning ends leaving. */
export function kindsCancelledBy(kind: LifecycleKind): LifecycleKind[] {
  if (kind === 'leaver') return ['joiner', 'mover'];
  if (kind === 'joiner') return ['leaver'];
  return [];
}

/** An item of a template. */
export const templateItemRecordSchema = z.object({
  title: z.string(),
  description: z.string(),
  type: z.enum(['task', 'disable_accounts', 'review_accounts']),
  employmentTypes: z.array(z.enum(['employee', 'contractor', 'intern', 'other'])),
});

/** An item of a template. */
export type TemplateItem = z.infer<typeof templateItemRecordSchema>;

/** Steward's templates, used until the org changes them. */
export const defaultTemplates: Record<LifecycleKind, { name: string; items: TemplateItem[] }> = {
  joiner: {
    name: 'Joiner',
    items: [
      {
        title: 'Create the accounts the role needs',
        description:
          'Create the baseline accounts of the role profile; anything more goes through an approved access request.',
        type: 'task',
        employmentTypes: [],
      },
      {
        title: 'Ask for the security policies to be acknowledged',
        description: 'The person acknowledges every policy whose audience includes them.',
        type: 'task',
        employmentTypes: [],
      },
      {
        title: 'Assign security awareness training',
        description: 'Assign the onboarding training modules, due within the first month.',
        type: 'task',
        employmentTypes: [],
      },
      {
        title: 'Complete background screening',
        description:
          'Where the law allows it and the role holds production or Customer Data access, record the screening outcome (never the report).',
        type: 'task',
        employmentTypes: ['employee', 'contractor'],
      },
    ],
  },
  mover: {
    name: 'Mover',
    items: [
      {
        title: 'Review access that no longer fits the new role',
        description:
          'Go through the accounts and entitlements the person holds; remove what the new role does not need and grant what it does through the usual request.',
        type: 'review_accounts',
        employmentTypes: [],
      },
    ],
  },
  leaver: {
    name: 'Leaver',
    items: [
      {
        title: 'Disable every account',
        description:
          'Each account the person holds on a system of the inventory is listed; it closes when the next sync shows it disabled or removed, or with evidence from the system owner.',
        type: 'disable_accounts',
        employmentTypes: [],
      },
      {
        title: 'Disable the identity provider account and revoke sessions',
        description: 'Deactivate the person in the identity provider on their last day.',
        type: 'task',
        employmentTypes: [],
      },
      {
        title: 'Collect devices and badges',
        description: 'Record the return of laptops, tokens and badges.',
        type: 'task',
        employmentTypes: [],
      },
    ],
  },
};

/** Steward's default deadlines. */
export const defaultSettings: LifecycleSettings = {
  leaverDeadlineHours: 24,
  moverDeadlineHours: 120,
  joinerDeadlineHours: 168,
};

/** Hours a checklist of a kind may stay open. */
export function deadlineHours(settings: LifecycleSettings, kind: LifecycleKind): number {
  if (kind === 'leaver') return settings.leaverDeadlineHours;
  if (kind === 'mover') return settings.moverDeadlineHours;
  return settings.joinerDeadlineHours;
}

/** Whether a template item applies to a person of an employment type (unknown: it applies). */
export function isItemApplicable(item: TemplateItem, type: EmploymentType | null): boolean {
  return item.employmentTypes.length === 0 || type === null || item.employmentTypes.includes(type);
}

/** An account the person holds, as a leaver item lists it. */
export interface HeldAccount {
  id: string;
  systemId: string;
  systemName: string;
  username: string | null;
  email: string | null;
}

/** The title of the item that disables one account. */
export function accountItemTitle(account: HeldAccount): string {
  const name = account.username ?? account.email ?? account.id;
  return `Disable ${name} on ${account.systemName}`.slice(0, 600);
}

/** A checklist's items before they are stored. */
export interface PlannedItem {
  type: 'task' | 'account' | 'review_accounts';
  title: string;
  description: string;
  systemId: string | null;
  accountId: string | null;
}

/**
 * The items a checklist opens with: the template's items that apply to the person, where a
 * "disable accounts" item becomes one item per active account (or stays a task to do by hand
 * when the inventory knows of none).
 */
export function planItems(
  items: readonly TemplateItem[],
  employmentType: EmploymentType | null,
  accounts: readonly HeldAccount[],
): PlannedItem[] {
  const planned: PlannedItem[] = [];
  for (const item of items) {
    if (!isItemApplicable(item, employmentType)) continue;
    if (item.type === 'disable_accounts' && accounts.length > 0) {
      for (const account of accounts) {
        planned.push({
          type: 'account',
          title: accountItemTitle(account),
          description: item.description,
          systemId: account.systemId,
          accountId: account.id,
        });
      }
      continue;
    }
    planned.push({
      type: item.type === 'review_accounts' ? 'review_accounts' : 'task',
      title: item.title,
      description: item.description,
      systemId: null,
      accountId: null,
    });
  }
  return planned;
}

/** An overdue checklist as the checks weigh it. */
export interface OverdueChecklist {
  kind: LifecycleKind;
  personName: string;
  dueAt: Date;
  openItems: number;
}

/** A check outcome. */
export interface CheckOutcome {
  status: 'pass' | 'fail';
  summary: string;
  details: Record<string, unknown>;
}

function namesOf(list: readonly OverdueChecklist[]): string {
  const names = list.slice(0, 5).map((c) => `${c.personName} (${String(c.openItems)} open)`);
  return names.join(', ') + (list.length > 5 ? ` and ${String(list.length - 5)} more` : '');
}

/**
 * The two annex checks: leavers deprovisioned (no leaver checklist open past its deadline) and
 * movers' access adjusted (no mover checklist open past its deadline).
 */
export function evaluateChecks(
  overdue: readonly OverdueChecklist[],
  closedCounts: Record<'leaver' | 'mover', number>,
): { leavers: CheckOutcome; movers: CheckOutcome } {
  const outcome = (kind: 'leaver' | 'mover', label: string, doneLabel: string): CheckOutcome => {
    const late = overdue.filter((c) => c.kind === kind);
    if (late.length > 0) {
      return {
        status: 'fail',
        summary: `${String(late.length)} ${label} past the deadline: ${namesOf(late)}`,
        details: {
          overdue: late.slice(0, 50).map((c) => ({
            person: c.personName,
            dueAt: c.dueAt.toISOString(),
            openItems: c.openItems,
          })),
        },
      };
    }
    return {
      status: 'pass',
      summary:
        closedCounts[kind] > 0
          ? `No ${label} past the deadline; ${String(closedCounts[kind])} ${doneLabel}`
          : `No ${label} past the deadline`,
      details: { completed: closedCounts[kind] },
    };
  };
  return {
    leavers: outcome('leaver', 'leaver checklist(s)', 'completed'),
    movers: outcome('mover', 'mover checklist(s)', 'completed'),
  };
}
