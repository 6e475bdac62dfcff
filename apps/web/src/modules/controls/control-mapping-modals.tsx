import { Modal, MultiSelect, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import type { controlDetailSchema } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { FormAlert } from '../../components/form-alert.tsx';
import { FormActions } from '../../components/form-frame.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';
import { frameworkQuery, frameworksQuery } from '../frameworks/frameworks-queries.ts';
import { checksQuery } from './controls-queries.ts';

type ControlDetail = z.output<typeof controlDetailSchema>;

function RequirementsForm({ detail, onDone }: { detail: ControlDetail; onDone: () => void }) {
  const queryClient = useQueryClient();
  const frameworks = useQuery(frameworksQuery);
  const [frameworkId, setFrameworkId] = useState<string | null>(
    detail.requirements[0]?.frameworkId ?? null,
  );
  const framework = useQuery({
    ...frameworkQuery(frameworkId ?? ''),
    enabled: frameworkId !== null,
  });
  const [pickedByFramework, setPickedByFramework] = useState<Record<string, string[]>>({});
  const current = (id: string) =>
    pickedByFramework[id] ??
    detail.requirements.filter((r) => r.frameworkId === id).map((r) => r.id);

  const save = useMutation({
    mutationFn: () => {
      const untouched = detail.requirements
        .filter((r) => pickedByFramework[r.frameworkId] === undefined)
        .map((r) => r.id);
      const requirementIds = [...untouched, ...Object.values(pickedByFramework).flat()];
      return call(endpoints.setControlRequirements, {
        params: { id: detail.control.id },
        body: { requirementIds: [...new Set(requirementIds)] },
      });
    },
    onSuccess: async () => {
      notifications.show({
        color: 'green',
        message: `Requirements of ${detail.control.ref} saved`,
      });
      await invalidateProgram(queryClient);
      onDone();
    },
  });

  const options = (framework.data?.requirements ?? []).map((r) => ({
    value: r.id,
    label: `${r.label || r.ref} ${r.title}`.trim(),
  }));

  return (
    <Stack>
      <FormAlert message={save.isError ? describeError(save.error) : null} />
      <Select
        label="Framework"
        data={(frameworks.data?.items ?? []).map((f) => ({ value: f.id, label: f.name }))}
        value={frameworkId}
        onChange={setFrameworkId}
        allowDeselect={false}
      />
      {frameworkId && framework.isPending ? <LoadingBlock label="Loading requirements" /> : null}
      {framework.isError ? <FormAlert message={describeError(framework.error)} /> : null}
      {frameworkId && framework.data ? (
        <MultiSelect
          label="Requirements this control satisfies"
          data={options}
          value={current(frameworkId)}
          onChange={(value) => setPickedByFramework((all) => ({ ...all, [frameworkId]: value }))}
          searchable
          clearable
          nothingFoundMessage="No requirement matches"
          maxDropdownHeight={300}
        />
      ) : null}
      <Text size="xs" c="dimmed">
        Requirements of other frameworks stay as they are unless you change them too.
      </Text>
      <FormActions
        onCancel={onDone}
        submitLabel="Save requirements"
        isPending={save.isPending}
        onSubmit={() => save.mutate()}
      />
    </Stack>
  );
}

/** Choose the requirements a control satisfies, one framework at a time. */
export function EditRequirementsModal({
  detail,
  opened,
  onClose,
}: {
  detail: ControlDetail;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`Requirements of ${detail.control.ref}`}
      centered
      size="lg"
    >
      {opened ? <RequirementsForm detail={detail} onDone={onClose} /> : null}
    </Modal>
  );
}

function ChecksForm({ detail, onDone }: { detail: ControlDetail; onDone: () => void }) {
  const queryClient = useQueryClient();
  const checks = useQuery(checksQuery);
  const [keys, setKeys] = useState<string[]>(detail.checks.map((c) => c.key));
  const save = useMutation({
    mutationFn: () =>
      call(endpoints.setControlChecks, {
        params: { id: detail.control.id },
        body: { checkKeys: keys },
      }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: `Checks of ${detail.control.ref} saved` });
      await invalidateProgram(queryClient);
      onDone();
    },
  });
  return (
    <Stack>
      <FormAlert message={save.isError ? describeError(save.error) : null} />
      <FormAlert message={checks.isError ? describeError(checks.error) : null} />
      <MultiSelect
        label="Automated checks that prove this control"
        description="Each check's latest result counts: a failing check fails the control."
        data={(checks.data?.items ?? []).map((c) => ({
          value: c.key,
          label: `${c.name} (${c.key})`,
        }))}
        value={keys}
        onChange={setKeys}
        searchable
        clearable
        disabled={!checks.data}
        nothingFoundMessage="No check matches"
      />
      <FormActions
        onCancel={onDone}
        submitLabel="Save checks"
        isPending={save.isPending}
        onSubmit={() => save.mutate()}
      />
    </Stack>
  );
}

/** Choose the automated checks that prove a control. */
export function EditChecksModal({
  detail,
  opened,
  onClose,
}: {
  detail: ControlDetail;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Checks of ${detail.control.ref}`} centered>
      {opened ? <ChecksForm detail={detail} onDone={onClose} /> : null}
    </Modal>
  );
}
