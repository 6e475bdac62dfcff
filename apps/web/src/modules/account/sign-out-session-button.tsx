import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { endpoints, type Session } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { call } from '../../lib/api-client.ts';
import { endSession } from '../auth/auth-queries.ts';
import { sessionsQuery } from './account-queries.ts';

/** Sign out one session after confirmation; signing out the current one ends this visit. */
export function SignOutSessionButton({ session, label }: { session: Session; label: string }) {
  const queryClient = useQueryClient();
  const [isConfirmOpen, { open, close }] = useDisclosure(false);
  const revoke = useMutation({
    mutationFn: () => call(endpoints.revokeSession, { params: { id: session.id } }),
    onSuccess: async () => {
      close();
      if (session.isCurrent) {
        endSession(queryClient);
        return;
      }
      notifications.show({ color: 'green', message: `Signed out ${label}` });
      await queryClient.invalidateQueries({ queryKey: sessionsQuery.queryKey });
    },
  });
  return (
    <ConfirmButton
      label="Sign out"
      describedBy={`session-${session.id}-name`}
      opened={isConfirmOpen}
      onOpen={open}
      onClose={close}
      title={session.isCurrent ? 'Sign out of this browser?' : `Sign out ${label}?`}
      confirmLabel="Sign out"
      action={revoke}
      onConfirm={() => revoke.mutate()}
    >
      {session.isCurrent
        ? 'This is the browser you are using now; you will need to sign in again.'
        : 'Whoever uses that session will need to sign in again.'}
    </ConfirmButton>
  );
}
