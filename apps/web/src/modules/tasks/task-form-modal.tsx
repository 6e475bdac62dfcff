import { Modal, NumberInput, Select, SimpleGrid, Switch, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import type { Task } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormFrame } from '../../components/form-frame.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { addDaysToDay, todayUtcDay } from '../../lib/format.ts';
import { useControlOptions, useOwnerOptions } from '../controls/program-options.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';

interface TaskFormValues {
  controlId: string | null;
  title: string;
  description: string;
  ownerId: string | null;
  cadenceMonths: number | string;
  graceDays: number | string;
  nextDueOn: string;
  isActive: boolean;
}

function initialValues(task: Task | undefined, controlId: string | undefined): TaskFormValues {
  return {
    controlId: task?.control.id ?? controlId ?? null,
    title: task?.title ?? '',
    description: task?.description ?? '',
    ownerId: task?.owner?.id ?? null,
    cadenceMonths: task?.cadenceMonths ?? 12,
    graceDays: task?.graceDays ?? 14,
    nextDueOn: task?.nextDueOn ?? addDaysToDay(todayUtcDay(), 30),
    isActive: task?.isActive ?? true,
  };
}

function TaskForm({
  task,
  controlId,
  onDone,
}: {
  task?: Task;
  controlId?: string;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const controls = useControlOptions();
  const owners = useOwnerOptions();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<TaskFormValues>({
    initialValues: initialValues(task, controlId),
    validate: {
      controlId: (value) => (value ? null : 'Pick the control this task proves'),
      title: (value) => (value.trim() ? null : 'Enter a title'),
      cadenceMonths: (value) =>
        Number.isInteger(Number(value)) && Number(value) >= 1 && Number(value) <= 60
          ? null
          : 'Enter a whole number of months from 1 to 60',
      graceDays: (value) =>
        Number.isInteger(Number(value)) && Number(value) >= 0 && Number(value) <= 365
          ? null
          : 'Enter a whole number of days from 0 to 365',
      nextDueOn: (value) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? null : 'Pick a day'),
    },
  });

  const save = useMutation({
    mutationFn: (values: TaskFormValues) => {
      const common = {
        title: values.title.trim(),
        description: values.description,
        ownerId: values.ownerId,
        cadenceMonths: Number(values.cadenceMonths),
        graceDays: Number(values.graceDays),
        nextDueOn: values.nextDueOn,
      };
      return task
        ? call(endpoints.updateTask, {
            params: { id: task.id },
            body: { ...common, isActive: values.isActive },
          })
        : call(endpoints.createTask, { body: { ...common, controlId: values.controlId ?? '' } });
    },
    onSuccess: async (saved) => {
      notifications.show({
        color: 'green',
        message: task ? `“${saved.title}” saved` : `Task “${saved.title}” created`,
      });
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
      submitLabel={task ? 'Save task' : 'Create task'}
      isPending={save.isPending}
    >
      <Select
        label="Control"
        description="The control this task's evidence proves"
        data={controls.options}
        searchable
        disabled={task !== undefined}
        nothingFoundMessage="No control matches"
        {...form.getInputProps('controlId')}
      />
      <TextInput label="Title" required {...form.getInputProps('title')} />
      <Textarea
        label="What to provide"
        autosize
        minRows={2}
        maxRows={8}
        {...form.getInputProps('description')}
      />
      <Select
        label="Owner"
        data={owners.options}
        searchable
        clearable
        disabled={!owners.canList}
        placeholder="The control's owner"
        {...form.getInputProps('ownerId')}
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <NumberInput
          label="Every (months)"
          min={1}
          max={60}
          allowDecimal={false}
          {...form.getInputProps('cadenceMonths')}
        />
        <NumberInput
          label="Grace (days)"
          min={0}
          max={365}
          allowDecimal={false}
          {...form.getInputProps('graceDays')}
        />
        <TextInput label="Next due" type="date" {...form.getInputProps('nextDueOn')} />
      </SimpleGrid>
      {task ? (
        <Switch
          label="Active (inactive tasks no longer prove the control)"
          {...form.getInputProps('isActive', { type: 'checkbox' })}
        />
      ) : null}
    </FormFrame>
  );
}

interface TaskFormModalProps {
  opened: boolean;
  onClose: () => void;
  /** The task to edit; without it a new task is created. */
  task?: Task;
  /** The control a new task starts on. */
  controlId?: string;
}

/** Create or edit a recurring evidence task. */
export function TaskFormModal({ opened, onClose, task, controlId }: TaskFormModalProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={task ? `Edit “${task.title}”` : 'New evidence task'}
      centered
      size="lg"
    >
      {opened ? <TaskForm task={task} controlId={controlId} onDone={onClose} /> : null}
    </Modal>
  );
}
