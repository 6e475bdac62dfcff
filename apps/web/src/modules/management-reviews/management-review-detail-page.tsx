import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  endpoints,
  reviewActionStatuses,
  type ManagementReviewStatus,
  type ResponseOf,
  type ReviewActionStatus,
} from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { ApiError, call, endpointUrl } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { MarkdownView } from '../policies/markdown-view.tsx';
import { usersQuery } from '../users/users-queries.ts';
import { invalidateReviews, managementReviewQuery } from './management-reviews-queries.ts';
import { HeldRecord } from './review-record-view.tsx';

type Review = ResponseOf<typeof endpoints.getManagementReview>;

const actionLabels: Record<ReviewActionStatus, string> = {
  open: 'Open',
  done: 'Done',
  cancelled: 'Cancelled',
};

function fieldErrorsOf(error: unknown): Record<string, string> {
  const byField: Record<string, string> = {};
  if (error instanceof ApiError) {
    for (const e of error.fieldErrors) byField[e.path.split('.')[0] ?? e.path] ??= e.message;
  }
  return byField;
}

function StatusBadge({ status }: { status: ManagementReviewStatus }) {
  return status === 'held' ? (
    <Badge color="green">Held</Badge>
  ) : (
    <Badge color="blue" variant="light">
      Draft
    </Badge>
  );
}

