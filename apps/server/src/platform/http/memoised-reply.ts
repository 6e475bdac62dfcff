import type { FastifyReply } from 'fastify';
import type { MemoisedRead } from '../audit/org-read-memo.ts';

/**
 * Answer a memoised read: its entity tag (revalidated on every use, as it changes with every
 * change to the org), the value, or 304 without a body when the caller's copy is current.
 */
export function replyMemoised<T>(reply: FastifyReply, read: MemoisedRead<T>): T {
  void reply.header('etag', read.etag).header('cache-control', 'private, no-cache');
  if (read.value !== undefined) return read.value;
  void reply.status(304);
  // A 304 carries no body; the response schema applies to 200 only.
  return '' as unknown as T;
}
