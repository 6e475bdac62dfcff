import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NativeSelect,
  SimpleGrid,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import {
  endpoints,
  riskScoreBands,
  riskSortKeys,
  riskStatuses,
  riskTreatments,
  type ResponseOf,
} from '@steward/contracts';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { FilterPanel, readFormText } from '../../components/filter-panel.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink, ButtonLink } from '../../components/router-links.tsx';
import { endpointUrl } from '../../lib/api-client.ts';
import { usersQuery } from '../users/users-queries.ts';
import { HeatMap } from './heat-map.tsx';
import { RiskAcceptanceInbox } from './risk-acceptance-inbox.tsx';
import { RiskStatusBadge, ScoreBadge, riskStatusLabels } from './risk-badges.tsx';
import { bandLabels, hasRiskFilters, parseRiskSearch, type RiskSearch } from './risk-filters.ts';
import { RiskForm, treatmentLabels } from './risk-form.tsx';
import { riskHeatMapQuery, risksQuery } from './risks-queries.ts';

type Risk = ResponseOf<typeof endpoints.listRisks>['items'][number];

const sortLabels: Record<(typeof riskSortKeys)[number], string> = {
  score: 'Current score',
  inherentScore: 'Inherent score',
  ref: 'Reference',
  title: 'Title',
  reviewOn: 'Next review',
  updatedAt: 'Last change',
};

function RiskFilters({ search }: { search: RiskSearch }) {
  const navigate = useNavigate();
  const users = useQuery(usersQuery);
  const apply = (data: FormData) => {
    const text = (name: string) => readFormText(data, name);
    void navigate({
      to: '/risks',
      search: parseRiskSearch({
        q: text('q'),
        status: text('status'),
        category: text('category'),
        ownerUserId: text('ownerUserId'),
        treatment: text('treatment'),
        band: text('band'),
        overdue: data.get('overdue') === 'on' ? 'true' : '',
        sort: text('sort'),
        order: text('order'),
        heat: search.heat,
        likelihood: search.likelihood,
        impact: search.impact,
      }),
    });
  };
  return (
    <FilterPanel
      onApply={apply}
      onClear={() => void navigate({ to: '/risks', search: {} })}
      columns={4}
      footer={
        <>
          <Checkbox
            mt="sm"
            name="overdue"
            label="Review overdue only"
            defaultChecked={search.overdue === true}
          />
          {search.heat ? (
            <Text size="sm" mt="sm">
              Heat-map cell: {search.heat} likelihood {search.likelihood} × impact {search.impact}
            </Text>
          ) : null}
        </>
      }
    >
      <TextInput
        label="Search"
        name="q"
        defaultValue={search.q ?? ''}
        description="Ref, title or text"
      />
      <NativeSelect
        label="Status"
        name="status"
        defaultValue={search.status ?? ''}
        data={[
          { value: '', label: 'Any status' },
          ...riskStatuses.map((s) => ({ value: s, label: riskStatusLabels[s] })),
        ]}
      />
      <TextInput label="Category" name="category" defaultValue={search.category ?? ''} />
      <NativeSelect
        label="Owner"
        name="ownerUserId"
        defaultValue={search.ownerUserId ?? ''}
        data={[
          { value: '', label: 'Anyone' },
          ...(users.data?.items ?? []).map((u) => ({ value: u.id, label: u.name })),
        ]}
      />
      <NativeSelect
        label="Treatment"
        name="treatment"
        defaultValue={search.treatment ?? ''}
        data={[
          { value: '', label: 'Any treatment' },
          ...riskTreatments.map((t) => ({ value: t, label: treatmentLabels[t] ?? t })),
        ]}
      />
      <NativeSelect
        label="Score band"
        name="band"
        defaultValue={search.band ?? ''}
        data={[
          { value: '', label: 'Any score' },
          ...riskScoreBands.map((b) => ({ value: b, label: bandLabels[b] })),
        ]}
      />
      <NativeSelect
        label="Sort by"
        name="sort"
        defaultValue={search.sort ?? 'score'}
        data={riskSortKeys.map((k) => ({ value: k, label: sortLabels[k] }))}
      />
      <NativeSelect
        label="Order"
        name="order"
        defaultValue={search.order ?? 'desc'}
        data={[
          { value: 'desc', label: 'Descending' },
          { value: 'asc', label: 'Ascending' },
        ]}
      />
    </FilterPanel>
  );
}

