import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { FormModal } from '../../components/form-frame.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';
import { ControlFormFields, toControlBody } from './control-form-fields.tsx';
import type { ControlFormValues } from './control-form-fields.tsx';

const emptyControl: ControlFormValues = {
  ref: '',
  title: '',
  description: '',
  ownerId: null,
  section: '',
  implementationStatus: 'planned',
};

interface CreateControlModalProps {
  opened: boolean;
  onClose: () => void;
}

/** Create a control, then open it to add its proofs. */
export function CreateControlModal({ opened, onClose }: CreateControlModalProps) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<ControlFormValues>({
    mode: 'uncontrolled',
    initialValues: emptyControl,
    validate: {
      ref: (value) => (value.trim() ? null : 'Enter a reference'),
      title: (value) => (value.trim() ? null : 'Enter a title'),
    },
  });

  const closeModal = () => {
    form.reset();
    setFormError(null);
    onClose();
  };

  const createControl = useMutation({
    mutationFn: (values: ControlFormValues) =>
      call(endpoints.createControl, { body: toControlBody(values) }),
    onSuccess: async (control) => {
      notifications.show({ color: 'green', message: `Control ${control.ref} created` });
      closeModal();
      await invalidateProgram(queryClient);
      await navigate({ to: '/controls/$controlId', params: { controlId: control.id } });
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });

  return (
    <FormModal
      opened={opened}
      onClose={closeModal}
      title="New control"
      centered
      size="lg"
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        createControl.mutate(values);
      })}
      error={formError}
      submitLabel="Create control"
      isPending={createControl.isPending}
    >
      <ControlFormFields form={form} />
    </FormModal>
  );
}
