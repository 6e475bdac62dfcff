import { Button, NativeSelect, Select, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { endpoints } from '@steward/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { FilterPanel, readFormText } from '../../components/filter-panel.tsx';
import { LoadMoreButton } from '../../components/load-more-button.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { endpointUrl } from '../../lib/api-client.ts';
import { useControlOptions } from '../controls/program-options.ts';
import { AddEvidenceModal } from './add-evidence-modal.tsx';
import { parseEvidenceSearch } from './evidence-filters.ts';
import type { EvidenceSearch } from './evidence-filters.ts';
import { evidenceLibraryQuery } from './evidence-queries.ts';
import { EvidenceTable } from './evidence-table.tsx';

function EvidenceFiltersForm({ search }: { search: EvidenceSearch }) {
  const navigate = useNavigate();
  const controls = useControlOptions();
  const [controlId, setControlId] = useState<string | null>(search.controlId ?? null);

  const applyFilters = (data: FormData) => {
    const text = (name: string) => readFormText(data, name);
    void navigate({
      to: '/evidence',
      search: parseEvidenceSearch({
        controlId: controlId ?? '',
        kind: text('kind'),
        q: text('q'),
        coversDay: text('coversDay'),
      }),
    });
  };

  return (
    <FilterPanel
      onApply={applyFilters}
      onClear={() => {
        setControlId(null);
        void navigate({ to: '/evidence', search: {} });
      }}
      columns={4}
    >
      <TextInput
        label="Search"
        name="q"
        defaultValue={search.q ?? ''}
        description="Title, description or file name"
      />
      <Select
        label="Control"
        data={controls.options}
        value={controlId}
        onChange={setControlId}
        searchable
        clearable
        placeholder="Any control"
        nothingFoundMessage="No control matches"
        description="Evidence that proves it"
      />
      <NativeSelect
        label="Kind"
        name="kind"
        defaultValue={search.kind ?? ''}
        data={[
          { value: '', label: 'Any kind' },
          { value: 'file', label: 'File' },
          { value: 'link', label: 'Link' },
          { value: 'check_result', label: 'Check result' },
        ]}
        description="File, link or check result"
      />
      <TextInput
        label="Covers day"
        name="coversDay"
        type="date"
        defaultValue={search.coversDay ?? ''}
        description="Effective on that day"
      />
    </FilterPanel>
  );
}

function EvidenceContent({ search }: { search: EvidenceSearch }) {
  const canSubmit = useCan('evidence.submit');
  const [isAddOpen, { open: openAdd, close: closeAdd }] = useDisclosure(false);
  const library = useInfiniteQuery(evidenceLibraryQuery(search));
  const items = library.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title="Evidence"
        description="Every file, link and check result that proves a control. Evidence is never changed: a correction is a new version."
        actions={
          <>
            <Button
              component="a"
              href={endpointUrl(endpoints.exportEvidenceCsv)}
              download="evidence.csv"
              variant="default"
            >
              Export CSV
            </Button>
            {canSubmit ? <Button onClick={openAdd}>Add evidence</Button> : null}
          </>
        }
      />
      {/* Keyed by the filters so the inputs follow back/forward navigation. */}
      <EvidenceFiltersForm key={JSON.stringify(search)} search={search} />
      {library.isPending ? <LoadingBlock label="Loading evidence" /> : null}
      {library.isError ? (
        <QueryError
          error={library.error}
          title="Could not load the evidence library"
          onRetry={() => void library.refetch()}
        />
      ) : null}
      {library.isSuccess ? (
        <>
          <Text size="sm" c="dimmed" mb="xs" aria-live="polite">
            {items.length === 0
              ? 'No evidence matches these filters.'
              : `Showing ${items.length} item${items.length === 1 ? '' : 's'}${library.hasNextPage ? ' (more below)' : ''}`}
          </Text>
          {items.length > 0 ? <EvidenceTable items={items} /> : null}
          <LoadMoreButton pages={library} />
        </>
      ) : null}
      {canSubmit ? (
        <AddEvidenceModal
          opened={isAddOpen}
          onClose={closeAdd}
          preset={search.controlId ? { controlIds: [search.controlId] } : {}}
        />
      ) : null}
    </>
  );
}

/** `/evidence`: the evidence library with filters, "load more", upload and CSV export. */
export function EvidencePage({ search }: { search: EvidenceSearch }) {
  return (
    <RequirePermission permission="program.read" title="Evidence">
      <EvidenceContent search={search} />
    </RequirePermission>
  );
}
