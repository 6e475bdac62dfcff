import { Badge, Table, Text, Title } from '@mantine/core';
import type { Session } from '@steward/contracts';
import { useQuery } from '@tanstack/react-query';
import { DateTime } from '../../components/date-time.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { sessionsQuery } from './account-queries.ts';
import { SignOutSessionButton } from './sign-out-session-button.tsx';

const methodLabels: Record<string, string> = {
  password: 'Password',
  email_link: 'Email link',
};

function describeDevice(session: Session): string {
  const agent = session.userAgent ?? '';
  const browser = /Edg\//.test(agent)
    ? 'Edge'
    : /Firefox\//.test(agent)
      ? 'Firefox'
      : /Chrome\//.test(agent)
        ? 'Chrome'
        : /Safari\//.test(agent)
          ? 'Safari'
          : null;
  const system = /Windows/.test(agent)
    ? 'Windows'
    : /Mac OS X/.test(agent)
      ? 'macOS'
      : /Android/.test(agent)
        ? 'Android'
        : /iPhone|iPad/.test(agent)
          ? 'iOS'
          : /Linux/.test(agent)
            ? 'Linux'
            : null;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? (agent ? agent.slice(0, 60) : 'Unknown device');
}

/** The signed-in person's sessions, each with "Sign out". */
export function SessionsSection() {
  const sessions = useQuery(sessionsQuery);

  return (
    <section aria-labelledby="sessions-heading">
      <Title order={2} id="sessions-heading" mb={4}>
        Sessions
      </Title>
      <Text c="dimmed" size="sm" mb="sm">
        Browsers where you are signed in. Sign out any you do not recognise, then change your
        password.
      </Text>
      {sessions.isPending ? <LoadingBlock label="Loading sessions" /> : null}
      {sessions.isError ? (
        <QueryError
          error={sessions.error}
          title="Could not load your sessions"
          onRetry={() => void sessions.refetch()}
        />
      ) : null}
      {sessions.data ? (
        <Table.ScrollContainer minWidth={720}>
          <Table striped verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Device</Table.Th>
                <Table.Th scope="col">IP address</Table.Th>
                <Table.Th scope="col">Signed in</Table.Th>
                <Table.Th scope="col">Last active</Table.Th>
                <Table.Th scope="col">Method</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sessions.data.items.map((session) => {
                const device = describeDevice(session);
                return (
                  <Table.Tr key={session.id}>
                    <Table.Th scope="row" fw={500}>
                      <span id={`session-${session.id}-name`} title={session.userAgent ?? ''}>
                        {device}
                      </span>
                      {session.isCurrent ? (
                        <Badge variant="light" color="green" size="xs" ml={6} tt="none">
                          This browser
                        </Badge>
                      ) : null}
                    </Table.Th>
                    <Table.Td>{session.ip ?? '—'}</Table.Td>
                    <Table.Td>
                      <DateTime value={session.createdAt} />
                    </Table.Td>
                    <Table.Td>
                      <DateTime value={session.lastSeenAt} />
                    </Table.Td>
                    <Table.Td>{methodLabels[session.authMethod] ?? session.authMethod}</Table.Td>
                    <Table.Td>
                      <SignOutSessionButton session={session} label={device} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </section>
  );
}
