import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  Pagination,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints, type ReviewItem } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan, useMe } from '../../app/me-context.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { formatDay } from '../../lib/format.ts';
import { accessReviewsKey, CampaignStatusBadge } from './access-reviews-page.tsx';

type Decision = 'keep' | 'revoke' | 'change';
type DecisionFilter = 'undecided' | Decision | 'all';

const pageSize = 50;

const decisionLabels: Record<Decision, string> = {
  keep: 'Keep',
  revoke: 'Revoke',
  change: 'Change',
};

function DecisionBadge({ item }: { item: ReviewItem }) {
  if (item.decision === null) return <Badge color="gray">To review</Badge>;
  const color = item.decision === 'keep' ? 'green' : item.decision === 'revoke' ? 'red' : 'orange';
  return (
    <Stack gap={2}>
      <Badge color={color}>{decisionLabels[item.decision]}</Badge>
      {item.verification === 'pending' ? (
        <Text size="xs" c="orange">
          Waiting for the next sync or evidence
        </Text>
      ) : null}
      {item.verification === 'verified' ? (
        <Text size="xs" c="green">
          Verified by {item.verifiedBy === 'sync' ? 'a sync' : 'evidence'}
        </Text>
      ) : null}
    </Stack>
  );
}

function DecideModal({
  campaignId,
  target,
  onClose,
}: {
  campaignId: string;
  target: { decision: Decision; itemIds: string[] } | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const decide = useMutation({
    mutationFn: (t: { decision: Decision; itemIds: string[] }) =>
      call(endpoints.decideAccessReviewItems, {
        params: { id: campaignId },
        body: {
          itemIds: t.itemIds,
          decision: t.decision,
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        },
      }),
    onSuccess: async (result) => {
      notifications.show({
        color: 'green',
        message: `${String(result.decided)} account(s) decided`,
      });
      await queryClient.invalidateQueries({ queryKey: [accessReviewsKey] });
      setReason('');
      onClose();
    },
    onError: (error) => setFormError(describeError(error)),
  });
  return (
    <Modal
      opened={target !== null}
      onClose={onClose}
      title={
        target
          ? `${decisionLabels[target.decision]} ${String(target.itemIds.length)} account(s)`
          : ''
      }
    >
      {target ? (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            setFormError(null);
            decide.mutate(target);
          }}
        >
          <Stack>
            <FormAlert message={formError} />
            <Textarea
              label="Reason"
              description={
                target.decision === 'keep'
                  ? 'Optional'
                  : 'Required: the system owner acts on it and auditors read it'
              }
              required={target.decision !== 'keep'}
              autosize
              minRows={2}
              value={reason}
              onChange={(event) => setReason(event.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button
                type="submit"
                color={target.decision === 'revoke' ? 'red' : undefined}
                loading={decide.isPending}
              >
                {decisionLabels[target.decision]}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}

/** One campaign: progress per reviewer, the accounts under review, decisions and closing. */
export function AccessReviewDetailPage({ campaignId }: { campaignId: string }) {
  const me = useMe();
  const canManage = useCan('systems.manage');
  const canReadSystems = useCan('systems.read');
  const canReadProgram = useCan('program.read');
  const queryClient = useQueryClient();
  const [mineOnly, setMineOnly] = useState(!canManage);
  const [decision, setDecision] = useState<DecisionFilter>('undecided');
  const [privilegedOnly, setPrivilegedOnly] = useState(false);
  const [text, setText] = useState('');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [deciding, setDeciding] = useState<{ decision: Decision; itemIds: string[] } | null>(null);
  const [closeError, setCloseError] = useState<string | null>(null);

  const campaign = useQuery({
    queryKey: [accessReviewsKey, 'campaign', campaignId],
    staleTime: 0,
    queryFn: ({ signal }) =>
      call(endpoints.getAccessReview, { params: { id: campaignId }, signal }),
  });
  const query = {
    ...(mineOnly ? { reviewer: 'me' as const } : {}),
    ...(decision === 'all' ? {} : { decision }),
    ...(privilegedOnly ? { privileged: 'true' as const } : {}),
    ...(text.trim() ? { q: text.trim() } : {}),
    offset: (page - 1) * pageSize,
    limit: pageSize,
  };
  const items = useQuery({
    queryKey: [accessReviewsKey, 'items', campaignId, query],
    staleTime: 0,
    queryFn: ({ signal }) =>
      call(endpoints.listAccessReviewItems, { params: { id: campaignId }, query, signal }),
  });
  const close = useMutation({
    mutationFn: () => call(endpoints.closeAccessReview, { params: { id: campaignId } }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Campaign closed; its report is evidence' });
      await queryClient.invalidateQueries({ queryKey: [accessReviewsKey] });
    },
    onError: (error) => setCloseError(describeError(error)),
  });

  if (campaign.isPending) return <LoadingBlock label="Loading the campaign" />;
  if (campaign.isError) {
    return (
      <QueryError
        error={campaign.error}
        title="Could not load the campaign"
        onRetry={() => void campaign.refetch()}
      />
    );
  }
  const c = campaign.data;
  const isOpen = c.status === 'open';
  const pageItems = items.data?.items ?? [];
  const decidable = pageItems.filter(
    (i) =>
      isOpen &&
      i.verification !== 'verified' &&
      (i.reviewer.id === me.user.id || c.owner.id === me.user.id),
  );
  const allSelected = decidable.length > 0 && decidable.every((i) => selected.has(i.id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  return (
    <>
      <PageHeader
        title={c.name}
        description={`Due ${formatDay(c.dueOn)} · launched by ${c.launchedBy} · ${c.systems.map((s) => s.name).join(', ')}`}
        actions={
          <Group gap="sm">
            <CampaignStatusBadge campaign={c} />
            {canManage ? (
              <Anchor href={`/api/v1/access-reviews/${c.id}/report.csv`} download>
                Report (CSV)
              </Anchor>
            ) : null}
            {canReadSystems ? (
              <Anchor href={`/api/v1/access-reviews/${c.id}/report.pdf`} download>
                Report (PDF)
              </Anchor>
            ) : null}
            {canReadProgram && c.reportPdfEvidenceId ? (
              <AnchorLink to="/evidence/$evidenceId" params={{ evidenceId: c.reportPdfEvidenceId }}>
                Stored report evidence
              </AnchorLink>
            ) : null}
            {canManage && isOpen ? (
              <Button
                onClick={() => {
                  setCloseError(null);
                  close.mutate();
                }}
                loading={close.isPending}
              >
                Close the campaign
              </Button>
            ) : null}
          </Group>
        }
      />
      <FormAlert message={closeError} />
      <SimpleGrid cols={{ base: 2, sm: 4 }} mb="md">
        {(
          [
            ['Accounts', c.progress.items],
            ['Decided', c.progress.decided],
            ['Revoked or changed', c.progress.revoked + c.progress.changed],
            ['Waiting for verification', c.progress.pendingVerification],
          ] as const
        ).map(([label, value]) => (
          <Card key={label} withBorder padding="sm">
            <Text size="xs" c="dimmed">
              {label}
            </Text>
            <Text fw={700} size="lg">
              {value}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      {c.reviewers.length > 1 ? (
        <Table mb="md" fz="sm" verticalSpacing="xs">
          <Table.Caption>Progress per reviewer</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Reviewer</Table.Th>
              <Table.Th scope="col">Decided</Table.Th>
              <Table.Th scope="col">Revocations waiting</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.reviewers.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td>
                  {r.progress.decided} of {r.progress.items}
                </Table.Td>
                <Table.Td>{r.progress.pendingVerification}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}

      <Group mb="sm" align="flex-end" wrap="wrap">
        <Select
          label="Decision"
          value={decision}
          allowDeselect={false}
          onChange={(value) => {
            setDecision(value ?? 'undecided');
            setPage(1);
          }}
          data={[
            { value: 'undecided', label: 'To review' },
            { value: 'keep', label: 'Kept' },
            { value: 'revoke', label: 'Revoked' },
            { value: 'change', label: 'Changed' },
            { value: 'all', label: 'All' },
          ]}
        />
        <TextInput
          label="Search accounts"
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setPage(1);
          }}
        />
        <Checkbox
          label="Privileged only"
          checked={privilegedOnly}
          onChange={(event) => {
            setPrivilegedOnly(event.currentTarget.checked);
            setPage(1);
          }}
        />
        <Checkbox
          label="Only accounts I review"
          checked={mineOnly}
          onChange={(event) => {
            setMineOnly(event.currentTarget.checked);
            setPage(1);
          }}
        />
      </Group>
      {isOpen ? (
        <Group mb="sm">
          {(['keep', 'revoke', 'change'] as const).map((d) => (
            <Button
              key={d}
              variant={d === 'keep' ? 'filled' : 'light'}
              color={d === 'revoke' ? 'red' : undefined}
              disabled={selected.size === 0}
              onClick={() => setDeciding({ decision: d, itemIds: [...selected] })}
            >
              {decisionLabels[d]} selected ({selected.size})
            </Button>
          ))}
        </Group>
      ) : null}
      <DecideModal
        campaignId={c.id}
        target={deciding}
        onClose={() => {
          setDeciding(null);
          setSelected(new Set());
        }}
      />
      {items.isPending ? <LoadingBlock label="Loading accounts" /> : null}
      {items.isError ? (
        <QueryError
          error={items.error}
          title="Could not load the accounts"
          onRetry={() => void items.refetch()}
        />
      ) : null}
      {items.isSuccess && pageItems.length === 0 ? (
        <Text c="dimmed">No account matches.</Text>
      ) : null}
      {items.isSuccess && pageItems.length > 0 ? (
        <>
          <Table striped verticalSpacing="sm" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">
                  <Checkbox
                    aria-label="Select every account on this page"
                    checked={allSelected}
                    disabled={decidable.length === 0}
                    onChange={() =>
                      setSelected(allSelected ? new Set() : new Set(decidable.map((i) => i.id)))
                    }
                  />
                </Table.Th>
                <Table.Th scope="col">Account</Table.Th>
                <Table.Th scope="col">System</Table.Th>
                <Table.Th scope="col">Entitlements</Table.Th>
                <Table.Th scope="col">Reviewer</Table.Th>
                <Table.Th scope="col">Decision</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {pageItems.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>
                    <Checkbox
                      aria-label={`Select ${item.externalId} on ${item.system.name}`}
                      checked={selected.has(item.id)}
                      disabled={!decidable.includes(item)}
                      onChange={() => toggle(item.id)}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {item.externalId}
                      {item.isPrivileged ? (
                        <Badge ml="xs" size="xs" color="red">
                          Privileged
                        </Badge>
                      ) : null}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {item.person ? item.person.name : 'No person linked'}
                      {item.email ? ` · ${item.email}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>{item.system.name}</Table.Td>
                  <Table.Td>
                    {item.entitlements.length === 0
                      ? '—'
                      : item.entitlements.map((e) => e.name).join(', ')}
                  </Table.Td>
                  <Table.Td>{item.reviewer.name}</Table.Td>
                  <Table.Td>
                    <DecisionBadge item={item} />
                    {item.reason ? (
                      <Text size="xs" c="dimmed">
                        {item.reason}
                      </Text>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {items.data.total > pageSize ? (
            <Pagination
              mt="md"
              total={Math.ceil(items.data.total / pageSize)}
              value={page}
              onChange={setPage}
              aria-label="Pages of accounts"
            />
          ) : null}
        </>
      ) : null}
    </>
  );
}
