import {
  Button,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import type { RiskAcceptance } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan, useMe } from '../../app/me-context.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { formatDay } from '../../lib/format.ts';
import { SeverityBadge } from './finding-badges.tsx';
import { RiskAcceptanceStatusBadge } from './risk-acceptance-badge.tsx';
import { riskAcceptancesQuery, vulnerabilitiesKey } from './vulnerabilities-queries.ts';

type Decision = 'approve' | 'reject';

function DecisionModal({
  request,
  decision,
  onClose,
}: {
  request: RiskAcceptance | null;
  decision: Decision;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const decide = useMutation({
    mutationFn: (id: string) =>
      call(endpoints.decideRiskAcceptance, {
        params: { id },
        body: { decision, ...(note.trim() ? { note: note.trim() } : {}) },
      }),
    onSuccess: async () => {
      notifications.show({
        color: 'green',
        message: decision === 'approve' ? 'Risk acceptance approved' : 'Risk acceptance rejected',
      });
      await queryClient.invalidateQueries({ queryKey: [vulnerabilitiesKey] });
      setNote('');
      onClose();
    },
    onError: (error) => setFormError(describeError(error)),
  });
  const title = decision === 'approve' ? 'Approve risk acceptance' : 'Reject risk acceptance';
  return (
    <Modal opened={request !== null} onClose={onClose} title={title}>
      {request ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setFormError(null);
            decide.mutate(request.id);
          }}
          noValidate
        >
          <Stack>
            <FormAlert message={formError} />
            <Text size="sm">
              <strong>{request.findingTitle}</strong> on {request.assetName}, until{' '}
              {formatDay(request.expiresOn)}. {request.requestedBy.label} wrote: “
              {request.justification}”
            </Text>
            <Textarea
              label="Note"
              description="Kept with the decision"
              autosize
              minRows={2}
              value={note}
              onChange={(event) => setNote(event.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button
                type="submit"
                color={decision === 'approve' ? undefined : 'red'}
                loading={decide.isPending}
              >
                {decision === 'approve' ? 'Approve' : 'Reject'}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}

const statusFilters = ['pending', 'approved', 'rejected', 'expired'] as const;

function RiskAcceptancesContent() {
  const me = useMe();
  const canDecide = useCan('findings.accept_risk');
  const [status, setStatus] = useState<(typeof statusFilters)[number]>('pending');
  const [deciding, setDeciding] = useState<{ request: RiskAcceptance; decision: Decision } | null>(
    null,
  );
  const list = useQuery(riskAcceptancesQuery(status));

  return (
    <>
      <PageHeader
        title="Risk acceptances"
        description="Requests to accept the risk of a finding until a date. Someone other than the requester decides."
      />
      <SegmentedControl
        mb="md"
        aria-label="Status"
        value={status}
        onChange={(value) => setStatus(statusFilters.find((s) => s === value) ?? 'pending')}
        data={[
          { value: 'pending', label: 'Pending' },
          { value: 'approved', label: 'Approved' },
          { value: 'rejected', label: 'Rejected' },
          { value: 'expired', label: 'Expired' },
        ]}
      />
      {list.isPending ? <LoadingBlock label="Loading risk acceptances" /> : null}
      {list.isError ? (
        <QueryError
          error={list.error}
          title="Could not load risk acceptances"
          onRetry={() => void list.refetch()}
        />
      ) : null}
      {list.isSuccess && list.data.items.length === 0 ? (
        <Text c="dimmed">Nothing here.</Text>
      ) : null}
      {list.isSuccess && list.data.items.length > 0 ? (
        <Table striped verticalSpacing="sm" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Finding</Table.Th>
              <Table.Th scope="col">Requested by</Table.Th>
              <Table.Th scope="col">Justification</Table.Th>
              <Table.Th scope="col">Until</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((request) => {
              const isOwn = request.requestedBy.userId === me.user.id;
              return (
                <Table.Tr key={request.id}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <SeverityBadge severity={request.findingSeverity} size="sm" />
                      <AnchorLink
                        to="/findings/$findingId"
                        params={{ findingId: request.findingId }}
                      >
                        {request.findingTitle}
                      </AnchorLink>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {request.assetName}
                    </Text>
                  </Table.Td>
                  <Table.Td>{request.requestedBy.label}</Table.Td>
                  <Table.Td>{request.justification}</Table.Td>
                  <Table.Td>{formatDay(request.expiresOn)}</Table.Td>
                  <Table.Td>
                    <RiskAcceptanceStatusBadge status={request.status} />
                    {request.decidedBy ? (
                      <Text size="xs" c="dimmed">
                        by {request.decidedBy.label}
                        {request.decisionNote ? `: ${request.decisionNote}` : ''}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    {request.status === 'pending' && canDecide ? (
                      isOwn ? (
                        <Text size="xs" c="dimmed">
                          Your request: someone else decides
                        </Text>
                      ) : (
                        <Group gap="xs" wrap="nowrap">
                          <Button
                            size="xs"
                            onClick={() => setDeciding({ request, decision: 'approve' })}
                            aria-label={`Approve: ${request.findingTitle}`}
                          >
                            Approve
                          </Button>
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => setDeciding({ request, decision: 'reject' })}
                            aria-label={`Reject: ${request.findingTitle}`}
                          >
                            Reject
                          </Button>
                        </Group>
                      )
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      ) : null}
      <DecisionModal
        request={deciding?.request ?? null}
        decision={deciding?.decision ?? 'approve'}
        onClose={() => setDeciding(null)}
      />
    </>
  );
}

/** `/risk-acceptances`: the approvals inbox and past decisions. */
export function RiskAcceptancesPage() {
  return (
    <RequirePermission permission="findings.read" title="Risk acceptances">
      <RiskAcceptancesContent />
    </RequirePermission>
  );
}
