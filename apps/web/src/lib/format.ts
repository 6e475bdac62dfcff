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

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A calendar day `YYYY-MM-DD` in the reader's locale, e.g. "3 Mar 2026". */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : dayFormat.format(date);
}

/** Today as `YYYY-MM-DD` in UTC, the calendar Steward's statuses are computed in. */
export function todayUtcDay(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A `YYYY-MM-DD` day moved by whole days. */
export function addDaysToDay(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** A byte count as a person reads it: "12.4 MB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit] ?? 'TB'}`;
}

/** A percentage with at most one decimal: "87.5%". */
export function formatPercent(percent: number): string {
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}
