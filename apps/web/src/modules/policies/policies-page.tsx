import { Badge, Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import {
  invalidatePolicies,
  policiesQuery,
  policyApprovalsQuery,
  policyTemplatesQuery,
} from './policies-queries.ts';

const statusLabels: Record<string, string> = {
  draft: 'Draft',
  in_review: 'In review',
  approved: 'Approved',
  published: 'Published',
  superseded: 'Superseded',
  retired: 'Retired',
};

function NewFromTemplate() {
  const templates = useQuery(policyTemplatesQuery);
  const policies = useQuery(policiesQuery);
  const [templateKey, setTemplateKey] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: (key: string) => call(endpoints.createPolicy, { body: { templateKey: key } }),
    onSuccess: async (detail) => {
      await invalidatePolicies(queryClient);
      await navigate({ to: '/policies/$policyId', params: { policyId: detail.policy.id } });
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  const adopted = new Set((policies.data?.items ?? []).map((p) => p.templateKey));
  const options = (templates.data?.items ?? [])
    .filter((t) => !adopted.has(t.key))
    .map((t) => ({ value: t.key, label: t.title }));
  return (
    <Group gap="xs" align="flex-end">
      <Select
        label="Start from a template"
        placeholder="Choose a starter policy"
        data={options}
        value={templateKey}
        onChange={setTemplateKey}
        w={300}
      />
      <Button
        disabled={templateKey === null}
        loading={create.isPending}
        onClick={() => {
          if (templateKey) create.mutate(templateKey);
        }}
      >
        Create draft
      </Button>
    </Group>
  );
}

function ApprovalInbox() {
  const approvals = useQuery(policyApprovalsQuery);
  const items = approvals.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Stack gap="xs" mb="lg">
      <Title order={2} size="h4">
        Waiting for your approval
      </Title>
      {items.map((item) => (
        <Text key={item.id} size="sm">
          <AnchorLink to="/policies/$policyId" params={{ policyId: item.policyId }}>
            {item.policyTitle}
          </AnchorLink>{' '}
          — version {item.number}
          {item.changeSummary ? `: ${item.changeSummary}` : ''}
        </Text>
      ))}
    </Stack>
  );
}

function PolicyLibrary() {
  const policies = useQuery(policiesQuery);
  if (policies.isPending) return <LoadingBlock label="Loading policies" />;
  if (policies.isError) {
    return <QueryError error={policies.error} onRetry={() => void policies.refetch()} />;
  }
  const items = policies.data.items;
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table striped highlightOnHover verticalSpacing="sm">
        <Table.Caption>
          {items.length === 1 ? '1 policy' : `${items.length} policies`}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Policy</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Owner</Table.Th>
            <Table.Th scope="col">Next review</Table.Th>
            <Table.Th scope="col">Acknowledged</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((policy) => (
            <Table.Tr key={policy.id}>
              <Table.Th scope="row" fw={400}>
                <AnchorLink to="/policies/$policyId" params={{ policyId: policy.id }} fw={500}>
                  {policy.title}
                </AnchorLink>
              </Table.Th>
              <Table.Td>
                <Group gap={4}>
                  {policy.retiredAt ? <Badge color="gray">Retired</Badge> : null}
                  {policy.published ? (
                    <Badge color="green">Published v{policy.published.number}</Badge>
                  ) : null}
                  {policy.pending ? (
                    <Badge color="blue" variant="light">
                      {statusLabels[policy.pending.status]} v{policy.pending.number}
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td>{policy.owner?.name ?? '—'}</Table.Td>
              <Table.Td>
                {policy.nextReviewOn ?? '—'}{' '}
                {policy.isReviewOverdue ? <Badge color="red">Overdue</Badge> : null}
              </Table.Td>
              <Table.Td>
                {policy.published
                  ? `${policy.coverage.percent}% (${policy.coverage.acknowledged}/${policy.coverage.requested})`
                  : '—'}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PoliciesContent() {
  const canManage = useCan('policies.manage');
  const canApprove = useCan('policies.approve');
  return (
    <>
      <PageHeader
        title="Policies"
        description="Written policies, their approval, publication, review and acknowledgement"
      />
      {canApprove ? <ApprovalInbox /> : null}
      {canManage ? (
        <Stack mb="lg">
          <NewFromTemplate />
        </Stack>
      ) : null}
      <PolicyLibrary />
    </>
  );
}

/** The policy library with the approval inbox. */
export function PoliciesPage() {
  return (
    <RequirePermission permission="policies.read" title="Policies">
      <PoliciesContent />
    </RequirePermission>
  );
}
