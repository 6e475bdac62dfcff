import { endpoints } from '@steward/contracts';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import type { FindingSearch } from './finding-filters.ts';

/** First key of every vulnerability query, so one invalidation refreshes them all. */
export const vulnerabilitiesKey = 'vulnerabilities';

const pageSize = 50;

// Other people triage and approve findings at any time: refetch whenever a page mounts.
const staleTime = 0;

/** Findings matching the filters, newest first, page by page (keyset cursor). */
export function findingsQuery(filters: FindingSearch) {
  return infiniteQueryOptions({
    queryKey: [vulnerabilitiesKey, 'findings', filters],
    staleTime,
    queryFn: ({ pageParam, signal }) =>
      call(endpoints.listFindings, {
        query: { ...filters, cursor: pageParam, limit: pageSize },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });
}

/** One finding with its history, acceptances and linked findings. */
export function findingQuery(id: string) {
  return queryOptions({
    queryKey: [vulnerabilitiesKey, 'finding', id],
    staleTime,
    queryFn: ({ signal }) => call(endpoints.getFinding, { params: { id }, signal }),
  });
}

/** The numbers of the vulnerabilities dashboard. */
export function metricsQuery(assetId?: string) {
  return queryOptions({
    queryKey: [vulnerabilitiesKey, 'metrics', assetId ?? null],
    staleTime,
    queryFn: ({ signal }) =>
      call(endpoints.getVulnerabilityMetrics, { query: { assetId, months: 12 }, signal }),
  });
}

/** Every asset with its open findings. */
export function assetsQuery() {
  return queryOptions({
    queryKey: [vulnerabilitiesKey, 'assets'],
    queryFn: ({ signal }) => call(endpoints.listAssets, { query: { limit: 1000 }, signal }),
  });
}

/** One asset. */
export function assetQuery(id: string) {
  return queryOptions({
    queryKey: [vulnerabilitiesKey, 'asset', id],
    queryFn: ({ signal }) => call(endpoints.getAsset, { params: { id }, signal }),
  });
}

/** Import history of one asset (or of all), newest first, page by page. */
export function scanImportsQuery(assetId?: string) {
  return infiniteQueryOptions({
    queryKey: [vulnerabilitiesKey, 'imports', assetId ?? null],
    queryFn: ({ pageParam, signal }) =>
      call(endpoints.listScanImports, {
        query: { assetId, cursor: pageParam, limit: 20 },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
  });
}

/** Risk acceptances with one status (all when absent), newest first. */
export function riskAcceptancesQuery(status?: 'pending' | 'approved' | 'rejected' | 'expired') {
  return queryOptions({
    queryKey: [vulnerabilitiesKey, 'risk-acceptances', status ?? null],
    staleTime,
    queryFn: ({ signal }) =>
      call(endpoints.listRiskAcceptances, { query: { status, limit: 200 }, signal }),
  });
}

/** The remediation SLA policy. */
export function slaPolicyQuery() {
  return queryOptions({
    queryKey: [vulnerabilitiesKey, 'sla-policy'],
    queryFn: ({ signal }) => call(endpoints.getSlaPolicy, { signal }),
  });
}

/** Filters of the penetration test list. */
export interface PentestSearch {
  status?: 'planned' | 'in_progress' | 'completed' | undefined;
  q?: string | undefined;
}

/** Penetration test engagements, the latest start first. */
export function pentestsQuery(search: PentestSearch) {
  return queryOptions({
    queryKey: [vulnerabilitiesKey, 'pentests', search],
    staleTime,
    queryFn: ({ signal }) =>
      call(endpoints.listPentests, { query: { ...search, limit: 200 }, signal }),
  });
}

/** One penetration test engagement. */
export function pentestQuery(id: string) {
  return queryOptions({
    queryKey: [vulnerabilitiesKey, 'pentest', id],
    staleTime,
    queryFn: ({ signal }) => call(endpoints.getPentest, { params: { id }, signal }),
  });
}

/** The findings of an engagement with their retest outcome. */
export function pentestFindingsQuery(id: string) {
  return queryOptions({
    queryKey: [vulnerabilitiesKey, 'pentest-findings', id],
    staleTime,
    queryFn: ({ signal }) =>
      call(endpoints.listPentestFindings, { params: { id }, query: {}, signal }),
  });
}