function Agenda({ review }: { review: Review }) {
  const a = review.agenda;
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="sm">
        <Title order={2} size="h3">
          Agenda
        </Title>
        <Text size="sm" c="dimmed">
          Figures taken {new Date(a.builtAt).toLocaleString()} when the review was created; they
          stay as they were.
          {a.sinceReviewOn ? ` Previous review: ${a.sinceReviewOn}.` : ' No earlier review.'}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <div>
            <Text size="sm" c="dimmed">
              Readiness
            </Text>
            <Text fw={600}>
              {a.readiness.percent}% ({a.readiness.passing}/{a.readiness.total})
            </Text>
          </div>
          <div>
            <Text size="sm" c="dimmed">
              Overdue evidence tasks
            </Text>
            <Text fw={600}>{a.overdueTasks.count}</Text>
          </div>
          <div>
            <Text size="sm" c="dimmed">
              Findings past their SLA
            </Text>
            <Text fw={600}>{a.slaBreaches.count}</Text>
          </div>
          <div>
            <Text size="sm" c="dimmed">
              Open high risks
            </Text>
            <Text fw={600}>{a.openHighRisks.count ?? 'Not available'}</Text>
          </div>
        </SimpleGrid>
        <Table.ScrollContainer minWidth={420}>
          <Table verticalSpacing={4}>
            <Table.Caption>Readiness per annex section</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Section</Table.Th>
                <Table.Th scope="col">Passing</Table.Th>
                <Table.Th scope="col">Readiness</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {a.sections.map((s) => (
                <Table.Tr key={s.section}>
                  <Table.Th scope="row" fw={400}>
                    {s.section}. {s.title}
                  </Table.Th>
                  <Table.Td>
                    {s.passing}/{s.total}
                  </Table.Td>
                  <Table.Td>{s.total === 0 ? '—' : `${String(s.percent)}%`}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {a.overdueTasks.items.length > 0 ? (
          <>
            <Title order={3} size="h5">
              Overdue evidence tasks
            </Title>
            <List size="sm">
              {a.overdueTasks.items.map((t, i) => (
                <List.Item key={i}>
                  {t.title} ({t.controlRef}), due {t.dueOn}
                  {t.owner ? `, ${t.owner}` : ''}
                </List.Item>
              ))}
            </List>
          </>
        ) : null}
        {a.slaBreaches.count > 0 ? (
          <Text size="sm">
            SLA breaches by severity:{' '}
            {Object.entries(a.slaBreaches.bySeverity)
              .map(([severity, n]) => `${severity} ${String(n)}`)
              .join(', ')}
          </Text>
        ) : null}
        <Text size="sm">{a.openHighRisks.note}</Text>
        <Alert color="gray" variant="light" title="Incidents since the last review">
          {a.incidents.count === null ? a.incidents.note : a.incidents.count}
        </Alert>
        {a.openActions.count > 0 ? (
          <>
            <Title order={3} size="h5">
              Open action items of earlier reviews ({a.openActions.overdue} overdue)
            </Title>
            <List size="sm">
              {a.openActions.items.map((x, i) => (
                <List.Item key={i}>
                  {x.title}, due {x.dueOn}
                  {x.owner ? `, ${x.owner}` : ''}{' '}
                  {x.isOverdue ? <Badge color="red">Overdue</Badge> : null}
                </List.Item>
              ))}
            </List>
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}

function DraftEditor({ review }: { review: Review }) {
  const [minutes, setMinutes] = useState(review.minutes);
  const [decisions, setDecisions] = useState(review.decisions.join('\n'));
  const [meetingOn, setMeetingOn] = useState(review.meetingOn);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () =>
      call(endpoints.updateManagementReview, {
        params: { id: review.id },
        body: {
          minutes,
          meetingOn,
          decisions: decisions
            .split('\n')
            .map((d) => d.trim())
            .filter((d) => d !== ''),
        },
      }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Draft saved' });
      await invalidateReviews(queryClient);
    },
    onError: (error) => {
      setErrors(fieldErrorsOf(error));
      // Field errors sit next to their inputs; the alert is for the rest.
      setFormError(
        error instanceof ApiError && error.fieldErrors.length > 0 ? null : describeError(error),
      );
    },
  });
  return (
    <Paper withBorder radius="md" p="md">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setErrors({});
          setFormError(null);
          save.mutate();
        }}
      >
        <Stack>
          <Title order={2} size="h3">
            Minutes and decisions
          </Title>
          <FormAlert message={formError} />
          <TextInput
            label="Meeting date"
            type="date"
            value={meetingOn}
            onChange={(e) => setMeetingOn(e.currentTarget.value)}
            error={errors.meetingOn}
            w={220}
          />
          <Tabs defaultValue="write">
            <Tabs.List>
              <Tabs.Tab value="write">Write</Tabs.Tab>
              <Tabs.Tab value="preview">Preview</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="write" pt="xs">
              <Textarea
                label="Minutes (Markdown)"
                autosize
                minRows={8}
                value={minutes}
                onChange={(e) => setMinutes(e.currentTarget.value)}
                error={errors.minutes}
              />
            </Tabs.Panel>
            <Tabs.Panel value="preview" pt="xs">
              <MarkdownView source={minutes} />
            </Tabs.Panel>
          </Tabs>
          <Textarea
            label="Decisions"
            description="One decision per line"
            autosize
            minRows={3}
            value={decisions}
            onChange={(e) => setDecisions(e.currentTarget.value)}
            error={errors.decisions}
          />
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save draft
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function AddAction({ review }: { review: Review }) {
  const canListUsers = useCan('users.read');
  const users = useQuery({ ...usersQuery, enabled: canListUsers });
  const [title, setTitle] = useState('');
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [dueOn, setDueOn] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const queryClient = useQueryClient();
  const add = useMutation({
    mutationFn: () =>
      call(endpoints.addManagementReviewAction, {
        params: { id: review.id },
        body: { title, ownerId, dueOn },
      }),
    onSuccess: async () => {
      setTitle('');
      setOwnerId(null);
      setDueOn('');
      await invalidateReviews(queryClient);
    },
    onError: (error) => {
      const byField = fieldErrorsOf(error);
      if (Object.keys(byField).length === 0) byField.title = describeError(error);
      setErrors(byField);
    },
  });
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setErrors({});
        add.mutate();
      }}
    >
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Action item"
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={errors.title}
          style={{ flex: '1 1 16rem' }}
        />
        {canListUsers ? (
          <Select
            label="Owner"
            clearable
            searchable
            data={(users.data?.items ?? [])
              .filter((u) => u.status !== 'disabled')
              .map((u) => ({ value: u.id, label: u.name }))}
            value={ownerId}
            onChange={setOwnerId}
            error={errors.ownerId}
            w={200}
          />
        ) : null}
        <TextInput
          label="Due date"
          type="date"
          value={dueOn}
          onChange={(e) => setDueOn(e.currentTarget.value)}
          error={errors.dueOn}
          w={180}
        />
        <Button type="submit" variant="default" loading={add.isPending}>
          Add action
        </Button>
      </Group>
    </form>
  );
}

