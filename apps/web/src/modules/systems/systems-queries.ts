import { endpoints, type QueryOf } from '@steward/contracts';
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';

/** Cache key prefix of the systems inventory. */
export const systemsKey = 'systems';

/** Systems of the inventory, filtered. */
export function systemsQuery(query: QueryOf<typeof endpoints.listSystems> = {}) {
  return queryOptions({
    queryKey: [systemsKey, 'list', query],
    queryFn: ({ signal }) => call(endpoints.listSystems, { query, signal }),
  });
}

/** One system. */
export function systemQuery(id: string) {
  return queryOptions({
    queryKey: [systemsKey, 'system', id],
    queryFn: ({ signal }) => call(endpoints.getSystem, { params: { id }, signal }),
  });
}

/** Accounts, filtered. */
export function accountsQuery(query: QueryOf<typeof endpoints.listAccounts>) {
  return queryOptions({
    queryKey: [systemsKey, 'accounts', query],
    queryFn: ({ signal }) => call(endpoints.listAccounts, { query, signal }),
  });
}

/** One account with its entitlements and history. */
export function accountQuery(id: string) {
  return queryOptions({
    queryKey: [systemsKey, 'account', id],
    queryFn: ({ signal }) => call(endpoints.getAccount, { params: { id }, signal }),
  });
}

/** Sync history of a system. */
export function syncsQuery(id: string) {
  return queryOptions({
    queryKey: [systemsKey, 'syncs', id],
    queryFn: ({ signal }) => call(endpoints.listSystemSyncs, { params: { id }, signal }),
  });
}

/** Entitlement catalogue of a system. */
export function entitlementsQuery(id: string) {
  return queryOptions({
    queryKey: [systemsKey, 'entitlements', id],
    queryFn: ({ signal }) => call(endpoints.listSystemEntitlements, { params: { id }, signal }),
  });
}

/** The org's flag settings. */
export const systemSettingsQuery = queryOptions({
  queryKey: [systemsKey, 'settings'],
  queryFn: ({ signal }) => call(endpoints.getSystemSettings, { signal }),
});

/** Refresh everything the inventory shows. */
export function invalidateSystems(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: [systemsKey] });
}
