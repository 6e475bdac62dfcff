import {
  Badge,
  Button,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { FormModal } from '../../components/form-frame.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { ApiError, call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { usersQuery } from '../users/users-queries.ts';
import {
  invalidateReviews,
  managementReviewSettingsQuery,
  managementReviewsQuery,
} from './management-reviews-queries.ts';

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

function fieldErrorsOf(error: unknown): Record<string, string> {
  const byField: Record<string, string> = {};
  if (error instanceof ApiError) {
    for (const e of error.fieldErrors) byField[e.path.split('.')[0] ?? e.path] ??= e.message;
  }
  return byField;
}

function NewReviewModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const canListUsers = useCan('users.read');
  const users = useQuery({ ...usersQuery, enabled: opened && canListUsers });
  const [title, setTitle] = useState('');
  const [meetingOn, setMeetingOn] = useState(todayIso);
  const [userIds, setUserIds] = useState<string[]>([]);
  const [guests, setGuests] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: () =>
      call(endpoints.createManagementReview, {
        body: {
          ...(title.trim() === '' ? {} : { title: title.trim() }),
          meetingOn,
          attendees: [
            ...userIds.map((userId) => ({ userId })),
            ...guests.map((name) => ({ name })),
          ],
        },
      }),
    onSuccess: async (review) => {
      await invalidateReviews(queryClient);
      onClose();
      await navigate({ to: '/management-reviews/$reviewId', params: { reviewId: review.id } });
    },
    onError: (error) => {
      setErrors(fieldErrorsOf(error));
      // Field errors sit next to their inputs; the alert is for the rest.
      setFormError(
        error instanceof ApiError && error.fieldErrors.length > 0 ? null : describeError(error),
      );
    },
  });
  const options = (users.data?.items ?? [])
    .filter((u) => u.status !== 'disabled')
    .map((u) => ({ value: u.id, label: `${u.name} (${u.email})` }));
  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title="New management review"
      size="lg"
      onSubmit={() => {
        setErrors({});
        setFormError(null);
        create.mutate();
      }}
      error={formError}
      submitLabel="Create draft"
      isPending={create.isPending}
    >
      <Text size="sm" c="dimmed">
        The agenda is filled in now from live figures — readiness per annex section, overdue
        evidence tasks, findings past their SLA, open high risks and open action items — and kept as
        it is in the record.
      </Text>
      <TextInput
        label="Title"
        placeholder={`Management review ${meetingOn}`}
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={errors.title}
      />
      <TextInput
        label="Meeting date"
        type="date"
        required
        value={meetingOn}
        onChange={(e) => setMeetingOn(e.currentTarget.value)}
        error={errors.meetingOn}
      />
      {canListUsers ? (
        <MultiSelect
          label="Attendees (Steward users)"
          data={options}
          value={userIds}
          onChange={setUserIds}
          searchable
          error={errors.attendees}
        />
      ) : null}
      <TagsInput
        label="Other attendees"
        description="Names of people without a Steward account; press Enter after each"
        value={guests}
        onChange={setGuests}
      />
    </FormModal>
  );
}

function CadenceSetting() {
  const settings = useQuery(managementReviewSettingsQuery);
  const canManage = useCan('risks.manage');
  const [months, setMonths] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (cadenceMonths: number) =>
      call(endpoints.updateManagementReviewSettings, { body: { cadenceMonths } }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Review cadence saved' });
      setMonths(null);
      await invalidateReviews(queryClient);
    },
    onError: (e) => setError(fieldErrorsOf(e).cadenceMonths ?? describeError(e)),
  });
  if (!settings.data) return null;
  const value = months ?? settings.data.cadenceMonths;
  return (
    <Group align="flex-end" gap="xs">
      <NumberInput
        label="Hold a review every (months)"
        min={1}
        max={12}
        w={220}
        value={value}
        disabled={!canManage}
        error={error}
        onChange={(v) => {
          setError(null);
          setMonths(typeof v === 'number' ? v : null);
        }}
      />
      {canManage ? (
        <Button
          variant="default"
          disabled={months === null || months === settings.data.cadenceMonths}
          loading={save.isPending}
          onClick={() => save.mutate(value)}
        >
          Save cadence
        </Button>
      ) : null}
    </Group>
  );
}

