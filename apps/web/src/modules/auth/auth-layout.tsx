import { Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { usePageTitle } from '../../components/use-page-title.ts';
import { BrandMark } from '../../components/brand-mark.tsx';

interface AuthLayoutProps {
  title: string;
  description: ReactNode;
  children: ReactNode;
}

/** The centred card used by the pages shown before anyone is signed in. */
export function AuthLayout({ title, description, children }: AuthLayoutProps) {
  usePageTitle(title);
  return (
    <Container component="main" size={460} py={{ base: 'lg', sm: 64 }} px="md">
      <Stack gap="lg">
        <Group gap="xs" justify="center">
          <BrandMark />
        </Group>
        <Paper withBorder shadow="sm" radius="md" p={{ base: 'md', sm: 'xl' }}>
          <Stack gap="xs" mb="lg">
            <Title order={1} size="h2">
              {title}
            </Title>
            <Text c="dimmed" size="sm">
              {description}
            </Text>
          </Stack>
          {children}
        </Paper>
      </Stack>
    </Container>
  );
}
