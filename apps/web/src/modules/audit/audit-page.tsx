import { Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { LoadMoreButton } from '../../components/load-more-button.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { ApiError } from '../../lib/api-client.ts';
import { AuditFilters } from './audit-filters.tsx';
import { auditEventsQuery, emptyAuditFilters } from './audit-queries.ts';
import type { AuditFilterValues } from './audit-queries.ts';
import { AuditTable } from './audit-table.tsx';

function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries(
    error.fieldErrors.map((fieldError) => [fieldError.path, fieldError.message]),
  );
}

function AuditContent() {
  const [filters, setFilters] = useState<AuditFilterValues>(emptyAuditFilters);
  const events = useInfiniteQuery(auditEventsQuery(filters));
  const fieldErrors = fieldErrorsOf(events.error);
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every sign-in and change in Steward, newest first. Each event is chained to the one before it by its hash."
      />
      <AuditFilters onApply={setFilters} fieldErrors={fieldErrors} />
      {events.isPending ? <LoadingBlock label="Loading audit events" /> : null}
      {events.isError && Object.keys(fieldErrors).length === 0 ? (
        <QueryError
          error={events.error}
          title="Could not load the audit log"
          onRetry={() => void events.refetch()}
        />
      ) : null}
      {events.isSuccess ? (
        <>
          <Text size="sm" c="dimmed" mb="xs" aria-live="polite">
            {items.length === 0
              ? 'No events match these filters.'
              : `Showing ${items.length} event${items.length === 1 ? '' : 's'}`}
          </Text>
          {items.length > 0 ? <AuditTable events={items} /> : null}
          <LoadMoreButton pages={events} />
        </>
      ) : null}
    </>
  );
}

/** `/audit`: search the tamper-evident audit log. */
export function AuditPage() {
  return (
    <RequirePermission permission="audit.read" title="Audit log">
      <AuditContent />
    </RequirePermission>
  );
}
