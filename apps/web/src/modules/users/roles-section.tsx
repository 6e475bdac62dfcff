import { Badge, Card, Group, SimpleGrid, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { formatRole } from '../../lib/format.ts';
import { rolesQuery } from './users-queries.ts';

/** Each built-in role, what it is for and the permissions it grants. */
export function RolesSection() {
  const roles = useQuery(rolesQuery);

  return (
    <section aria-labelledby="roles-heading">
      <Title order={2} id="roles-heading" mt="xl" mb="sm">
        Roles
      </Title>
      {roles.isPending ? <LoadingBlock label="Loading roles" /> : null}
      {roles.isError ? (
        <QueryError
          error={roles.error}
          title="Could not load roles"
          onRetry={() => void roles.refetch()}
        />
      ) : null}
      {roles.data ? (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          {roles.data.items.map((role) => (
            <Card key={role.role} withBorder radius="md" padding="md">
              <Title order={3} size="h5">
                {formatRole(role.role)}
              </Title>
              <Text size="sm" c="dimmed" mt={4} mb="sm">
                {role.description}
              </Text>
              {role.permissions.length === 0 ? (
                <Text size="sm">No administrative permissions</Text>
              ) : (
                <Group gap={6}>
                  {role.permissions.map((permission) => (
                    <Badge key={permission} variant="outline" tt="none">
                      {permission}
                    </Badge>
                  ))}
                </Group>
              )}
            </Card>
          ))}
        </SimpleGrid>
      ) : null}
    </section>
  );
}
