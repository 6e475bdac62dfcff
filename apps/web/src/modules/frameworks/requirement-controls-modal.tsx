import { Button, Group, Modal, MultiSelect, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import type { Requirement } from '@steward/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { useControlOptions } from '../controls/program-options.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';

function RequirementControlsForm({
  requirement,
  onDone,
}: {
  requirement: Requirement;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const controls = useControlOptions();
  const [picked, setPicked] = useState<string[]>(requirement.controls.map((c) => c.id));
  const save = useMutation({
    mutationFn: () =>
      call(endpoints.setRequirementControls, {
        params: { id: requirement.id },
        body: { controlIds: picked },
      }),
    onSuccess: async () => {
      notifications.show({
        color: 'green',
        message: `Controls of ${requirement.label || requirement.ref} saved`,
      });
      await invalidateProgram(queryClient);
      onDone();
    },
  });
  return (
    <Stack>
      <Text size="sm">{requirement.title}</Text>
      <FormAlert message={save.isError ? describeError(save.error) : null} />
      <MultiSelect
        label="Controls that satisfy this requirement"
        data={controls.options}
        value={picked}
        onChange={setPicked}
        searchable
        clearable
        disabled={controls.isLoading}
        nothingFoundMessage="No control matches"
        maxDropdownHeight={300}
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button onClick={() => save.mutate()} loading={save.isPending}>
          Save controls
        </Button>
      </Group>
    </Stack>
  );
}

/** Set the controls of one requirement. */
export function RequirementControlsModal({
  requirement,
  onClose,
}: {
  requirement: Requirement | null;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={requirement !== null}
      onClose={onClose}
      title={requirement ? `Controls of ${requirement.label || requirement.ref}` : 'Controls'}
      centered
      size="lg"
    >
      {requirement ? <RequirementControlsForm requirement={requirement} onDone={onClose} /> : null}
    </Modal>
  );
}
