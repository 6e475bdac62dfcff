import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import type { ApiToken } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { call } from '../../lib/api-client.ts';
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

  return (
    <ConfirmButton
      label="Revoke"
      describedBy={`token-${token.id}-name`}
      opened={isConfirmOpen}
      onOpen={open}
      onClose={close}
      title={`Revoke ${token.name}?`}
      confirmLabel="Revoke token"
      action={revoke}
      onConfirm={() => revoke.mutate()}
    >
      Anything using the token starting with {token.prefix} will be refused from now on. This cannot
      be undone.
    </ConfirmButton>
  );
}
