import { Button, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { roleSchema } from '@steward/contracts';
import type { Role, User } from '@steward/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { SubmitEvent } from 'react';
import { useMe } from '../../app/me-context.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { describeError } from '../../lib/form-errors.ts';
import { formatRole } from '../../lib/format.ts';
import { toRoleOptions } from '../../lib/role-options.ts';
import { rolesQuery } from './users-queries.ts';
import { useUpdateUser } from './use-update-user.ts';

/** Open a dialog to give a user another role. */
export function ChangeRoleButton({ user }: { user: User }) {
  const me = useMe();
  const [isOpen, { open, close }] = useDisclosure(false);
  const [role, setRole] = useState<Role>(user.role);
  const roles = useQuery({ ...rolesQuery, enabled: isOpen });
  const update = useUpdateUser(user.id, `${user.name} is now ${formatRole(role)}`);

  const openDialog = () => {
    setRole(user.role);
    update.reset();
    open();
  };
  const saveRole = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (role === user.role) {
      close();
      return;
    }
    update.mutate({ role }, { onSuccess: close });
  };

  const options = roles.data ? toRoleOptions(roles.data.items, me.permissions) : [];

  return (
    <>
      <Button
        size="xs"
        variant="default"
        onClick={openDialog}
        aria-describedby={`user-${user.id}-name`}
      >
        Change role
      </Button>
      <Modal opened={isOpen} onClose={close} title={`Change the role of ${user.name}`} centered>
        <form onSubmit={saveRole} noValidate>
          <Stack>
            <Text size="sm" c="dimmed">
              Current role: {formatRole(user.role)}
            </Text>
            <FormAlert message={update.isError ? describeError(update.error) : null} />
            <FormAlert message={roles.isError ? describeError(roles.error) : null} />
            <NativeSelect
              label="Role"
              data={options}
              value={role}
              disabled={!roles.data}
              onChange={(event) => {
                const picked = roleSchema.safeParse(event.currentTarget.value);
                if (picked.success) setRole(picked.data);
              }}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={update.isPending} disabled={!roles.data}>
                Save role
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
