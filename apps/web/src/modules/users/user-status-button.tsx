import { Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { User } from '@steward/contracts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { useUpdateUser } from './use-update-user.ts';

/** Disable (after confirmation) or re-enable a user's account. */
export function UserStatusButton({ user }: { user: User }) {
  const [isConfirmOpen, { open, close }] = useDisclosure(false);
  const isActive = user.status === 'active';
  const update = useUpdateUser(
    user.id,
    isActive ? `${user.name} is disabled` : `${user.name} is enabled`,
  );

  const disableUser = () => update.mutate({ status: 'disabled' }, { onSuccess: close });

  if (!isActive) {
    return (
      <Button
        size="xs"
        variant="light"
        onClick={() => update.mutate({ status: 'active' })}
        loading={update.isPending}
        aria-describedby={`user-${user.id}-name`}
      >
        Enable
      </Button>
    );
  }

  return (
    <ConfirmButton
      label="Disable"
      describedBy={`user-${user.id}-name`}
      opened={isConfirmOpen}
      onOpen={open}
      onClose={close}
      title={`Disable ${user.name}?`}
      confirmLabel="Disable user"
      action={update}
      onConfirm={disableUser}
    >
      {user.name} will no longer be able to sign in, and their API tokens stop working. You can
      enable the account again later.
    </ConfirmButton>
  );
}
