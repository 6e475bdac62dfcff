import { endpoints } from '@steward/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { invalidateProgram, programKey } from '../dashboard/program-cache.ts';

/** The policy library. */
export const policiesQuery = queryOptions({
  queryKey: [programKey, 'policies'],
  queryFn: ({ signal }) => call(endpoints.listPolicies, { signal }),
});

/** Starter templates. */
export const policyTemplatesQuery = queryOptions({
  queryKey: [programKey, 'policy-templates'],
  queryFn: ({ signal }) => call(endpoints.listPolicyTemplates, { signal }),
});

/** Versions waiting for the signed-in approver. */
export const policyApprovalsQuery = queryOptions({
  queryKey: [programKey, 'policy-approvals'],
  queryFn: ({ signal }) => call(endpoints.listPolicyApprovals, { signal }),
});

/** One policy with versions and reviews. */
export function policyQuery(id: string) {
  return queryOptions({
    queryKey: [programKey, 'policy', id],
    queryFn: ({ signal }) => call(endpoints.getPolicy, { params: { id }, signal }),
  });
}

/** One version with its body. */
export function policyVersionQuery(versionId: string) {
  return queryOptions({
    queryKey: [programKey, 'policy-version', versionId],
    queryFn: ({ signal }) => call(endpoints.getPolicyVersion, { params: { versionId }, signal }),
  });
}

/** The diff of a version against the previous one. */
export function policyDiffQuery(versionId: string) {
  return queryOptions({
    queryKey: [programKey, 'policy-diff', versionId],
    queryFn: ({ signal }) =>
      call(endpoints.diffPolicyVersion, { params: { versionId }, query: {}, signal }),
  });
}

/** The signed-in person's policies to acknowledge (not a program query: employees see it). */
export const myPoliciesQuery = queryOptions({
  queryKey: ['me', 'policies'],
  queryFn: ({ signal }) => call(endpoints.listMyPolicies, { signal }),
});

/** Refresh every policy view and the program views their checks move. */
export async function invalidatePolicies(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    invalidateProgram(queryClient),
    queryClient.invalidateQueries({ queryKey: ['me', 'policies'] }),
  ]);
}
