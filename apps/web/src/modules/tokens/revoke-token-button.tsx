import { Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import type { ApiToken } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { tokensQuery } from './tokens-queries.ts';

/** Revoke a token after confirmation; anything using it stops working at once. */
export function RevokeTokenButton({ token }: { token: ApiToken }) {
  const queryClient = useQueryClient();
  const [isConfirmOpen, { open, close }] = useDisclosure(false);
  const revoke = useMutation({
    mutationFn: () => call(endpoints.revokeToken, { params: { id: token.id } }),
    onSuccess: async () => {
      close();
      notifications.show({ color: 'green', message: `Token ${token.name} is revoked` });
      await queryClient.invalidateQueries({ queryKey: tokensQuery.queryKey });
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
        aria-describedby={`token-${token.id}-name`}
      >
        Revoke
      </Button>
      <ConfirmModal
        opened={isConfirmOpen}
        title={`Revoke ${token.name}?`}
        confirmLabel="Revoke token"
        isPending={revoke.isPending}
        error={revoke.isError ? describeError(revoke.error) : null}
        onConfirm={() => revoke.mutate()}
        onClose={closeConfirm}
      >
        Anything using the token starting with {token.prefix} will be refused from now on. This
        cannot be undone.
      </ConfirmModal>
    </>
  );
}
