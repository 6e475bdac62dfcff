import { z } from 'zod';

/** One of the caller's sign-in sessions (never its secret). */
export const sessionSchema = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  authMethod: z.string(),
  isCurrent: z.boolean(),
});

/** A session. */
export type Session = z.infer<typeof sessionSchema>;

/** The caller's live sessions, newest first. */
export const sessionListSchema = z.object({ items: z.array(sessionSchema) });

/** How many sessions a revocation ended. */
export const revokedSessionsSchema = z.object({ revoked: z.number().int().min(0) });
