/**
 * A same-origin path to return to after sign-in, or undefined. Anything that could leave
 * the site (`//host`, `https://…`, `/\host`) is refused so the link cannot be used to phish.
 */
export function toSafeRedirect(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  if (value.startsWith('/sign-in') || value.startsWith('/setup')) return undefined;
  return value;
}