function RiskTable({ items, total }: { items: readonly Risk[]; total: number }) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped highlightOnHover verticalSpacing="xs">
        <Table.Caption>
          {total === items.length
            ? `${String(total)} ${total === 1 ? 'risk' : 'risks'}`
            : `Showing ${String(items.length)} of ${String(total)} risks`}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Risk</Table.Th>
            <Table.Th scope="col">Category</Table.Th>
            <Table.Th scope="col">Owner</Table.Th>
            <Table.Th scope="col">Inherent</Table.Th>
            <Table.Th scope="col">Residual</Table.Th>
            <Table.Th scope="col">Treatment</Table.Th>
            <Table.Th scope="col" miw={110}>
              Status
            </Table.Th>
            <Table.Th scope="col">Next review</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((risk) => (
            <Table.Tr key={risk.id}>
              <Table.Th scope="row" fw={400}>
                <AnchorLink to="/risks/$riskId" params={{ riskId: risk.id }} fw={500}>
                  {risk.ref} {risk.title}
                </AnchorLink>
              </Table.Th>
              <Table.Td>{risk.category}</Table.Td>
              <Table.Td>{risk.owner?.name ?? '—'}</Table.Td>
              <Table.Td>
                {risk.inherentLikelihood}×{risk.inherentImpact} = {risk.inherentScore}
              </Table.Td>
              <Table.Td>
                {risk.residualScore === null ? (
                  <Text size="sm" c="dimmed">
                    Not rated
                  </Text>
                ) : (
                  <Group gap={4}>
                    {risk.residualLikelihood}×{risk.residualImpact}
                    <ScoreBadge score={risk.residualScore} band={risk.band} />
                  </Group>
                )}
              </Table.Td>
              <Table.Td>
                {treatmentLabels[risk.treatment]}
                {risk.isTreatmentOverdue ? (
                  <Badge color="red" ml={4}>
                    Late
                  </Badge>
                ) : null}
              </Table.Td>
              <Table.Td>
                <RiskStatusBadge status={risk.status} />
              </Table.Td>
              <Table.Td>
                {risk.reviewOn}
                {risk.isReviewOverdue ? (
                  <Badge color="red" ml={4}>
                    Overdue
                  </Badge>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function RisksContent({ search }: { search: RiskSearch }) {
  const canManage = useCan('risks.manage');
  const canApprove = useCan('risks.approve');
  const navigate = useNavigate();
  const [isAdding, setAdding] = useState(false);
  const heatMap = useQuery(riskHeatMapQuery);
  const risks = useQuery(risksQuery(search));
  const cell =
    search.likelihood !== undefined && search.impact !== undefined
      ? { likelihood: search.likelihood, impact: search.impact }
      : undefined;
  return (
    <>
      <PageHeader
        title="Risks"
        description="The risk register: likelihood × impact before and after treatment, owners, reviews and executive acceptances"
        actions={
          <>
            <ButtonLink to="/risks/register-reviews" variant="default">
              Register reviews
            </ButtonLink>
            <Anchor href={endpointUrl(endpoints.exportRisksCsv, { query: { ...search } })} download>
              Export CSV
            </Anchor>
            {canManage ? <Button onClick={() => setAdding(true)}>Add risk</Button> : null}
          </>
        }
      />
      {canApprove ? <RiskAcceptanceInbox /> : null}
      {heatMap.isError ? (
        <QueryError error={heatMap.error} onRetry={() => void heatMap.refetch()} />
      ) : null}
      {heatMap.data ? (
        <>
          <SimpleGrid cols={{ base: 1, md: 2 }} mb="xs">
            <HeatMap
              kind="inherent"
              grid={heatMap.data.inherent}
              selected={search.heat === 'inherent' ? cell : undefined}
            />
            <HeatMap
              kind="residual"
              grid={heatMap.data.residual}
              selected={search.heat === 'residual' ? cell : undefined}
            />
          </SimpleGrid>
          <Text size="sm" c="dimmed" mb="lg">
            {heatMap.data.total === 1 ? '1 risk' : `${String(heatMap.data.total)} risks`} not
            closed, {heatMap.data.openHigh} high (score 15 or more). Choose a cell to list its
            risks.
          </Text>
        </>
      ) : null}
      <RiskFilters key={JSON.stringify(search)} search={search} />
      {risks.isPending ? <LoadingBlock label="Loading risks" /> : null}
      {risks.isError ? (
        <QueryError error={risks.error} onRetry={() => void risks.refetch()} />
      ) : null}
      {risks.data ? (
        risks.data.total === 0 ? (
          <Text c="dimmed">
            {hasRiskFilters(search)
              ? 'No risk matches these filters.'
              : 'The register is empty. Add the first risk.'}
          </Text>
        ) : (
          <RiskTable items={risks.data.items} total={risks.data.total} />
        )
      ) : null}
      <Modal opened={isAdding} onClose={() => setAdding(false)} title="Add a risk" size="xl">
        <RiskForm
          onCancel={() => setAdding(false)}
          onSaved={(risk) => {
            setAdding(false);
            void navigate({ to: '/risks/$riskId', params: { riskId: risk.id } });
          }}
        />
      </Modal>
    </>
  );
}

/** The risk register with its heat maps, filters and acceptance inbox. */
export function RisksPage({ search }: { search: RiskSearch }) {
  return (
    <RequirePermission permission="risks.read" title="Risks">
      <RisksContent search={search} />
    </RequirePermission>
  );
}
