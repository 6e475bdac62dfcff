import { Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { endpoints, type Session } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
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
  const closeConfirm = () => {
    revoke.reset();
    close();
  };

  return (
    <>
      <Button
        size="xs"
        variant="light"
        color="red"
        onClick={open}
        aria-describedby={`session-${session.id}-name`}
      >
        Sign out
      </Button>
      <ConfirmModal
        opened={isConfirmOpen}
        title={session.isCurrent ? 'Sign out of this browser?' : `Sign out ${label}?`}
        confirmLabel="Sign out"
        isPending={revoke.isPending}
        error={revoke.isError ? describeError(revoke.error) : null}
        onConfirm={() => revoke.mutate()}
        onClose={closeConfirm}
      >
        {session.isCurrent
          ? 'This is the browser you are using now; you will need to sign in again.'
          : 'Whoever uses that session will need to sign in again.'}
      </ConfirmModal>
    </>
  );
}
