import { z } from 'zod';
import { roleSchema } from './permissions.ts';

/** A list query parameter, given repeated or comma-separated: trimmed, empty items dropped. */
export const textListSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((v) =>
    (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0),
  );

/** Refuse a record created blank (without a template) that lacks its key or its title. */
export function refineBlankNeedsKeyAndTitle(
  v: { templateKey?: string | undefined; key?: string | undefined; title?: string | undefined },
  ctx: z.RefinementCtx,
  message: string,
): void {
  if (v.templateKey === undefined && (v.key === undefined || v.title === undefined)) {
    ctx.addIssue({ code: 'custom', path: v.key === undefined ? ['key'] : ['title'], message });
  }
}

/** Check an audience: every value of a `roles` audience is a role; a narrowed one names one. */
export function refineAudience(
  v: { audience?: string | undefined; audienceValues?: string[] | undefined },
  ctx: z.RefinementCtx,
): void {
  if (v.audience === 'roles') {
    for (const [i, role] of (v.audienceValues ?? []).entries()) {
      if (!roleSchema.safeParse(role).success) {
        ctx.addIssue({ code: 'custom', path: ['audienceValues', i], message: 'Not a role' });
      }
    }
  }
  if (
    v.audience !== undefined &&
    v.audience !== 'everyone' &&
    (v.audienceValues ?? []).length === 0
  ) {
    ctx.addIssue({ code: 'custom', path: ['audienceValues'], message: 'Name at least one' });
  }
}

/** A `true`/`false` query parameter, read as a boolean. */
export const booleanTextSchema = z.enum(['true', 'false']).transform((v) => v === 'true');
