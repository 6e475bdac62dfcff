import { ApiError } from '../../lib/api-client.ts';

const linkProblems: Record<string, string> = {
  'auth.link_expired': 'This link has expired.',
  'auth.link_used': 'This link has already been used.',
  'auth.link_invalid': 'This link is not valid. It may have been replaced by a newer one.',
};

/** What to tell a person whose emailed link was refused, or null for other errors. */
export function describeLinkProblem(error: unknown): string | null {
  return error instanceof ApiError ? (linkProblems[error.code] ?? null) : null;
}
