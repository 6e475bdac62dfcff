import { Button, NativeSelect, ScrollArea, Table, Text, TextInput } from '@mantine/core';
import { findingStates, severities } from '@steward/contracts';
import type { Finding } from '@steward/contracts';
import { endpoints } from '@steward/contracts';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { DateTime } from '../../components/date-time.tsx';
import { FilterPanel, readFormText } from '../../components/filter-panel.tsx';
import { LoadMoreButton } from '../../components/load-more-button.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { endpointUrl } from '../../lib/api-client.ts';
import {
  FindingStateBadge,
  SeverityBadge,
  SlaStatusBadge,
  findingStateLooks,
  severityLooks,
  slaStatusLooks,
} from './finding-badges.tsx';
import { parseFindingSearch, slaFilterValues } from './finding-filters.ts';
import type { FindingSearch } from './finding-filters.ts';
import { assetsQuery, findingsQuery } from './vulnerabilities-queries.ts';

function FindingFiltersForm({ search }: { search: FindingSearch }) {
  const navigate = useNavigate();
  const assets = useQuery(assetsQuery());

  const applyFilters = (data: FormData) => {
    const text = (name: string) => readFormText(data, name);
    void navigate({
      to: '/findings',
      search: parseFindingSearch({
        q: text('q'),
        assetId: text('assetId'),
        severity: text('severity'),
        state: text('state'),
        tool: text('tool'),
        sla: text('sla'),
      }),
    });
  };

  return (
    <FilterPanel
      onApply={applyFilters}
      onClear={() => void navigate({ to: '/findings', search: {} })}
      columns={3}
    >
      <TextInput
        label="Search"
        name="q"
        defaultValue={search.q ?? ''}
        description="A vulnerability id (CVE-…, GHSA-…) or words of the title"
      />
      <NativeSelect
        label="Asset"
        name="assetId"
        defaultValue={search.assetId ?? ''}
        data={[
          { value: '', label: 'Any asset' },
          ...(assets.data?.items ?? []).map((asset) => ({
            value: asset.id,
            label: asset.name,
          })),
        ]}
      />
      <TextInput label="Tool" name="tool" defaultValue={search.tool ?? ''} />
      <NativeSelect
        label="Severity"
        name="severity"
        defaultValue={search.severity ?? ''}
        data={[
          { value: '', label: 'Any severity' },
          ...severities.map((value) => ({ value, label: severityLooks[value].label })),
        ]}
      />
      <NativeSelect
        label="State"
        name="state"
        defaultValue={search.state ?? ''}
        data={[
          { value: '', label: 'Any state' },
          ...findingStates.map((value) => ({ value, label: findingStateLooks[value].label })),
        ]}
      />
      <NativeSelect
        label="SLA"
        name="sla"
        defaultValue={search.sla ?? ''}
        data={[
          { value: '', label: 'Any' },
          ...slaFilterValues.map((value) => ({ value, label: slaStatusLooks[value].label })),
        ]}
      />
    </FilterPanel>
  );
}

/** A table of findings linking to each one. */
export function FindingsTable({
  items,
  showAsset = true,
}: {
  items: readonly Finding[];
  showAsset?: boolean;
}) {
  return (
    <ScrollArea>
      <Table striped highlightOnHover miw={800} verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Finding</Table.Th>
            <Table.Th scope="col">Severity</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">SLA</Table.Th>
            {showAsset ? <Table.Th scope="col">Asset</Table.Th> : null}
            <Table.Th scope="col">Tool</Table.Th>
            <Table.Th scope="col">Due</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((finding) => (
            <Table.Tr key={finding.id}>
              <Table.Td>
                <AnchorLink to="/findings/$findingId" params={{ findingId: finding.id }}>
                  {finding.title}
                </AnchorLink>
                <Text size="xs" c="dimmed">
                  {[
                    finding.vulnerabilityIds.slice(0, 2).join(', '),
                    finding.packageName
                      ? `${finding.packageName}${finding.packageVersion ? `@${finding.packageVersion}` : ''}`
                      : null,
                    finding.canonicalId ? 'duplicate of another tool' : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
              </Table.Td>
              <Table.Td>
                <SeverityBadge severity={finding.severity} size="sm" />
              </Table.Td>
              <Table.Td>
                <FindingStateBadge state={finding.state} size="sm" />
              </Table.Td>
              <Table.Td>
                <SlaStatusBadge status={finding.slaStatus} size="sm" />
              </Table.Td>
              {showAsset ? (
                <Table.Td>
                  <AnchorLink to="/assets/$assetId" params={{ assetId: finding.assetId }}>
                    {finding.assetName}
                  </AnchorLink>
                </Table.Td>
              ) : null}
              <Table.Td>{finding.tool}</Table.Td>
              <Table.Td>
                <DateTime value={finding.dueAt} empty="—" />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

/** The findings matching filters, with "load more"; used by the list and the asset page. */
export function FindingsResults({
  filters,
  showAsset = true,
}: {
  filters: FindingSearch;
  showAsset?: boolean;
}) {
  const list = useInfiniteQuery(findingsQuery(filters));
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  if (list.isPending) return <LoadingBlock label="Loading findings" />;
  if (list.isError) {
    return (
      <QueryError
        error={list.error}
        title="Could not load the findings"
        onRetry={() => void list.refetch()}
      />
    );
  }
  return (
    <>
      <Text size="sm" c="dimmed" mb="xs" aria-live="polite">
        {items.length === 0
          ? 'No finding matches these filters.'
          : `Showing ${String(items.length)} finding${items.length === 1 ? '' : 's'}${list.hasNextPage ? ' (more below)' : ''}`}
      </Text>
      {items.length > 0 ? <FindingsTable items={items} showAsset={showAsset} /> : null}
      <LoadMoreButton pages={list} />
    </>
  );
}

/** `/findings`: every finding, filtered on the server, newest first. */
export function FindingsPage({ search }: { search: FindingSearch }) {
  return (
    <RequirePermission permission="findings.read" title="Findings">
      <PageHeader
        title="Findings"
        description="One finding is one weakness on one asset, however many times the scanners report it."
        actions={
          <Button
            component="a"
            variant="default"
            href={endpointUrl(endpoints.exportFindingsCsv, { query: { ...search } })}
            download="findings.csv"
          >
            Export CSV
          </Button>
        }
      />
      {/* Keyed by the filters so the inputs follow back/forward navigation. */}
      <FindingFiltersForm key={JSON.stringify(search)} search={search} />
      <FindingsResults filters={search} />
    </RequirePermission>
  );
}
