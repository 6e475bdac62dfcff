import { Anchor, Card, SimpleGrid, Text, Title } from '@mantine/core';
import type { Permission } from '@steward/contracts';
import { Link } from '@tanstack/react-router';

interface QuickLink {
  to: '/settings/users' | '/settings/tokens' | '/audit';
  title: string;
  text: string;
  permission: Permission;
}

const quickLinks: readonly QuickLink[] = [
  {
    to: '/settings/users',
    title: 'See who can sign in',
    text: 'People, their roles and what each role allows.',
    permission: 'users.read',
  },
  {
    to: '/settings/tokens',
    title: 'Connect a script or pipeline',
    text: 'Create a token that calls Steward on your behalf.',
    permission: 'tokens.create',
  },
  {
    to: '/audit',
    title: 'Review recorded activity',
    text: 'Every change and sign-in, tamper-evident and searchable.',
    permission: 'audit.read',
  },
];

/** Shortcuts to the sections the person may open. */
export function QuickLinks({ permissions }: { permissions: readonly Permission[] }) {
  const visibleLinks = quickLinks.filter((link) => permissions.includes(link.permission));
  if (visibleLinks.length === 0) return null;
  return (
    <section aria-labelledby="quick-links-heading">
      <Title order={2} size="h4" mt="xl" mb="sm" id="quick-links-heading">
        Where to next
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        {visibleLinks.map((link) => (
          <Card key={link.to} withBorder radius="md" padding="md">
            <Anchor component={Link} to={link.to} fw={500}>
              {link.title}
            </Anchor>
            <Text size="sm" c="dimmed" mt={4}>
              {link.text}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </section>
  );
}
