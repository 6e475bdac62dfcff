import { Button, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { createInvitationSchema, endpoints, invitationMinutes } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { useMe } from '../../app/me-context.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm, describeError } from '../../lib/form-errors.ts';
import { toRoleOptions } from '../../lib/role-options.ts';
import { invitationsQuery, rolesQuery, usersQuery } from './users-queries.ts';

type InviteValues = z.input<typeof createInvitationSchema>;

const emptyInvite: InviteValues = { name: '', email: '', role: 'employee' };

/** Invite a person by email; they choose their own password from the link. */
export function InviteUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const roles = useQuery({ ...rolesQuery, enabled: opened });
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<InviteValues>({
    mode: 'uncontrolled',
    initialValues: emptyInvite,
    validate: schemaResolver(createInvitationSchema, { sync: true }),
  });

  const closeModal = () => {
    form.reset();
    setFormError(null);
    onClose();
  };

  const invite = useMutation({
    mutationFn: (body: InviteValues) => call(endpoints.createInvitation, { body }),
    onSuccess: async (invitation) => {
      notifications.show({ color: 'green', message: `Invitation sent to ${invitation.email}` });
      closeModal();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: invitationsQuery.queryKey }),
        queryClient.invalidateQueries({ queryKey: usersQuery.queryKey }),
      ]);
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });

  const submitInvite = form.onSubmit((values) => {
    setFormError(null);
    invite.mutate(values);
  });

  const roleOptions = roles.data ? toRoleOptions(roles.data.items, me.permissions) : [];

  return (
    <Modal opened={opened} onClose={closeModal} title="Invite user" centered size="lg">
      <form onSubmit={submitInvite} noValidate>
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
            description={`They get a link to choose their password; it expires in ${invitationMinutes} minutes (use Invite again to re-send).`}
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
          <Group justify="flex-end">
            <Button variant="default" onClick={closeModal}>
              Cancel
            </Button>
            <Button type="submit" loading={invite.isPending}>
              Send invitation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
