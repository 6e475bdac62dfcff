import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints, type User } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { userSecurityQuery } from './users-queries.ts';

/** Lift a user's sign-in lock and clear their failed attempts (needs `users.manage`). */
export function UnlockUserButton({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const unlock = useMutation({
    mutationFn: () => call(endpoints.unlockUser, { params: { id: user.id } }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: `${user.name} is unlocked` });
      await queryClient.invalidateQueries({ queryKey: userSecurityQuery.queryKey });
    },
    onError: (error) => {
      notifications.show({ color: 'red', message: describeError(error) });
    },
  });

  return (
    <Button
      size="xs"
      variant="light"
      color="orange"
      onClick={() => unlock.mutate()}
      loading={unlock.isPending}
      aria-describedby={`user-${user.id}-name`}
    >
      Unlock
    </Button>
  );
}
