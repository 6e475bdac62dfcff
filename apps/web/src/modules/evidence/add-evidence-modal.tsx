import {
  Modal,
  MultiSelect,
  SegmentedControl,
  Select,
  SimpleGrid,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import type { Evidence } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FileField } from '../../components/file-field.tsx';
import { FormFrame } from '../../components/form-frame.tsx';
import { ApiError, callMultipart } from '../../lib/api-client.ts';
import { applyErrorToForm, describeError } from '../../lib/form-errors.ts';
import { toIsoInstant } from '../../lib/format.ts';
import { useControlOptions } from '../controls/program-options.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';
import { tasksQuery } from '../tasks/tasks-queries.ts';

/** What the upload form starts with: the controls, task or earlier version it is for. */
export interface EvidencePreset {
  controlIds?: readonly string[];
  taskId?: string;
  /** Add a new version of this item (its title and controls are carried over). */
  replaces?: Evidence;
}

interface EvidenceFormValues {
  kind: 'file' | 'link';
  url: string;
  title: string;
  description: string;
  controlIds: string[];
  taskId: string | null;
  collectedAt: string;
  effectiveFrom: string;
  effectiveTo: string;
}

function initialValues(preset: EvidencePreset): EvidenceFormValues {
  const replaced = preset.replaces;
  return {
    kind: replaced?.kind === 'link' ? 'link' : 'file',
    url: replaced?.url ?? '',
    title: replaced?.title ?? '',
    description: replaced?.description ?? '',
    controlIds: [...(preset.controlIds ?? replaced?.controls.map((c) => c.id) ?? [])],
    taskId: preset.taskId ?? replaced?.taskId ?? null,
    collectedAt: '',
    effectiveFrom: '',
    effectiveTo: '',
  };
}

function titleFromFileName(name: string): string {
  return name
    .replace(/\.[A-Za-z0-9]{1,8}$/, '')
    .replace(/[_-]+/g, ' ')
    .trim();
}

interface AddEvidenceFormProps {
  preset: EvidencePreset;
  onCancel: () => void;
  onAdded: (evidence: Evidence) => void;
}

