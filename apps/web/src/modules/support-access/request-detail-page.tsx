import { Alert, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { DateTime } from '../../components/date-time.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { RequestStatusBadge } from './support-access-page.tsx';
import { formatMinutes, requestQuery } from './support-access-queries.ts';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

/** One support access request: its decision, grant, end, and every webhook delivery. */
export function RequestDetailPage({ requestId }: { requestId: string }) {
  return (
    <RequirePermission permission="systems.read" title="Support access request">
      <RequestDetail requestId={requestId} />
    </RequirePermission>
  );
}

function RequestDetail({ requestId }: { requestId: string }) {
  const request = useQuery({ ...requestQuery(requestId), refetchInterval: 15_000 });
  if (request.isPending) return <LoadingBlock label="Loading the request" />;
  if (request.isError) {
    return (
      <QueryError
        error={request.error}
        title="Could not load the request"
        onRetry={() => void request.refetch()}
      />
    );
  }
  const r = request.data;
  return (
    <>
      <PageHeader
        title={`Support access ${r.ticketRef}`}
        description={r.reason}
        actions={<AnchorLink to="/support-access">All requests</AnchorLink>}
      />
      <Stack>
        {r.grantError ? (
          <Alert color="red" title="The system did not grant the access">
            {r.grantError}
          </Alert>
        ) : null}
        {r.revokeError ? (
          <Alert color="red" title="Not yet removed from the system">
            {r.revokeError} Steward retries every minute.
          </Alert>
        ) : null}
        <Card withBorder>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            <Fact label="Status">
              <RequestStatusBadge status={r.status} />
            </Fact>
            <Fact label="Requester">
              {r.requester.name} ({r.requester.email})
            </Fact>
            <Fact label="Customer">
              <AnchorLink to="/customers/$customerId" params={{ customerId: r.customer.id }}>
                {r.customer.name}
              </AnchorLink>
            </Fact>
            <Fact label="System">
              {r.system.name}{' '}
              <Badge size="xs" variant="light">
                {r.mechanism === 'postgresql' ? 'PostgreSQL role' : 'Webhook'}
              </Badge>
            </Fact>
            <Fact label="Level and duration">
              {r.level === 'write' ? 'Write' : 'Read'}, {formatMinutes(r.durationMinutes)}
            </Fact>
            <Fact label="Requested">
              <DateTime value={r.createdAt} />
            </Fact>
            <Fact label={r.status === 'denied' ? 'Denied by' : 'Approved by'}>
              {r.decidedBy ?? 'Nobody yet'}
              {r.decidedAt ? (
                <Text size="xs" c="dimmed">
                  <DateTime value={r.decidedAt} />
                </Text>
              ) : null}
              {r.decisionReason ? <Text size="xs">{r.decisionReason}</Text> : null}
            </Fact>
            <Fact label="Access">
              {r.grantedAt ? (
                <>
                  From <DateTime value={r.grantedAt} /> to{' '}
                  <DateTime value={r.endedAt ?? r.expiresAt} />
                </>
              ) : (
                'Not granted'
              )}
              {r.grantUsername ? (
                <Text size="xs" c="dimmed">
                  Login role {r.grantUsername}
                </Text>
              ) : null}
            </Fact>
            <Fact label="Ended">
              {r.endedAt ? (
                <>
                  <DateTime value={r.endedAt} /> by {r.endedBy ?? 'Steward'}
                  {r.endReason ? <Text size="xs">{r.endReason}</Text> : null}
                  {r.revokedOnSystemAt ? (
                    <Text size="xs" c="dimmed">
                      Removed from the system <DateTime value={r.revokedOnSystemAt} />
                    </Text>
                  ) : null}
                </>
              ) : (
                'Not yet'
              )}
            </Fact>
          </SimpleGrid>
        </Card>
        {r.mechanism === 'webhook' ? (
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              Webhook deliveries
            </Title>
            {r.deliveries.length === 0 ? (
              <Text c="dimmed">No delivery yet.</Text>
            ) : (
              <Table.ScrollContainer minWidth={600}>
                <Table verticalSpacing="xs" fz="sm" aria-label="Webhook deliveries">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Event</Table.Th>
                      <Table.Th scope="col">Attempt</Table.Th>
                      <Table.Th scope="col">When</Table.Th>
                      <Table.Th scope="col">Answer</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {r.deliveries.map((d) => (
                      <Table.Tr key={d.id}>
                        <Table.Td>{d.event === 'grant' ? 'Grant' : 'Revoke'}</Table.Td>
                        <Table.Td>{String(d.attempt)}</Table.Td>
                        <Table.Td>
                          <DateTime value={d.attemptedAt} precise />
                        </Table.Td>
                        <Table.Td>
                          <Group gap="xs">
                            <Badge color={d.acknowledged ? 'green' : 'red'} variant="light">
                              {d.acknowledged ? 'Acknowledged' : 'Not acknowledged'}
                            </Badge>
                            {d.statusCode !== null ? (
                              <Text size="xs">HTTP {d.statusCode}</Text>
                            ) : null}
                          </Group>
                          {d.error ? (
                            <Text size="xs" c="red">
                              {d.error}
                            </Text>
                          ) : null}
                          {d.response ? (
                            <Text size="xs" c="dimmed" lineClamp={2}>
                              {d.response}
                            </Text>
                          ) : null}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Card>
        ) : null}
      </Stack>
    </>
  );
}
