import { endpoints } from '@steward/contracts';
import { infiniteQueryOptions } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { toIsoInstant } from '../../lib/format.ts';

/** The audit filter form as typed by the reader; dates are `datetime-local` values. */
export interface AuditFilterValues {
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  from: string;
  to: string;
}

/** No filter at all. */
export const emptyAuditFilters: AuditFilterValues = {
  actor: '',
  action: '',
  targetType: '',
  targetId: '',
  from: '',
  to: '',
};

const pageSize = 50;

function toAuditQuery(filters: AuditFilterValues) {
  const text = (value: string) => value.trim() || undefined;
  return {
    actor: text(filters.actor),
    action: text(filters.action),
    targetType: text(filters.targetType),
    targetId: text(filters.targetId),
    from: toIsoInstant(filters.from),
    to: toIsoInstant(filters.to),
  };
}

/** Audit events matching the filters, newest first, one page per `nextBefore` cursor. */
export function auditEventsQuery(filters: AuditFilterValues) {
  return infiniteQueryOptions({
    queryKey: ['audit-events', filters],
    queryFn: ({ pageParam, signal }) =>
      call(endpoints.listAuditEvents, {
        query: { ...toAuditQuery(filters), before: pageParam, limit: pageSize },
        signal,
      }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (lastPage) => lastPage.nextBefore ?? undefined,
  });
}
