const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

const preciseDateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
});

/** A date and time in the reader's locale and time zone. */
export function formatDateTime(iso: string, precise = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (precise ? preciseDateTimeFormat : dateTimeFormat).format(date);
}

/** A role key such as `security_manager` as a person reads it: "Security manager". */
export function formatRole(role: string): string {
  const words = role.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Convert a `datetime-local` input value to an ISO 8601 instant, or undefined when empty. */
export function toIsoInstant(localValue: string): string | undefined {
  if (!localValue) return undefined;
  const date = new Date(localValue);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
