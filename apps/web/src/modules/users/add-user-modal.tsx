import { PasswordInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { createUserSchema, endpoints, passwordLimits } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { FormModal } from '../../components/form-frame.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { NewUserFields } from './new-user-fields.tsx';
import { usersQuery } from './users-queries.ts';

type NewUserValues = z.input<typeof createUserSchema>;

const emptyUser: NewUserValues = { name: '', email: '', role: 'employee', password: '' };

interface AddUserModalProps {
  opened: boolean;
  onClose: () => void;
}

/** Create a user with a role and an initial password they will use to sign in. */
export function AddUserModal({ opened, onClose }: AddUserModalProps) {
  const queryClient = useQueryClient();
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

  return (
    <FormModal
      opened={opened}
      onClose={closeModal}
      title="Add user"
      centered
      size="lg"
      onSubmit={submitUser}
      error={formError}
      submitLabel="Create user"
      isPending={createUser.isPending}
    >
      <NewUserFields form={form} opened={opened} />
      <PasswordInput
        label="Initial password"
        description={`At least ${passwordLimits.min} characters. Share it with the person through a secure channel.`}
        autoComplete="new-password"
        required
        key={form.key('password')}
        {...form.getInputProps('password')}
      />
    </FormModal>
  );
}
