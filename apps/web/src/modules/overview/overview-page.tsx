import { Badge, Card, Code, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMe } from '../../app/me-context.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { formatRole } from '../../lib/format.ts';
import { permissionLabels } from '../../lib/permission-labels.ts';
import { QuickLinks } from './quick-links.tsx';

/** Home: who you are, in which organisation, and what you may do. */
export function OverviewPage() {
  const me = useMe();
  const firstName = me.user.name.split(/\s+/)[0] ?? me.user.name;

  return (
    <>
      <PageHeader
        title="Overview"
        description={`Welcome, ${firstName}. This is your organisation's security program in Steward.`}
      />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Card withBorder radius="md" padding="lg">
          <Title order={2} size="h4" mb="sm">
            Organisation
          </Title>
          <Stack gap={4}>
            <Text fw={500}>{me.org.name}</Text>
            <Text size="sm" c="dimmed">
              Set up <DateTime value={me.org.createdAt} />
            </Text>
          </Stack>
        </Card>
        <Card withBorder radius="md" padding="lg">
          <Title order={2} size="h4" mb="sm">
            Your account
          </Title>
          <Stack gap={4}>
            <Text fw={500}>{me.user.name}</Text>
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {me.user.email}
            </Text>
            <Text size="sm">
              Role:{' '}
              <Badge variant="light" tt="none">
                {formatRole(me.user.role)}
              </Badge>
            </Text>
            <Text size="sm" c="dimmed">
              Last sign-in: <DateTime value={me.user.lastSignInAt} />
            </Text>
          </Stack>
        </Card>
      </SimpleGrid>

      <Card withBorder radius="md" padding="lg" mt="lg">
        <Title order={2} size="h4" mb="sm">
          Your permissions
        </Title>
        {me.permissions.length === 0 ? (
          <Text size="sm">
            Your role grants no administrative permissions. Your policies and training will appear
            here as they are assigned to you.
          </Text>
        ) : (
          <List spacing="xs">
            {me.permissions.map((permission) => (
              <List.Item key={permission}>
                <Text span size="sm">
                  {permissionLabels[permission]} <Code>{permission}</Code>
                </Text>
              </List.Item>
            ))}
          </List>
        )}
      </Card>

      <QuickLinks permissions={me.permissions} />

      {me.permissions.includes('users.manage') ? null : (
        <Text size="sm" c="dimmed" mt="lg">
          Need more access? Ask an owner or administrator of {me.org.name} to change your role.
        </Text>
      )}
    </>
  );
}
