import {
  Badge,
  Button,
  Card,
  Grid,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { endpoints, implementationStatusSchema } from '@steward/contracts';
import type { controlDetailSchema } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { z } from 'zod';
import { useCan } from '../../app/me-context.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { ControlStatusBadge } from '../../components/status-badges.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';
import { AddEvidenceModal } from '../evidence/add-evidence-modal.tsx';
import { EvidenceTable } from '../evidence/evidence-table.tsx';
import { ReferenceMappings } from '../frameworks/reference-mappings.tsx';
import { TaskFormModal } from '../tasks/task-form-modal.tsx';
import { TasksTable } from '../tasks/tasks-table.tsx';
import { EditChecksModal, EditRequirementsModal } from './control-mapping-modals.tsx';
import { controlQuery } from './controls-queries.ts';
import { EditControlModal } from './edit-control-modal.tsx';
import {
  implementationLabels,
  implementationOptions,
  useSectionOptions,
} from './program-options.ts';
import { StatusHistory } from './status-history.tsx';
import { AnchorLink } from '../../components/router-links.tsx';

type ControlDetail = z.output<typeof controlDetailSchema>;

function DetailSection({
  title,
  id,
  action,
  children,
}: {
  title: string;
  id: string;
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {action}
      </Group>
      {children}
    </Card>
  );
}

function ImplementationField({ detail }: { detail: ControlDetail }) {
  const canManage = useCan('program.manage');
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (implementationStatus: z.output<typeof implementationStatusSchema>) =>
      call(endpoints.updateControl, {
        params: { id: detail.control.id },
        body: { implementationStatus },
      }),
    onSuccess: async (saved) => {
      notifications.show({
        color: 'green',
        message: `${saved.ref} is now ${implementationLabels[saved.implementationStatus].toLowerCase()}`,
      });
      await invalidateProgram(queryClient);
    },
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Not saved', message: describeError(error) }),
  });
  if (!canManage) {
    return <Text size="sm">{implementationLabels[detail.control.implementationStatus]}</Text>;
  }
  return (
    <NativeSelect
      aria-label="Implementation status"
      data={implementationOptions}
      value={detail.control.implementationStatus}
      disabled={update.isPending}
      onChange={(event) => {
        const parsed = implementationStatusSchema.safeParse(event.currentTarget.value);
        if (parsed.success) update.mutate(parsed.data);
      }}
      maw={280}
    />
  );
}

