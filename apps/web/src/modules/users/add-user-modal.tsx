import { Button, Group, Modal, NativeSelect, PasswordInput, Stack, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { createUserSchema, endpoints, passwordLimits } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { useMe } from '../../app/me-context.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm, describeError } from '../../lib/form-errors.ts';
import { toRoleOptions } from '../../lib/role-options.ts';
import { rolesQuery, usersQuery } from './users-queries.ts';

type NewUserValues = z.input<typeof createUserSchema>;

const emptyUser: NewUserValues = { name: '', email: '', role: 'employee', password: '' };

interface AddUserModalProps {
  opened: boolean;
  onClose: () => void;
}

/** Create a user with a role and an initial password they will use to sign in. */
export function AddUserModal({ opened, onClose }: AddUserModalProps) {
  const me = useMe();
  const queryClient = useQueryClient();
  const roles = useQuery({ ...rolesQuery, enabled: opened });
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<NewUserValues>({
    mode: 'uncontrolled',
    initialValues: emptyUser,
    validate: schemaResolver(createUserSchema, { sync: true }),
  });

  const closeModal = () => {
    form.reset();
    setFormError(null);
    onClose();
  };

  const createUser = useMutation({
    mutationFn: (body: NewUserValues) => call(endpoints.createUser, { body }),
    onSuccess: async (user) => {
      notifications.show({ color: 'green', message: `${user.name} can now sign in` });
      closeModal();
      await queryClient.invalidateQueries({ queryKey: usersQuery.queryKey });
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });

  const submitUser = form.onSubmit((values) => {
    setFormError(null);
    createUser.mutate(values);
  });

  const roleOptions = roles.data ? toRoleOptions(roles.data.items, me.permissions) : [];

  return (
    <Modal opened={opened} onClose={closeModal} title="Add user" centered size="lg">
      <form onSubmit={submitUser} noValidate>
        <Stack>
          <FormAlert message={formError} />
          <FormAlert message={roles.isError ? describeError(roles.error) : null} />
          <TextInput
            label="Name"
            autoComplete="off"
            required
            key={form.key('name')}
            {...form.getInputProps('name')}
          />
          <TextInput
            label="Email"
            type="email"
            autoComplete="off"
            required
            key={form.key('email')}
            {...form.getInputProps('email')}
          />
          <NativeSelect
            label="Role"
            description="What this person may see and do. You cannot grant more than you hold."
            data={roleOptions}
            disabled={!roles.data}
            required
            key={form.key('role')}
            {...form.getInputProps('role')}
          />
          <PasswordInput
            label="Initial password"
            description={`At least ${passwordLimits.min} characters. Share it with the person through a secure channel.`}
            autoComplete="new-password"
            required
            key={form.key('password')}
            {...form.getInputProps('password')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={closeModal}>
              Cancel
            </Button>
            <Button type="submit" loading={createUser.isPending}>
              Create user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