/** The upload form: a file or a link, what it proves, and the period it covers. */
export function AddEvidenceForm({ preset, onCancel, onAdded }: AddEvidenceFormProps) {
  const queryClient = useQueryClient();
  const controls = useControlOptions();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<EvidenceFormValues>({
    initialValues: initialValues(preset),
    validate: {
      title: (value) => (value.trim() ? null : 'Enter a title'),
      url: (value, values) =>
        values.kind === 'link' && !/^https?:\/\/\S+$/i.test(value.trim())
          ? 'Enter an http(s) link'
          : null,
      effectiveTo: (value, values) =>
        value && values.effectiveFrom && value < values.effectiveFrom
          ? 'The effective period must end on or after its start'
          : null,
    },
  });
  const tasks = useQuery(tasksQuery());
  const taskOptions = (tasks.data?.items ?? [])
    .filter(
      (task) => task.id === form.values.taskId || form.values.controlIds.includes(task.control.id),
    )
    .map((task) => ({ value: task.id, label: `${task.title} (${task.control.ref})` }));

  const addEvidence = useMutation({
    mutationFn: (values: EvidenceFormValues) =>
      callMultipart(endpoints.addEvidence, {
        fields: {
          title: values.title.trim(),
          description: values.description,
          url: values.kind === 'link' ? values.url.trim() : undefined,
          controlIds: values.controlIds,
          taskId: values.taskId ?? undefined,
          replaces: preset.replaces?.id,
          collectedAt: toIsoInstant(values.collectedAt),
          effectiveFrom: values.effectiveFrom || undefined,
          effectiveTo: values.effectiveTo || undefined,
        },
        files: { file: values.kind === 'file' ? file : null },
      }),
    onSuccess: async (evidence) => {
      notifications.show({ color: 'green', message: `Evidence "${evidence.title}" added` });
      await invalidateProgram(queryClient);
      onAdded(evidence);
    },
    onError: (error) => {
      if (
        error instanceof ApiError &&
        (error.code === 'evidence.too_large' || error.status === 413)
      ) {
        setFileError(describeError(error));
        setFormError(null);
        return;
      }
      const fileProblem =
        error instanceof ApiError ? error.fieldErrors.find((e) => e.path === 'file') : undefined;
      setFileError(fileProblem?.message ?? null);
      const rest =
        error instanceof ApiError && fileProblem
          ? new ApiError({
              status: error.status,
              code: error.code,
              title: error.title,
              detail: error.detail,
              fieldErrors: error.fieldErrors.filter((e) => e.path !== 'file'),
            })
          : error;
      const message = applyErrorToForm(form, rest);
      setFormError(fileProblem && message === describeError(rest) ? null : message);
    },
  });

  const submit = form.onSubmit((values) => {
    setFormError(null);
    if (values.kind === 'file' && !file) {
      setFileError('Choose a file to upload');
      return;
    }
    setFileError(null);
    addEvidence.mutate(values);
  });

  return (
    <FormFrame
      onSubmit={submit}
      error={formError}
      onCancel={onCancel}
      submitLabel={preset.replaces ? 'Add new version' : 'Add evidence'}
      isPending={addEvidence.isPending}
    >
      {preset.replaces ? (
        <Text size="sm" c="dimmed">
          This becomes version {preset.replaces.version + 1} of “{preset.replaces.title}”. Earlier
          versions stay readable.
        </Text>
      ) : null}
      <SegmentedControl
        aria-label="Kind of evidence"
        data={[
          { value: 'file', label: 'Upload a file' },
          { value: 'link', label: 'Give a link' },
        ]}
        {...form.getInputProps('kind')}
      />
      {form.values.kind === 'file' ? (
        <FileField
          label="File"
          description="Stored once by its SHA-256; the size limit is set by your administrator."
          error={fileError}
          onChange={(chosen) => {
            setFile(chosen);
            setFileError(null);
            if (chosen && !form.values.title.trim()) {
              form.setFieldValue('title', titleFromFileName(chosen.name));
            }
          }}
        />
      ) : (
        <TextInput
          label="URL"
          type="url"
          placeholder="https://"
          description="Where the evidence lives, e.g. a ticket or a report"
          {...form.getInputProps('url')}
        />
      )}
      <TextInput label="Title" required {...form.getInputProps('title')} />
      <Textarea
        label="Description"
        autosize
        minRows={2}
        maxRows={6}
        {...form.getInputProps('description')}
      />
      <MultiSelect
        label="Controls it proves"
        data={controls.options}
        searchable
        clearable
        hidePickedOptions
        nothingFoundMessage="No control matches"
        placeholder={form.values.controlIds.length === 0 ? 'Pick controls' : undefined}
        {...form.getInputProps('controlIds')}
      />
      <Select
        label="Task it answers"
        description="Evidence for a task that covers today completes the task."
        data={taskOptions}
        clearable
        placeholder={taskOptions.length === 0 ? 'No tasks on these controls' : 'None'}
        disabled={taskOptions.length === 0}
        {...form.getInputProps('taskId')}
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput
          label="Collected at"
          type="datetime-local"
          description="Default: now"
          {...form.getInputProps('collectedAt')}
        />
        <TextInput
          label="Effective from"
          type="date"
          description="Default: the collection day"
          {...form.getInputProps('effectiveFrom')}
        />
        <TextInput
          label="Effective to"
          type="date"
          description="Default: one cadence after the start"
          {...form.getInputProps('effectiveTo')}
        />
      </SimpleGrid>
    </FormFrame>
  );
}

interface AddEvidenceModalProps {
  opened: boolean;
  onClose: () => void;
  preset?: EvidencePreset;
  onAdded?: (evidence: Evidence) => void;
}

/** "Add evidence" as a dialog; the form starts afresh each time it opens. */
export function AddEvidenceModal({ opened, onClose, preset = {}, onAdded }: AddEvidenceModalProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={preset.replaces ? 'Add a new version' : 'Add evidence'}
      centered
      size="lg"
    >
      {opened ? (
        <AddEvidenceForm
          preset={preset}
          onCancel={onClose}
          onAdded={(evidence) => {
            onClose();
            onAdded?.(evidence);
          }}
        />
      ) : null}
    </Modal>
  );
}
