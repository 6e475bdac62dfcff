import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import {
  screeningApplicabilities,
  screeningStatuses,
  type ResponseOf,
  type ScreeningApplicability,
  type ScreeningStatus,
  type endpoints,
} from '@steward/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { ScreeningAudits } from './screening-audits.tsx';
import { applicabilityLooks, screeningStatusLooks } from './screening-labels.ts';
import { screeningQuery, screeningSettingsQuery } from './screening-queries.ts';
import { ScreeningRecordModal } from './screening-record-modal.tsx';
import { ScreeningRulesForm } from './screening-rules-form.tsx';

type ScreeningRecord = ResponseOf<typeof endpoints.getScreening>;

function Figure({ label, value }: { label: string; value: string | number }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </Paper>
  );
}

function ScreeningList() {
  const [applicability, setApplicability] = useState<ScreeningApplicability | null>(null);
  const [status, setStatus] = useState<ScreeningStatus | null>(null);
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<ScreeningRecord | null>(null);
  const list = useQuery(
    screeningQuery({
      ...(applicability ? { applicability } : {}),
      ...(status ? { status } : {}),
      ...(q.trim() === '' ? {} : { q: q.trim() }),
    }),
  );
  return (
    <Stack>
      {list.data ? (
        <SimpleGrid cols={{ base: 2, md: 5 }}>
          <Figure label="Coverage" value={`${String(list.data.coverage.percent)}%`} />
          <Figure label="Require screening" value={list.data.coverage.required} />
          <Figure label="Cleared" value={list.data.coverage.cleared} />
          <Figure
            label="Not cleared"
            value={list.data.coverage.required - list.data.coverage.cleared}
          />
          <Figure label="Not permitted by law" value={list.data.coverage.notPermitted} />
        </SimpleGrid>
      ) : null}
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Name or email"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
        />
        <Select
          label="Applies"
          clearable
          placeholder="Any"
          data={screeningApplicabilities.map((a) => ({
            value: a,
            label: applicabilityLooks[a].label,
          }))}
          value={applicability}
          onChange={(v) => setApplicability(v)}
        />
        <Select
          label="Status"
          clearable
          placeholder="Any"
          data={screeningStatuses.map((s) => ({ value: s, label: screeningStatusLooks[s].label }))}
          value={status}
          onChange={(v) => setStatus(v)}
        />
      </Group>
      {list.isPending ? <LoadingBlock label="Loading screening" /> : null}
      {list.isError ? <QueryError error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data ? (
        <Table.ScrollContainer minWidth={820}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Caption>
              {list.data.items.length === 1
                ? '1 person'
                : `${String(list.data.items.length)} people`}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Person</Table.Th>
                <Table.Th scope="col">Role</Table.Th>
                <Table.Th scope="col">Screening</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Completed</Table.Th>
                <Table.Th scope="col">Provider</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((r) => (
                <Table.Tr key={r.person.id}>
                  <Table.Th scope="row" fw={500}>
                    {r.person.name}
                    {r.country ? (
                      <Text size="xs" c="dimmed">
                        {r.country}
                      </Text>
                    ) : null}
                  </Table.Th>
                  <Table.Td>
                    {[r.person.department, r.person.title].filter(Boolean).join(' · ') || '—'}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={applicabilityLooks[r.applicability].color} variant="light">
                      {applicabilityLooks[r.applicability].label}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {r.reason}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={screeningStatusLooks[r.status].color}>
                      {screeningStatusLooks[r.status].label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{r.completedOn ?? '—'}</Table.Td>
                  <Table.Td>{r.provider || '—'}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={`Record screening of ${r.person.name}`}
                      onClick={() => setEditing(r)}
                    >
                      Record
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {editing ? <ScreeningRecordModal record={editing} onClose={() => setEditing(null)} /> : null}
    </Stack>
  );
}

function ScreeningContent({ auditId }: { auditId?: string | undefined }) {
  const settings = useQuery(screeningSettingsQuery);
  return (
    <>
      <PageHeader
        title="Screening"
        description="Background screening per person: whether it applies, and its outcome. HR only."
      />
      <Stack>
        <Alert color="blue" variant="light" title="Outcome and dates only">
          Steward records whether a screening applies, its status, completion date and provider —
          never the report itself. There is no file upload here on purpose: keep reports with HR or
          your screening provider. An adverse outcome is handled by HR outside Steward.
        </Alert>
        <ScreeningList />
        {settings.isError ? (
          <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
        ) : null}
        {settings.data ? (
          <ScreeningRulesForm key={settings.data.updatedAt ?? 'new'} settings={settings.data} />
        ) : null}
        <ScreeningAudits highlightId={auditId} />
      </Stack>
    </>
  );
}

/** Background screening: HR's page (`screening.manage`). */
export function ScreeningPage({ auditId }: { auditId?: string | undefined }) {
  return (
    <RequirePermission permission="screening.manage" title="Screening">
      <ScreeningContent auditId={auditId} />
    </RequirePermission>
  );
}
