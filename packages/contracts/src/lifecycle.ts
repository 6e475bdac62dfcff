import { z } from 'zod';
import { idParamsSchema } from './common.ts';
import type { Endpoint } from './endpoints.ts';
import { employmentTypeSchema, personStatusSchema } from './people.ts';

function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

/** The three moments of a person's employment that change what access they should have. */
export const lifecycleKinds = ['joiner', 'mover', 'leaver'] as const;

/** A lifecycle event kind. */
export const lifecycleKindSchema = z.enum(lifecycleKinds);

/** A lifecycle event kind. */
export type LifecycleKind = z.infer<typeof lifecycleKindSchema>;

/** Where a checklist stands: work to do, all done, or no longer needed (the person left or came back). */
export const checklistStatuses = ['open', 'done', 'cancelled'] as const;

/** A checklist's status. */
export const checklistStatusSchema = z.enum(checklistStatuses);

/**
 * What a template item becomes: a task someone ticks, one item per active account the person
 * holds (leaver: disable it), or a review of the person's accounts (mover).
 */
export const templateItemTypes = ['task', 'disable_accounts', 'review_accounts'] as const;

/** A template item type. */
export const templateItemTypeSchema = z.enum(templateItemTypes);

/** What a checklist item is: a task, or one account on one system. */
export const checklistItemTypes = ['task', 'account', 'review_accounts'] as const;

/** How an item was closed: ticked by a person, shown by an account sync, or proved by evidence. */
export const itemClosedVia = ['manual', 'sync', 'evidence'] as const;

/** Where an item stands. */
export const checklistItemStatuses = ['open', 'done', 'not_applicable'] as const;

/** An item of a lifecycle template. */
export const templateItemSchema = z.object({
  title: z.string(),
  description: z.string(),
  type: templateItemTypeSchema,
  /** The employment types the item applies to; empty: everyone. */
  employmentTypes: z.array(employmentTypeSchema),
});

/** An org's template for one lifecycle kind. */
export const lifecycleTemplateSchema = z.object({
  kind: lifecycleKindSchema,
  name: z.string(),
  items: z.array(templateItemSchema),
  /** Whether the org has changed it (otherwise it is Steward's default). */
  isCustomised: z.boolean(),
  updatedAt: z.iso.datetime().nullable(),
});

/** A lifecycle template. */
export type LifecycleTemplate = z.infer<typeof lifecycleTemplateSchema>;

/** Templates of the org, one per kind. */
export const lifecycleTemplateListSchema = z.object({ items: z.array(lifecycleTemplateSchema) });

/** Replace a template's name and items. */
export const updateLifecycleTemplateSchema = z.strictObject({
  name: z.string().trim().min(1, 'Enter a name').max(200),
  items: z
    .array(
      z.strictObject({
        title: z.string().trim().min(1, 'Enter a title').max(300),
        description: z.string().trim().max(2000).default(''),
        type: templateItemTypeSchema.default('task'),
        employmentTypes: z.array(employmentTypeSchema).max(4).default([]),
      }),
    )
    .min(1, 'Add at least one item')
    .max(50),
});

/** The kind of a template in a path. */
export const lifecycleKindParamsSchema = z.strictObject({ kind: lifecycleKindSchema });

/** Organisation settings of the lifecycle: how long each checklist may stay open. */
export const lifecycleSettingsSchema = z.object({
  /** Hours a leaver's accounts may stay enabled after the departure (default 24). */
  leaverDeadlineHours: z.number().int().min(1).max(720),
  /** Hours to adjust a mover's access (default 120, five days). */
  moverDeadlineHours: z.number().int().min(1).max(2160),
  /** Hours to prepare a joiner (default 168, one week). */
  joinerDeadlineHours: z.number().int().min(1).max(2160),
});

/** Lifecycle settings. */
export type LifecycleSettings = z.infer<typeof lifecycleSettingsSchema>;

/** Change lifecycle settings. */
export const updateLifecycleSettingsSchema = lifecycleSettingsSchema.partial().strict();

/** A person as a checklist names them. */
export const lifecyclePersonSchema = z.object({
  id: z.uuid(),
  displayName: z.string(),
  email: z.string().nullable(),
  department: z.string().nullable(),
  status: personStatusSchema,
});

/** One item of a checklist. */
export const checklistItemSchema = z.object({
  id: z.uuid(),
  checklistId: z.uuid(),
  position: z.number().int(),
  type: z.enum(checklistItemTypes),
  title: z.string(),
  description: z.string(),
  status: z.enum(checklistItemStatuses),
  /** For account items: the system and account to disable. */
  system: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  account: z
    .object({ id: z.uuid(), username: z.string().nullable(), email: z.string().nullable() })
    .nullable(),
  /** Whether the signed-in user may close it (system owner for account items). */
  canClose: z.boolean(),
  closedAt: z.iso.datetime().nullable(),
  closedBy: z.string().nullable(),
  closedVia: z.enum(itemClosedVia).nullable(),
  evidenceId: z.uuid().nullable(),
  note: z.string().nullable(),
});

/** A checklist item. */
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

/** A checklist opened by a lifecycle event. */
export const checklistSchema = z.object({
  id: z.uuid(),
  kind: lifecycleKindSchema,
  status: checklistStatusSchema,
  person: lifecyclePersonSchema,
  /** Why it was opened, e.g. "Deactivated by the identity provider". */
  reason: z.string(),
  /** What changed (mover): field → from/to. */
  details: z.record(z.string(), z.unknown()),
  openedAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
  isOverdue: z.boolean(),
  itemCount: z.number().int(),
  openItemCount: z.number().int(),
});

