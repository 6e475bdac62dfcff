import { Alert, Anchor, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { CustomerFormModal } from './customers-page.tsx';
import { RequestStatusBadge } from './support-access-page.tsx';
import {
  accessReportQuery,
  customerQuery,
  invalidateSupportAccess,
} from './support-access-queries.ts';

const approvalLabels = {
  person: 'Approved',
  on_call_rule: 'On-call rule',
  none: 'Not approved',
} as const;

/** A customer and the report of every support access to its data. */
export function CustomerDetailPage({ customerId }: { customerId: string }) {
  return (
    <RequirePermission permission="systems.read" title="Customer">
      <CustomerDetail customerId={customerId} />
    </RequirePermission>
  );
}

function CustomerDetail({ customerId }: { customerId: string }) {
  const queryClient = useQueryClient();
  const canManage = useCan('systems.manage');
  const canSaveEvidence = useCan('evidence.submit');
  const [editing, setEditing] = useState(false);
  const customer = useQuery(customerQuery(customerId));
  const report = useQuery(accessReportQuery(customerId));
  const save = useMutation({
    mutationFn: () => call(endpoints.saveCustomerAccessReport, { params: { id: customerId } }),
    onSuccess: async (saved) => {
      notifications.show({
        color: 'green',
        message: `Report saved as evidence (${String(saved.rows)} request(s))`,
      });
      await invalidateSupportAccess(queryClient);
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  if (customer.isPending) return <LoadingBlock label="Loading the customer" />;
  if (customer.isError) {
    return (
      <QueryError
        error={customer.error}
        title="Could not load the customer"
        onRetry={() => void customer.refetch()}
      />
    );
  }
  const c = customer.data;
  return (
    <>
      <PageHeader
        title={c.name}
        description={
          <>
            Key <code>{c.key}</code>
            {c.notes ? ` · ${c.notes}` : ''}
          </>
        }
        actions={
          <>
            <AnchorLink to="/customers">All customers</AnchorLink>
            {canManage ? (
              <Button variant="default" onClick={() => setEditing(true)}>
                Edit
              </Button>
            ) : null}
          </>
        }
      />
      <CustomerFormModal
        key={c.updatedAt}
        opened={editing}
        customer={c}
        onClose={() => setEditing(false)}
      />
      <Stack>
        <Group justify="space-between" align="flex-end">
          <div>
            <Text fw={600} component="h2" size="lg">
              Access report
            </Text>
            <Text size="sm" c="dimmed">
              Every request for access to this customer&apos;s data: who, which system, when from
              and to, why, who approved it and how it ended.
            </Text>
          </div>
          <Group gap="sm">
            <Anchor href={`/api/v1/customers/${customerId}/access-report.csv`} download>
              Download CSV
            </Anchor>
            <Anchor href={`/api/v1/customers/${customerId}/access-report`} download>
              Download JSON
            </Anchor>
            {canSaveEvidence ? (
              <Button onClick={() => save.mutate()} loading={save.isPending}>
                Save as evidence
              </Button>
            ) : null}
          </Group>
        </Group>
        {report.isPending ? <LoadingBlock label="Loading the access report" /> : null}
        {report.isError ? (
          <QueryError
            error={report.error}
            title="Could not load the access report"
            onRetry={() => void report.refetch()}
          />
        ) : null}
        {report.isSuccess && report.data.items.length === 0 ? (
          <Alert color="gray">Nobody has asked for access to this customer&apos;s data.</Alert>
        ) : null}
        {report.isSuccess && report.data.items.length > 0 ? (
          <Table.ScrollContainer minWidth={900}>
            <Table striped verticalSpacing="sm" fz="sm" aria-label="Access report">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Who</Table.Th>
                  <Table.Th scope="col">System and level</Table.Th>
                  <Table.Th scope="col">Ticket and reason</Table.Th>
                  <Table.Th scope="col">Approval</Table.Th>
                  <Table.Th scope="col">From</Table.Th>
                  <Table.Th scope="col">To</Table.Th>
                  <Table.Th scope="col">Outcome</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.data.items.map((r) => (
                  <Table.Tr key={r.requestId}>
                    <Table.Td>
                      {r.requester}
                      <Text size="xs" c="dimmed">
                        {r.requesterEmail}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {r.system}
                      <Text size="xs" c="dimmed">
                        {r.level === 'write' ? 'Write' : 'Read'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {r.ticketRef}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {r.reason}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={r.approval === 'none' ? 'gray' : 'blue'}>
                        {approvalLabels[r.approval]}
                      </Badge>
                      {r.approvedBy ? <Text size="xs">{r.approvedBy}</Text> : null}
                    </Table.Td>
                    <Table.Td>
                      <DateTime value={r.from} empty="Not granted" />
                    </Table.Td>
                    <Table.Td>
                      {r.to ? (
                        <DateTime value={r.to} />
                      ) : r.from ? (
                        <Text size="sm">
                          Until <DateTime value={r.expiresAt} />
                        </Text>
                      ) : (
                        <Text span c="dimmed" size="sm">
                          —
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <RequestStatusBadge status={r.status} />
                      {r.endedBy ? <Text size="xs">by {r.endedBy}</Text> : null}
                      {r.endReason ? (
                        <Text size="xs" c="dimmed">
                          {r.endReason}
                        </Text>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : null}
      </Stack>
    </>
  );
}
