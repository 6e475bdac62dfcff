import { mfaMethods, type MfaMethod } from '@steward/contracts';

/**
 * The second factors named in the challenge page's `methods` search parameter (an array, or a
 * comma-separated string when typed by hand); undefined when it names none we know.
 */
export function toMfaMethods(value: unknown): MfaMethod[] | undefined {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  const known = mfaMethods.filter((method) => items.includes(method));
  return known.length > 0 ? known : undefined;
}
