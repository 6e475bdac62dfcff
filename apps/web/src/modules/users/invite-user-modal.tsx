import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { createInvitationSchema, endpoints, invitationMinutes } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { FormModal } from '../../components/form-frame.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { NewUserFields } from './new-user-fields.tsx';
import { invitationsQuery, usersQuery } from './users-queries.ts';

type InviteValues = z.input<typeof createInvitationSchema>;

const emptyInvite: InviteValues = { name: '', email: '', role: 'employee' };

/** Invite a person by email; they choose their own password from the link. */
export function InviteUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
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

  return (
    <FormModal
      opened={opened}
      onClose={closeModal}
      title="Invite user"
      centered
      size="lg"
      onSubmit={submitInvite}
      error={formError}
      submitLabel="Send invitation"
      isPending={invite.isPending}
    >
      <NewUserFields
        form={form}
        opened={opened}
        emailDescription={`They get a link to choose their password; it expires in ${invitationMinutes} minutes (use Invite again to re-send).`}
      />
    </FormModal>
  );
}