function Facts({ detail }: { detail: ControlDetail }) {
  const sections = useSectionOptions();
  const { control } = detail;
  const section = sections.find((s) => s.value === String(control.section));
  const rows: [string, ReactNode][] = [
    ['Owner', control.owner ? `${control.owner.name} (${control.owner.email})` : 'Nobody yet'],
    ['Annex section', section?.label ?? 'None'],
    ['Implementation', <ImplementationField key="implementation" detail={detail} />],
  ];
  return (
    <Stack gap="md">
      {control.description ? (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {control.description}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          No description yet.
        </Text>
      )}
      <Table verticalSpacing={6} aria-label="About this control">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row" w={160} fw={500}>
                {label}
              </Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function Requirements({ detail }: { detail: ControlDetail }) {
  if (detail.requirements.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        This control is not mapped to any requirement yet.
      </Text>
    );
  }
  const frameworks = [...new Set(detail.requirements.map((r) => r.frameworkName))];
  return (
    <Stack gap="md">
      {frameworks.map((name) => (
        <Stack key={name} gap="xs">
          <Title order={3} size="h5">
            {name}
          </Title>
          <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
            {detail.requirements
              .filter((r) => r.frameworkName === name)
              .map((requirement) => (
                <li key={requirement.id}>
                  <AnchorLink
                    to="/frameworks/$frameworkId"
                    params={{ frameworkId: requirement.frameworkId }}
                    size="sm"
                    fw={500}
                  >
                    {requirement.label || requirement.ref} {requirement.title}
                  </AnchorLink>
                  <ReferenceMappings mappings={requirement.mappings} empty="" />
                </li>
              ))}
          </Stack>
        </Stack>
      ))}
    </Stack>
  );
}

function Checks({ detail }: { detail: ControlDetail }) {
  if (detail.checks.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No automated checks prove this control.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table verticalSpacing="sm" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Check</Table.Th>
            <Table.Th scope="col">Latest result</Table.Th>
            <Table.Th scope="col">Observed</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {detail.checks.map((check) => (
            <Table.Tr key={check.id}>
              <Table.Th scope="row" fw={400}>
                <Text size="sm" fw={500}>
                  {check.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {check.key}
                </Text>
              </Table.Th>
              <Table.Td>
                {check.latestStatus === null ? (
                  <Badge color="gray" variant="light" tt="none">
                    No result yet
                  </Badge>
                ) : (
                  <Badge
                    color={check.latestStatus === 'pass' ? 'green' : 'red'}
                    variant="light"
                    tt="none"
                  >
                    {check.latestStatus === 'pass' ? 'Pass' : 'Fail'}
                  </Badge>
                )}
                {check.latestSummary ? (
                  <Text size="xs" c="dimmed" mt={2}>
                    {check.latestSummary}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <DateTime value={check.latestObservedAt} />
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const linkedKindLabels: Record<ControlDetail['linkedRecords'][number]['kind'], string> = {
  policy: 'Policy',
  risk: 'Risk',
};

function LinkedRecordLink({ record }: { record: ControlDetail['linkedRecords'][number] }) {
  const label = `${record.ref} · ${record.title}`;
  return record.kind === 'policy' ? (
    <AnchorLink to="/policies/$policyId" params={{ policyId: record.id }} size="sm" fw={500}>
      {label}
    </AnchorLink>
  ) : (
    <AnchorLink to="/risks/$riskId" params={{ riskId: record.id }} size="sm" fw={500}>
      {label}
    </AnchorLink>
  );
}

function LinkedRecords({ detail }: { detail: ControlDetail }) {
  if (detail.linkedRecords.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No policy or risk is linked to this control.
      </Text>
    );
  }
  return (
    <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
      {detail.linkedRecords.map((record) => (
        <li key={`${record.kind}:${record.id}`}>
          <Group gap="xs" wrap="wrap">
            <Badge variant="light" color={record.kind === 'policy' ? 'blue' : 'orange'}>
              {linkedKindLabels[record.kind]}
            </Badge>
            <LinkedRecordLink record={record} />
          </Group>
          <Text size="sm" c="dimmed">
            {record.status}
          </Text>
        </li>
      ))}
    </Stack>
  );
}

function Promises({ detail }: { detail: ControlDetail }) {
  if (detail.promises.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No promise is mapped to this control.
      </Text>
    );
  }
  return (
    <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
      {detail.promises.map((promise) => (
        <li key={promise.id}>
          <AnchorLink
            to="/promises/$annexId"
            params={{ annexId: promise.annexId }}
            search={{ promise: promise.id }}
            size="sm"
            fw={500}
          >
            Promise {promise.ref}
          </AnchorLink>
          <Text size="sm" c="dimmed" lineClamp={3}>
            {promise.body}
          </Text>
        </li>
      ))}
    </Stack>
  );
}

function ControlDetailContent({ controlId }: { controlId: string }) {
  const canManage = useCan('program.manage');
  const canSubmit = useCan('evidence.submit');
  const detail = useQuery(controlQuery(controlId));
  const [isEvidenceOpen, { open: openEvidence, close: closeEvidence }] = useDisclosure(false);
  const [isEditOpen, { open: openEdit, close: closeEdit }] = useDisclosure(false);
  const [isRequirementsOpen, requirementsModal] = useDisclosure(false);
  const [isChecksOpen, checksModal] = useDisclosure(false);
  const [isTaskOpen, taskModal] = useDisclosure(false);

  if (detail.isPending) return <LoadingBlock label="Loading the control" />;
  if (detail.isError) {
    return (
      <>
        <PageHeader title="Control" />
        <QueryError
          error={detail.error}
          title="Could not load this control"
          onRetry={() => void detail.refetch()}
        />
      </>
    );
  }
  const data = detail.data;
  const { control } = data;

  return (
    <>
      <AnchorLink to="/controls" size="sm">
        ← Controls
      </AnchorLink>
      <PageHeader
        title={`${control.ref} · ${control.title}`}
        description={control.archived ? 'Archived: left out of readiness.' : undefined}
        actions={
          <>
            {canSubmit ? <Button onClick={openEvidence}>Add evidence</Button> : null}
            {canManage ? (
              <Button variant="default" onClick={openEdit}>
                Edit
              </Button>
            ) : null}
          </>
        }
      />
      <Stack gap="lg">
        <Card
          withBorder
          radius="md"
          padding="lg"
          component="section"
          aria-labelledby="status-heading"
        >
          <Group gap="md" align="center" wrap="nowrap">
            <Title order={2} size="h4" id="status-heading">
              Status
            </Title>
            <ControlStatusBadge status={control.status} size="lg" />
          </Group>
          <Text mt="sm" aria-live="polite">
            {control.statusReason}
          </Text>
          <Text size="xs" c="dimmed" mt={4}>
            Since <DateTime value={control.statusChangedAt} />
          </Text>
        </Card>

        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <DetailSection title="About" id="about-heading">
              <Facts detail={data} />
            </DetailSection>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <DetailSection title="Framework coverage" id="coverage-heading">
              <Text size="sm" c="dimmed" mb="xs">
                Items of reference frameworks this control helps meet, through its requirements.
              </Text>
              <ReferenceMappings mappings={data.references} />
            </DetailSection>
          </Grid.Col>
        </Grid>

        <DetailSection
          title="Evidence tasks"
          id="tasks-heading"
          action={
            canManage ? (
              <Button size="xs" variant="default" onClick={taskModal.open}>
                New task
              </Button>
            ) : null
          }
        >
          {data.tasks.length === 0 ? (
            <Text size="sm" c="dimmed">
              No recurring evidence is asked for this control.
            </Text>
          ) : (
            <TasksTable tasks={data.tasks} showControl={false} />
          )}
        </DetailSection>

        <DetailSection
          title="Evidence"
          id="evidence-heading"
          action={
            <AnchorLink to="/evidence" search={{ controlId: control.id }} size="sm">
              In the library
            </AnchorLink>
          }
        >
          {data.evidence.length === 0 ? (
            <Text size="sm" c="dimmed">
              No evidence yet.
            </Text>
          ) : (
            <EvidenceTable items={data.evidence} showControls={false} />
          )}
        </DetailSection>

        <DetailSection
          title="Automated checks"
          id="checks-heading"
          action={
            canManage ? (
              <Button size="xs" variant="default" onClick={checksModal.open}>
                Edit checks
              </Button>
            ) : null
          }
        >
          <Checks detail={data} />
        </DetailSection>

        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <DetailSection
              title="Requirements"
              id="requirements-heading"
              action={
                canManage ? (
                  <Button size="xs" variant="default" onClick={requirementsModal.open}>
                    Edit requirements
                  </Button>
                ) : null
              }
            >
              <Requirements detail={data} />
            </DetailSection>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <DetailSection title="Promises" id="promises-heading">
              <Promises detail={data} />
            </DetailSection>
          </Grid.Col>
        </Grid>

        <DetailSection title="Linked records" id="linked-records-heading">
          <LinkedRecords detail={data} />
        </DetailSection>

        <DetailSection title="Status history" id="history-heading">
          <StatusHistory history={data.history} />
        </DetailSection>
      </Stack>

      {canSubmit ? (
        <AddEvidenceModal
          opened={isEvidenceOpen}
          onClose={closeEvidence}
          preset={{ controlIds: [control.id] }}
        />
      ) : null}
      {canManage ? (
        <>
          <EditControlModal control={control} opened={isEditOpen} onClose={closeEdit} />
          <EditRequirementsModal
            detail={data}
            opened={isRequirementsOpen}
            onClose={requirementsModal.close}
          />
          <EditChecksModal detail={data} opened={isChecksOpen} onClose={checksModal.close} />
          <TaskFormModal opened={isTaskOpen} onClose={taskModal.close} controlId={control.id} />
        </>
      ) : null}
    </>
  );
}

/** `/controls/:id`: a control with its status, proofs, evidence, mappings and history. */
export function ControlDetailPage({ controlId }: { controlId: string }) {
  return (
    <RequirePermission permission="program.read" title="Control">
      <ControlDetailContent controlId={controlId} />
    </RequirePermission>
  );
}
