import { z } from 'zod';

/** RFC 9457 problem details, with Steward's stable `code` and optional per-field errors. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string(),
  requestId: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** A problem details body. */
export type Problem = z.infer<typeof problemSchema>;

/** A UUID path parameter. */
export const idParamsSchema = z.strictObject({ id: z.uuid() });

/** An email address, trimmed and lower-cased. */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'Enter a valid email address' }))
  .transform((s) => s.toLowerCase());

/** Password length bounds (NIST SP 800-63B: long, no composition rules). */
export const passwordLimits = { min: 12, max: 128 } as const;

/** A password as submitted; content checks beyond length happen on the server. */
export const passwordSchema = z
  .string()
  .min(passwordLimits.min, `Use at least ${passwordLimits.min} characters`)
  .max(passwordLimits.max, `Use at most ${passwordLimits.max} characters`);

/** A person's display name. */
export const nameSchema = z.string().trim().min(1, 'Enter a name').max(200);

/** `GET /api/health` response. */
export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['ok', 'down']),
  version: z.string(),
});

/** An empty success body. */
export const okSchema = z.object({ ok: z.literal(true) });