/** A checklist. */
export type Checklist = z.infer<typeof checklistSchema>;

/** A checklist with its items. */
export const checklistDetailSchema = z.object({
  checklist: checklistSchema,
  items: z.array(checklistItemSchema),
});

/** Filters of the checklist list (newest first, keyset paginated). */
export const checklistQuerySchema = z.strictObject({
  /** `overdue`: open and past the deadline. */
  status: z.enum(['open', 'overdue', 'done', 'cancelled', 'all']).default('open'),
  kind: lifecycleKindSchema.optional(),
  personId: z.uuid().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A page of checklists. */
export const checklistPageSchema = z.object({
  items: z.array(checklistSchema),
  nextCursor: z.string().nullable(),
});

/** Close an item: done (with a note or evidence) or not applicable (with a reason). */
export const completeChecklistItemSchema = z.strictObject({
  outcome: z.enum(['done', 'not_applicable']).default('done'),
  note: z.string().trim().max(2000).optional(),
  /** Evidence (from the evidence library) showing the work was done; required for accounts. */
  evidenceId: z.uuid().optional(),
});

/** Open lifecycle work of the org, for the dashboard. */
export const lifecycleSummarySchema = z.object({
  open: z.record(lifecycleKindSchema, z.number().int()),
  overdue: z.record(lifecycleKindSchema, z.number().int()),
  /** Open items of overdue checklists. */
  overdueItems: z.number().int(),
});

/** An account a person holds on a system of the inventory. */
export const personAccountSchema = z.object({
  id: z.uuid(),
  system: z.object({ id: z.uuid(), name: z.string() }),
  username: z.string().nullable(),
  email: z.string().nullable(),
  status: z.string(),
});

/** A person's lifecycle checklists and accounts. */
export const personLifecycleSchema = z.object({
  checklists: z.array(checklistSchema),
  /** Accounts on the systems inventory; empty while no inventory is kept. */
  accounts: z.array(personAccountSchema),
});

/** Endpoints of joiner/mover/leaver checklists. */
export const lifecycleEndpoints = {
  listChecklists: endpoint({
    method: 'GET',
    path: '/api/v1/lifecycle/checklists',
    summary: 'Joiner, mover and leaver checklists, newest first',
    tag: 'lifecycle',
    access: 'people.read',
    query: checklistQuerySchema,
    response: checklistPageSchema,
  }),
  getChecklist: endpoint({
    method: 'GET',
    path: '/api/v1/lifecycle/checklists/:id',
    summary: 'One checklist with its items',
    tag: 'lifecycle',
    access: 'people.read',
    params: idParamsSchema,
    response: checklistDetailSchema,
  }),
  completeChecklistItem: endpoint({
    method: 'POST',
    path: '/api/v1/lifecycle/items/:id/complete',
    summary:
      'Close a checklist item; an account item needs evidence from the system owner (or closes by sync)',
    tag: 'lifecycle',
    access: 'people.read',
    audit: 'lifecycle.item_completed',
    params: idParamsSchema,
    body: completeChecklistItemSchema,
    response: checklistItemSchema,
  }),
  getLifecycleSummary: endpoint({
    method: 'GET',
    path: '/api/v1/lifecycle/summary',
    summary: 'Open and overdue checklists by kind',
    tag: 'lifecycle',
    access: 'people.read',
    response: lifecycleSummarySchema,
  }),
  listLifecycleTemplates: endpoint({
    method: 'GET',
    path: '/api/v1/lifecycle/templates',
    summary: 'The joiner, mover and leaver templates of the org',
    tag: 'lifecycle',
    access: 'people.read',
    response: lifecycleTemplateListSchema,
  }),
  updateLifecycleTemplate: endpoint({
    method: 'PUT',
    path: '/api/v1/lifecycle/templates/:kind',
    summary: 'Replace the template of a kind (checklists already open keep their items)',
    tag: 'lifecycle',
    access: 'people.manage',
    audit: 'lifecycle.template_updated',
    params: lifecycleKindParamsSchema,
    body: updateLifecycleTemplateSchema,
    response: lifecycleTemplateSchema,
  }),
  getLifecycleSettings: endpoint({
    method: 'GET',
    path: '/api/v1/lifecycle/settings',
    summary: 'Deadlines of joiner, mover and leaver checklists',
    tag: 'lifecycle',
    access: 'people.read',
    response: lifecycleSettingsSchema,
  }),
  updateLifecycleSettings: endpoint({
    method: 'PATCH',
    path: '/api/v1/lifecycle/settings',
    summary: 'Change the deadlines (checklists opened later use them)',
    tag: 'lifecycle',
    access: 'people.manage',
    audit: 'lifecycle.settings_updated',
    body: updateLifecycleSettingsSchema,
    response: lifecycleSettingsSchema,
  }),
  getPersonLifecycle: endpoint({
    method: 'GET',
    path: '/api/v1/people/:id/lifecycle',
    summary: "A person's lifecycle checklists and their accounts on the systems inventory",
    tag: 'lifecycle',
    access: 'people.read',
    params: idParamsSchema,
    response: personLifecycleSchema,
  }),
} as const;
