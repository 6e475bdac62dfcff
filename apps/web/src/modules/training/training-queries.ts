import { endpoints, type TrainingAssignmentState } from '@steward/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { invalidateProgram, programKey } from '../dashboard/program-cache.ts';

/** Training modules with their coverage. */
export const trainingModulesQuery = queryOptions({
  queryKey: [programKey, 'training-modules'],
  queryFn: ({ signal }) => call(endpoints.listTrainingModules, { signal }),
});

/** Coverage per module, per category and overall. */
export const trainingCoverageQuery = queryOptions({
  queryKey: [programKey, 'training-coverage'],
  queryFn: ({ signal }) => call(endpoints.getTrainingCoverage, { signal }),
});

/** Starter modules. */
export const trainingTemplatesQuery = queryOptions({
  queryKey: [programKey, 'training-templates'],
  queryFn: ({ signal }) => call(endpoints.listTrainingTemplates, { signal }),
});

/** One module with its versions. */
export function trainingModuleQuery(id: string) {
  return queryOptions({
    queryKey: [programKey, 'training-module', id],
    queryFn: ({ signal }) => call(endpoints.getTrainingModule, { params: { id }, signal }),
  });
}

/** One version with its lesson and quiz (authors). */
export function trainingVersionQuery(versionId: string) {
  return queryOptions({
    queryKey: [programKey, 'training-version', versionId],
    queryFn: ({ signal }) => call(endpoints.getTrainingVersion, { params: { versionId }, signal }),
  });
}

/** Assignments of a module, optionally in one state. */
export function trainingAssignmentsQuery(id: string, state: TrainingAssignmentState | undefined) {
  return queryOptions({
    queryKey: [programKey, 'training-assignments', id, state ?? 'all'],
    queryFn: ({ signal }) =>
      call(endpoints.listTrainingAssignments, {
        params: { id },
        query: state === undefined ? {} : { state },
        signal,
      }),
  });
}

/** The signed-in person's training (not a program query: employees see it). */
export const myTrainingQuery = queryOptions({
  queryKey: ['me', 'training'],
  queryFn: ({ signal }) => call(endpoints.listMyTraining, { signal }),
});

/** One module to take. */
export function myTrainingDetailQuery(assignmentId: string) {
  return queryOptions({
    queryKey: ['me', 'training', assignmentId],
    queryFn: ({ signal }) => call(endpoints.getMyTraining, { params: { assignmentId }, signal }),
  });
}

/** Refresh every training view and the program views its checks move. */
export async function invalidateTraining(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    invalidateProgram(queryClient),
    queryClient.invalidateQueries({ queryKey: ['me', 'training'] }),
  ]);
}
