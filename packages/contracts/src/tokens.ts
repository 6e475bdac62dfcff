import { z } from 'zod';
import { roleSchema } from './permissions.ts';

/** An API token as listed (never the secret). */
export const apiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string(),
  userId: z.uuid(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});

/** An API token. */
export type ApiToken = z.infer<typeof apiTokenSchema>;

/** Longest lifetime of an API token, in days. */
export const maxTokenDays = 366;

/** Create an API token for yourself; its role defaults to yours and may not exceed it. */
export const createTokenSchema = z.strictObject({
  name: z.string().trim().min(1, 'Enter a name').max(100),
  role: roleSchema.optional(),
  expiresInDays: z.number().positive().max(maxTokenDays).default(90),
});

/** A newly created token: the secret is shown this once. */
export const createdTokenSchema = z.object({ token: apiTokenSchema, secret: z.string() });

/** A list of tokens. */
export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) });

/** Parse a duration like `90d`, `12h` or `30m` into days (fractional); null when malformed. */
export function parseDurationDays(text: string): number | null {
  const match = /^(\d{1,5})([dhm])$/.exec(text.trim());
  if (!match) return null;
  const amount = Number(match[1]);
  const unit = match[2];
  if (amount <= 0) return null;
  if (unit === 'd') return amount;
  if (unit === 'h') return amount / 24;
  return amount / 1440;
}
