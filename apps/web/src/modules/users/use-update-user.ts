import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import type { updateUserSchema } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { call } from '../../lib/api-client.ts';
import { meQuery } from '../auth/auth-queries.ts';
import { usersQuery } from './users-queries.ts';

type UserChanges = z.input<typeof updateUserSchema>;

/** Change a user's role or status, then refresh the list and the caller's own permissions. */
export function useUpdateUser(userId: string, successMessage: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: UserChanges) =>
      call(endpoints.updateUser, { params: { id: userId }, body: changes }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: successMessage });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: usersQuery.queryKey }),
        queryClient.invalidateQueries({ queryKey: meQuery.queryKey }),
      ]);
    },
  });
}
