import {
  Badge,
  Button,
  MultiSelect,
  Progress,
  SegmentedControl,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints, type Campaign } from '@steward/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { FormModal } from '../../components/form-frame.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { ApiError, call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { formatDay } from '../../lib/format.ts';

/** First key of every access review query. */
export const accessReviewsKey = 'access-reviews';

/** The campaigns the caller may see. */
export function campaignsQuery() {
  return queryOptions({
    queryKey: [accessReviewsKey, 'list'],
    staleTime: 0,
    queryFn: ({ signal }) => call(endpoints.listAccessReviews, { signal }),
  });
}

/** The status of a campaign in words and colour. */
export function CampaignStatusBadge({ campaign }: { campaign: Campaign }) {
  if (campaign.status === 'closed') return <Badge color="green">Closed</Badge>;
  if (campaign.isOverdue) return <Badge color="red">Overdue</Badge>;
  return <Badge color="blue">Open</Badge>;
}

function fieldErrorsOf(error: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!(error instanceof ApiError)) return errors;
  for (const fieldError of error.fieldErrors) errors[fieldError.path] ??= fieldError.message;
  return errors;
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

function LaunchModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const systems = useQuery({
    queryKey: ['systems', 'for-review'],
    enabled: opened,
    queryFn: ({ signal }) => call(endpoints.listSystems, { query: {}, signal }),
  });
  const [name, setName] = useState('');
  const [systemIds, setSystemIds] = useState<string[]>([]);
  const [reviewerRule, setReviewerRule] = useState<'system_owner' | 'manager'>('system_owner');
  const [dueOn, setDueOn] = useState(inDays(14));
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const launch = useMutation({
    mutationFn: () =>
      call(endpoints.launchAccessReview, { body: { name, systemIds, reviewerRule, dueOn } }),
    onSuccess: async (campaign) => {
      notifications.show({
        color: 'green',
        message: `Campaign launched: ${String(campaign.progress.items)} accounts to review`,
      });
      await queryClient.invalidateQueries({ queryKey: [accessReviewsKey] });
      onClose();
      await navigate({ to: '/access-reviews/$campaignId', params: { campaignId: campaign.id } });
    },
    onError: (error) => {
      setFormError(describeError(error));
      setFieldErrors(fieldErrorsOf(error));
    },
  });
  const options = (systems.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }));
  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title="Launch an access review"
      onSubmit={() => {
        setFormError(null);
        setFieldErrors({});
        launch.mutate();
      }}
      error={formError}
      submitLabel="Launch"
      isPending={launch.isPending}
    >
      <TextInput
        label="Name"
        required
        value={name}
        error={fieldErrors.name}
        onChange={(event) => setName(event.currentTarget.value)}
      />
      <MultiSelect
        label="Systems"
        description="Every account of these systems is copied into the review when it starts"
        data={options}
        value={systemIds}
        onChange={setSystemIds}
        searchable
        error={fieldErrors.systemIds}
      />
      <div>
        <Text size="sm" fw={500} mb={4} id="reviewer-rule-label">
          Reviewer
        </Text>
        <SegmentedControl
          aria-labelledby="reviewer-rule-label"
          value={reviewerRule}
          onChange={(value) => setReviewerRule(value === 'manager' ? 'manager' : 'system_owner')}
          data={[
            { value: 'system_owner', label: 'System owner' },
            { value: 'manager', label: "Holder's manager" },
          ]}
        />
        <Text size="xs" c="dimmed" mt={4}>
          Nobody reviews their own access: such accounts go to the system owner or to you.
        </Text>
      </div>
      <TextInput
        label="Due on"
        type="date"
        required
        value={dueOn}
        error={fieldErrors.dueOn}
        onChange={(event) => setDueOn(event.currentTarget.value)}
      />
    </FormModal>
  );
}

/** Access review campaigns: everyone sees the ones they review in; managers see all. */
export function AccessReviewsPage() {
  const canLaunch = useCan('systems.manage');
  const [launching, setLaunching] = useState(false);
  const list = useQuery(campaignsQuery());
  return (
    <>
      <PageHeader
        title="Access reviews"
        description="Campaigns in which reviewers keep, revoke or change every account of the chosen systems. Revocations are verified by the next sync or by evidence."
        actions={
          canLaunch ? <Button onClick={() => setLaunching(true)}>Launch a review</Button> : null
        }
      />
      <LaunchModal opened={launching} onClose={() => setLaunching(false)} />
      {list.isPending ? <LoadingBlock label="Loading access reviews" /> : null}
      {list.isError ? (
        <QueryError
          error={list.error}
          title="Could not load access reviews"
          onRetry={() => void list.refetch()}
        />
      ) : null}
      {list.isSuccess && list.data.items.length === 0 ? (
        <Text c="dimmed">No access review yet.</Text>
      ) : null}
      {list.isSuccess && list.data.items.length > 0 ? (
        <Table striped verticalSpacing="sm" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Campaign</Table.Th>
              <Table.Th scope="col">Systems</Table.Th>
              <Table.Th scope="col">Due</Table.Th>
              <Table.Th scope="col">Decided</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((c) => {
              const share =
                c.progress.items === 0 ? 0 : (c.progress.decided / c.progress.items) * 100;
              return (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <AnchorLink to="/access-reviews/$campaignId" params={{ campaignId: c.id }}>
                      {c.name}
                    </AnchorLink>
                    <Text size="xs" c="dimmed">
                      Launched by {c.launchedBy}
                    </Text>
                  </Table.Td>
                  <Table.Td>{c.systems.map((s) => s.name).join(', ')}</Table.Td>
                  <Table.Td>{formatDay(c.dueOn)}</Table.Td>
                  <Table.Td miw={140}>
                    <Text size="xs">
                      {c.progress.decided} of {c.progress.items}
                    </Text>
                    <Progress
                      value={share}
                      aria-label={`${String(c.progress.decided)} of ${String(c.progress.items)} decided`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <CampaignStatusBadge campaign={c} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      ) : null}
    </>
  );
}
