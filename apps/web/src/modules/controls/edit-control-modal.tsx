import { Modal, Switch } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import type { Control } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormFrame } from '../../components/form-frame.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';
import { ControlFormFields, toControlBody } from './control-form-fields.tsx';
import type { ControlFormValues } from './control-form-fields.tsx';

function EditControlForm({ control, onDone }: { control: Control; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const [isArchived, setIsArchived] = useState(control.archived);
  const form = useForm<ControlFormValues>({
    mode: 'uncontrolled',
    initialValues: {
      ref: control.ref,
      title: control.title,
      description: control.description,
      ownerId: control.owner?.id ?? null,
      section: control.section === null ? '' : String(control.section),
      implementationStatus: control.implementationStatus,
    },
    validate: {
      ref: (value) => (value.trim() ? null : 'Enter a reference'),
      title: (value) => (value.trim() ? null : 'Enter a title'),
    },
  });
  const save = useMutation({
    mutationFn: (values: ControlFormValues) =>
      call(endpoints.updateControl, {
        params: { id: control.id },
        body: { ...toControlBody(values), archived: isArchived },
      }),
    onSuccess: async (saved) => {
      notifications.show({ color: 'green', message: `Control ${saved.ref} saved` });
      await invalidateProgram(queryClient);
      onDone();
    },
    onError: (error) => setFormError(applyErrorToForm(form, error)),
  });
  return (
    <FormFrame
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        save.mutate(values);
      })}
      error={formError}
      onCancel={onDone}
      submitLabel="Save control"
      isPending={save.isPending}
    >
      <ControlFormFields form={form} />
      <Switch
        label="Archived (left out of readiness and lists)"
        checked={isArchived}
        onChange={(event) => setIsArchived(event.currentTarget.checked)}
      />
    </FormFrame>
  );
}

interface EditControlModalProps {
  control: Control;
  opened: boolean;
  onClose: () => void;
}

/** Change a control's reference, title, description, owner, section or implementation. */
export function EditControlModal({ control, opened, onClose }: EditControlModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Edit ${control.ref}`} centered size="lg">
      {opened ? <EditControlForm control={control} onDone={onClose} /> : null}
    </Modal>
  );
}