function ActionStatusSelect({ action }: { action: Review['actions'][number] }) {
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (status: ReviewActionStatus) =>
      call(endpoints.updateManagementReviewAction, {
        params: { actionId: action.id },
        body: { status },
      }),
    onSuccess: () => invalidateReviews(queryClient),
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  return (
    <Select
      aria-label={`Status of ${action.title}`}
      data={reviewActionStatuses.map((s) => ({ value: s, label: actionLabels[s] }))}
      value={action.status}
      allowDeselect={false}
      disabled={update.isPending}
      onChange={(v) => {
        if (v) update.mutate(v);
      }}
      w={140}
    />
  );
}

function Actions({ review }: { review: Review }) {
  const canManage = useCan('risks.manage');
  return (
    <Paper withBorder radius="md" p="md">
      <Stack>
        <Title order={2} size="h3">
          Action items
        </Title>
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs">
            <Table.Caption>
              {review.actions.length === 0
                ? 'No action items'
                : `${String(review.actions.length)} action items`}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Action</Table.Th>
                <Table.Th scope="col">Owner</Table.Th>
                <Table.Th scope="col">Due</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {review.actions.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Th scope="row" fw={400}>
                    {a.title}
                  </Table.Th>
                  <Table.Td>{a.owner?.name ?? '—'}</Table.Td>
                  <Table.Td>
                    {a.dueOn} {a.isOverdue ? <Badge color="red">Overdue</Badge> : null}
                  </Table.Td>
                  <Table.Td>
                    {canManage ? <ActionStatusSelect action={a} /> : actionLabels[a.status]}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {canManage && review.status === 'draft' ? <AddAction review={review} /> : null}
      </Stack>
    </Paper>
  );
}

function Notes({ review }: { review: Review }) {
  const canManage = useCan('risks.manage');
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const add = useMutation({
    mutationFn: () =>
      call(endpoints.addManagementReviewNote, { params: { id: review.id }, body: { body } }),
    onSuccess: async () => {
      setBody('');
      await invalidateReviews(queryClient);
    },
    onError: (e) => setError(fieldErrorsOf(e).body ?? describeError(e)),
  });
  return (
    <Paper withBorder radius="md" p="md">
      <Stack>
        <Title order={2} size="h3">
          Notes after the meeting
        </Title>
        <Text size="sm" c="dimmed">
          A held review does not change. Corrections and additions are kept as dated notes.
        </Text>
        {review.notes.map((n) => (
          <Paper key={n.id} withBorder p="sm" radius="sm">
            <Text size="xs" c="dimmed">
              {new Date(n.createdAt).toLocaleString()}
              {n.author ? ` — ${n.author.name}` : ''}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {n.body}
            </Text>
          </Paper>
        ))}
        {canManage ? (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              setError(null);
              add.mutate();
            }}
          >
            <Stack gap="xs">
              <Textarea
                label="Add a note"
                autosize
                minRows={2}
                value={body}
                onChange={(e) => setBody(e.currentTarget.value)}
                error={error}
              />
              <Group>
                <Button type="submit" variant="default" loading={add.isPending}>
                  Add note
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
      </Stack>
    </Paper>
  );
}

function downloadJson(review: Review) {
  const blob = new Blob([JSON.stringify(review, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `management-review-${review.id}.json`;
  link.click();
  URL.revokeObjectURL(url);
}

function HoldButton({ review }: { review: Review }) {
  const [isConfirming, setIsConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const hold = useMutation({
    mutationFn: () => call(endpoints.holdManagementReview, { params: { id: review.id } }),
    onSuccess: async () => {
      setIsConfirming(false);
      notifications.show({ color: 'green', message: 'Review recorded as held' });
      await invalidateReviews(queryClient);
    },
    onError: (e) => setError(describeError(e)),
  });
  return (
    <>
      <Button
        onClick={() => {
          setError(null);
          setIsConfirming(true);
        }}
      >
        Record as held
      </Button>
      <ConfirmModal
        opened={isConfirming}
        title="Record this review as held?"
        confirmLabel="Record as held"
        isPending={hold.isPending}
        error={error}
        onConfirm={() => hold.mutate()}
        onClose={() => setIsConfirming(false)}
      >
        Once held, the record — attendees, agenda, minutes, decisions and action items — no longer
        changes; only action item status can move, and corrections are added as notes. It becomes
        the evidence of the management review.
      </ConfirmModal>
    </>
  );
}

function ReviewContent({ id }: { id: string }) {
  const review = useQuery(managementReviewQuery(id));
  const canManage = useCan('risks.manage');
  if (review.isPending) return <LoadingBlock label="Loading review" />;
  if (review.isError) {
    return <QueryError error={review.error} onRetry={() => void review.refetch()} />;
  }
  const r = review.data;
  const isDraft = r.status === 'draft';
  return (
    <>
      <PageHeader
        title={r.title}
        description={
          <Group gap="xs" component="span">
            <StatusBadge status={r.status} />
            <span>Meeting of {r.meetingOn}</span>
            {r.heldAt ? (
              <span>
                · held {new Date(r.heldAt).toLocaleDateString()}
                {r.heldBy ? ` by ${r.heldBy.name}` : ''}
              </span>
            ) : null}
          </Group>
        }
        actions={
          <>
            <Anchor
              href={endpointUrl(endpoints.exportManagementReview, { params: { id: r.id } })}
              download
            >
              Download Markdown
            </Anchor>
            <Button variant="default" onClick={() => downloadJson(r)}>
              Download JSON
            </Button>
            {canManage && isDraft ? <HoldButton review={r} /> : null}
          </>
        }
      />
      <Stack>
        <Text size="sm">
          <AnchorLink to="/management-reviews">All management reviews</AnchorLink>
          {r.evidenceId ? (
            <>
              {' · '}
              <AnchorLink to="/evidence/$evidenceId" params={{ evidenceId: r.evidenceId }}>
                Evidence record
              </AnchorLink>
            </>
          ) : null}
        </Text>
        <Paper withBorder radius="md" p="md">
          <Title order={2} size="h3" mb="xs">
            Attendees
          </Title>
          {r.attendees.length === 0 ? (
            <Text c="dimmed">Nobody recorded yet.</Text>
          ) : (
            <List>
              {r.attendees.map((a, i) => (
                <List.Item key={i}>
                  {a.name}
                  {a.role ? ` — ${a.role}` : ''}
                </List.Item>
              ))}
            </List>
          )}
        </Paper>
        <Agenda review={r} />
        {isDraft && canManage ? <DraftEditor review={r} /> : <HeldRecord review={r} />}
        <Actions review={r} />
        {isDraft ? null : <Notes review={r} />}
      </Stack>
    </>
  );
}

/** One management review: its frozen agenda, minutes, decisions, action items and notes. */
export function ManagementReviewDetailPage({ reviewId }: { reviewId: string }) {
  return (
    <RequirePermission permission="risks.read" title="Management review">
      <ReviewContent id={reviewId} />
    </RequirePermission>
  );
}