function ReviewsContent() {
  const canManage = useCan('risks.manage');
  const [status, setStatus] = useState<'all' | 'draft' | 'held'>('all');
  const [isCreating, setIsCreating] = useState(false);
  const reviews = useQuery(managementReviewsQuery(status === 'all' ? undefined : status));
  return (
    <>
      <PageHeader
        title="Management reviews"
        description="Leadership's oversight of the security program: meetings, decisions and action items"
        actions={canManage ? <Button onClick={() => setIsCreating(true)}>New review</Button> : null}
      />
      <NewReviewModal opened={isCreating} onClose={() => setIsCreating(false)} />
      {reviews.isPending ? <LoadingBlock label="Loading reviews" /> : null}
      {reviews.isError ? (
        <QueryError error={reviews.error} onRetry={() => void reviews.refetch()} />
      ) : null}
      {reviews.data ? (
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            <Paper withBorder p="md" radius="md">
              <Text size="sm" c="dimmed">
                Last review held
              </Text>
              <Text fw={600}>{reviews.data.overview.lastHeldOn ?? 'None yet'}</Text>
            </Paper>
            <Paper withBorder p="md" radius="md">
              <Text size="sm" c="dimmed">
                Next review due
              </Text>
              <Group gap="xs">
                <Text fw={600}>{reviews.data.overview.nextDueOn ?? 'Hold the first one'}</Text>
                {reviews.data.overview.isOverdue ? <Badge color="red">Overdue</Badge> : null}
              </Group>
            </Paper>
            <Paper withBorder p="md" radius="md">
              <Text size="sm" c="dimmed">
                Open action items
              </Text>
              <Text fw={600}>{reviews.data.overview.openActions}</Text>
            </Paper>
            <Paper withBorder p="md" radius="md">
              <Text size="sm" c="dimmed">
                Overdue action items
              </Text>
              <Text fw={600} c={reviews.data.overview.overdueActions > 0 ? 'red' : undefined}>
                {reviews.data.overview.overdueActions}
              </Text>
            </Paper>
          </SimpleGrid>
          <Group justify="space-between" align="flex-end">
            <SegmentedControl
              aria-label="Status"
              value={status}
              onChange={(v) => setStatus(v)}
              data={[
                { value: 'all', label: 'All' },
                { value: 'draft', label: 'Drafts' },
                { value: 'held', label: 'Held' },
              ]}
            />
            <CadenceSetting />
          </Group>
          <Table.ScrollContainer minWidth={640}>
            <Table striped highlightOnHover verticalSpacing="sm">
              <Table.Caption>
                {reviews.data.items.length === 1
                  ? '1 review'
                  : `${String(reviews.data.items.length)} reviews`}
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Review</Table.Th>
                  <Table.Th scope="col">Meeting date</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Attendees</Table.Th>
                  <Table.Th scope="col">Open actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {reviews.data.items.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Th scope="row" fw={400}>
                      <AnchorLink
                        to="/management-reviews/$reviewId"
                        params={{ reviewId: r.id }}
                        fw={500}
                      >
                        {r.title}
                      </AnchorLink>
                    </Table.Th>
                    <Table.Td>{r.meetingOn}</Table.Td>
                    <Table.Td>
                      {r.status === 'held' ? (
                        <Badge color="green">Held</Badge>
                      ) : (
                        <Badge color="blue" variant="light">
                          Draft
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{r.attendees.length}</Table.Td>
                    <Table.Td>
                      {r.openActions}
                      {r.overdueActions > 0 ? (
                        <Badge color="red" ml="xs">
                          {r.overdueActions} overdue
                        </Badge>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      ) : null}
    </>
  );
}

/** The list of management reviews with the cadence and open action items. */
export function ManagementReviewsPage() {
  return (
    <RequirePermission permission="risks.read" title="Management reviews">
      <ReviewsContent />
    </RequirePermission>
  );
}
