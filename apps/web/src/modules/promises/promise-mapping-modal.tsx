import { Checkbox, Group, Modal, MultiSelect, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import type { AnnexPromise } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { FormActions } from '../../components/form-frame.tsx';
import { ControlStatusBadge } from '../../components/status-badges.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { useControlOptions } from '../controls/program-options.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';

/** The controls a mapping starts with: the confirmed ones, or else every suggestion. */
function initialPick(promise: AnnexPromise): string[] {
  const confirmed = promise.controls.filter((c) => c.isConfirmed).map((c) => c.id);
  if (promise.isMappingConfirmed) return confirmed;
  return promise.controls.map((c) => c.id);
}

function MappingForm({ promise, onDone }: { promise: AnnexPromise; onDone: () => void }) {
  const queryClient = useQueryClient();
  const controls = useControlOptions();
  const [picked, setPicked] = useState<string[]>(() => initialPick(promise));
  const listed = new Set(promise.controls.map((c) => c.id));
  const others = picked.filter((id) => !listed.has(id));
  const save = useMutation({
    mutationFn: () =>
      call(endpoints.setPromiseControls, {
        params: { id: promise.id },
        body: { controlIds: picked },
      }),
    onSuccess: async () => {
      notifications.show({
        color: 'green',
        message: `Mapping of promise ${promise.ref} confirmed`,
      });
      await invalidateProgram(queryClient);
      onDone();
    },
  });

  return (
    <Stack>
      <Text size="sm">{promise.body}</Text>
      <FormAlert message={save.isError ? describeError(save.error) : null} />
      {promise.controls.length > 0 ? (
        <Checkbox.Group
          label="Suggested and confirmed controls"
          description="Scores show how closely each control's text matches the promise."
          value={picked.filter((id) => listed.has(id))}
          onChange={(value) => setPicked([...value, ...others])}
        >
          <Stack gap="xs" mt="xs">
            {promise.controls.map((control) => (
              <Checkbox
                key={control.id}
                value={control.id}
                label={
                  <Group gap={6} wrap="nowrap">
                    <span>
                      {control.ref} · {control.title}
                    </span>
                    <ControlStatusBadge status={control.status} size="xs" />
                  </Group>
                }
                description={
                  control.isConfirmed
                    ? 'Confirmed'
                    : `Suggested, score ${Math.round(control.score * 100)}%`
                }
              />
            ))}
          </Stack>
        </Checkbox.Group>
      ) : null}
      <MultiSelect
        label="Other controls"
        data={controls.options.filter((o) => !listed.has(o.value))}
        value={others}
        onChange={(value) => setPicked([...picked.filter((id) => listed.has(id)), ...value])}
        searchable
        clearable
        nothingFoundMessage="No control matches"
        maxDropdownHeight={260}
      />
      <FormActions
        onCancel={onDone}
        submitLabel="Confirm mapping"
        isPending={save.isPending}
        onSubmit={() => save.mutate()}
      />
    </Stack>
  );
}

/** Confirm or edit the controls a promise maps to; suggestions start checked. */
export function PromiseMappingModal({
  promise,
  onClose,
}: {
  promise: AnnexPromise | null;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={promise !== null}
      onClose={onClose}
      title={promise ? `Controls of promise ${promise.ref}` : 'Controls'}
      centered
      size="lg"
    >
      {promise ? <MappingForm promise={promise} onDone={onClose} /> : null}
    </Modal>
  );
}
