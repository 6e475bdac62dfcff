import { Avatar, Badge, Button, Group, Popover, Stack, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, isApiErrorCode } from '../lib/api-client.ts';
import { describeError } from '../lib/form-errors.ts';
import { formatRole } from '../lib/format.ts';
import { endSession } from '../modules/auth/auth-queries.ts';
import { useMe } from './me-context.tsx';

function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).slice(0, 2);
  return parts.map((part) => part.charAt(0).toUpperCase()).join('');
}

/** The signed-in person's name and email, opening a panel with "Sign out". */
export function UserMenu() {
  const me = useMe();
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: () => call(endpoints.signOut),
    onSuccess: () => endSession(queryClient),
    onError: (error) => {
      // An expired session is already ended by the query client; anything else means the
      // server still holds the session, so the person must not be told they are signed out.
      if (isApiErrorCode(error, 'auth.unauthenticated')) return;
      notifications.show({ color: 'red', title: 'Sign-out failed', message: describeError(error) });
    },
  });

  return (
    <Popover position="bottom-end" shadow="md" width={280} trapFocus returnFocus>
      <Popover.Target>
        <UnstyledButton aria-label={`Account: ${me.user.name}, ${me.user.email}`}>
          <Group gap="xs" wrap="nowrap">
            <Avatar radius="xl" size="sm" color="blue">
              {initialsOf(me.user.name)}
            </Avatar>
            <Stack gap={0} visibleFrom="sm" miw={0}>
              <Text size="sm" fw={500} truncate maw={200}>
                {me.user.name}
              </Text>
              <Text size="xs" c="dimmed" truncate maw={200}>
                {me.user.email}
              </Text>
            </Stack>
          </Group>
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm">
          <Stack gap={2}>
            <Text fw={500}>{me.user.name}</Text>
            <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {me.user.email}
            </Text>
            <Text size="sm">{me.org.name}</Text>
          </Stack>
          <Badge variant="light" w="fit-content" tt="none">
            {formatRole(me.user.role)}
          </Badge>
          <Button
            variant="light"
            color="red"
            onClick={() => signOut.mutate()}
            loading={signOut.isPending}
          >
            Sign out
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
