import { endpoints, type QueryOf } from '@steward/contracts';
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { ApiError, call } from '../../lib/api-client.ts';

/** First key of every support access query. */
export const supportAccessKey = 'support-access';

/** Support access requests, filtered. */
export function requestsQuery(query: QueryOf<typeof endpoints.listSupportAccessRequests> = {}) {
  return queryOptions({
    queryKey: [supportAccessKey, 'requests', query],
    staleTime: 0,
    queryFn: ({ signal }) => call(endpoints.listSupportAccessRequests, { query, signal }),
  });
}

/** One request with its webhook deliveries. */
export function requestQuery(id: string) {
  return queryOptions({
    queryKey: [supportAccessKey, 'request', id],
    queryFn: ({ signal }) => call(endpoints.getSupportAccessRequest, { params: { id }, signal }),
  });
}

/** The org's customers. */
export const customersQuery = queryOptions({
  queryKey: [supportAccessKey, 'customers'],
  queryFn: ({ signal }) => call(endpoints.listCustomers, { signal }),
});

/** One customer. */
export function customerQuery(id: string) {
  return queryOptions({
    queryKey: [supportAccessKey, 'customer', id],
    queryFn: ({ signal }) => call(endpoints.getCustomer, { params: { id }, signal }),
  });
}

/** A customer's access report. */
export function accessReportQuery(id: string) {
  return queryOptions({
    queryKey: [supportAccessKey, 'report', id],
    staleTime: 0,
    queryFn: ({ signal }) => call(endpoints.getCustomerAccessReport, { params: { id }, signal }),
  });
}

/** Systems with their support access configuration. */
export const supportSystemsQuery = queryOptions({
  queryKey: [supportAccessKey, 'systems'],
  queryFn: ({ signal }) => call(endpoints.listSupportAccessSystems, { signal }),
});

/** The org's duration limits. */
export const supportSettingsQuery = queryOptions({
  queryKey: [supportAccessKey, 'settings'],
  queryFn: ({ signal }) => call(endpoints.getSupportAccessSettings, { signal }),
});

/** The org's on-call rules. */
export const rulesQuery = queryOptions({
  queryKey: [supportAccessKey, 'rules'],
  queryFn: ({ signal }) => call(endpoints.listSupportAccessRules, { signal }),
});

/** Refresh everything support access shows. */
export function invalidateSupportAccess(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: [supportAccessKey] });
}

/** The API's field errors by path. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!(error instanceof ApiError)) return errors;
  for (const fieldError of error.fieldErrors) errors[fieldError.path] ??= fieldError.message;
  return errors;
}

/** "1 h 05 min 09 s" until `iso`, or null once it has passed. */
export function formatRemaining(iso: string, now: number): string | null {
  const ms = new Date(iso).getTime() - now;
  if (ms <= 0) return null;
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${String(h)} h ${pad(m)} min ${pad(s)} s` : `${String(m)} min ${pad(s)} s`;
}

/** A duration in minutes in words: "4 h", "1 h 30 min", "45 min". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${String(m)} min`;
  return m === 0 ? `${String(h)} h` : `${String(h)} h ${String(m)} min`;
}
