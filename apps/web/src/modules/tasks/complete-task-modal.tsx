import { Button, Checkbox, Group, Modal, Stack, Tabs, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints } from '@steward/contracts';
import type { Task } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { SubmitEvent } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { formatDay } from '../../lib/format.ts';
import { invalidateProgram } from '../dashboard/program-cache.ts';
import { AddEvidenceForm } from '../evidence/add-evidence-modal.tsx';
import { controlEvidenceQuery } from '../evidence/evidence-queries.ts';
import { coversToday } from '../evidence/evidence-table.tsx';

function ExistingEvidenceForm({ task, onDone }: { task: Task; onDone: () => void }) {
  const queryClient = useQueryClient();
  const evidence = useQuery(controlEvidenceQuery(task.control.id));
  const [picked, setPicked] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [pickError, setPickError] = useState<string | null>(null);
  const complete = useMutation({
    mutationFn: () =>
      call(endpoints.completeTask, {
        params: { id: task.id },
        body: { evidenceIds: picked, note },
      }),
    onSuccess: async (detail) => {
      notifications.show({
        color: 'green',
        message: `“${task.title}” completed; next due ${formatDay(detail.task.nextDueOn)}`,
      });
      await invalidateProgram(queryClient);
      onDone();
    },
  });

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (picked.length === 0) {
      setPickError('Pick at least one evidence item');
      return;
    }
    setPickError(null);
    complete.mutate();
  };

  if (evidence.isPending) return <LoadingBlock label="Loading evidence" />;
  if (evidence.isError) return <FormAlert message={describeError(evidence.error)} />;
  const items = evidence.data.items.filter((item) => !item.isSuperseded && !item.deletedAt);

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormAlert message={complete.isError ? describeError(complete.error) : null} />
        {items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {task.control.ref} has no evidence yet. Upload some instead.
          </Text>
        ) : (
          <Checkbox.Group
            label={`Evidence of ${task.control.ref}`}
            description="Pick what shows this occurrence was done."
            value={picked}
            onChange={setPicked}
            error={pickError}
          >
            <Stack gap="xs" mt="xs">
              {items.map((item) => (
                <Checkbox
                  key={item.id}
                  value={item.id}
                  label={item.title}
                  description={`Effective ${formatDay(item.effectiveFrom)} – ${formatDay(item.effectiveTo)}${coversToday(item) ? ' (covers today)' : ''}`}
                />
              ))}
            </Stack>
          </Checkbox.Group>
        )}
        <Textarea
          label="Note"
          autosize
          minRows={2}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={complete.isPending} disabled={items.length === 0}>
            Complete task
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface CompleteTaskModalProps {
  task: Task | null;
  onClose: () => void;
}

/** Complete a task's current occurrence: upload new evidence, or pick evidence already added. */
export function CompleteTaskModal({ task, onClose }: CompleteTaskModalProps) {
  return (
    <Modal
      opened={task !== null}
      onClose={onClose}
      title={task ? `Complete “${task.title}”` : 'Complete task'}
      centered
      size="lg"
    >
      {task ? (
        <Stack>
          <Text size="sm" c="dimmed">
            Due {formatDay(task.nextDueOn)} for {task.control.ref} · {task.control.title}.
            Completing it schedules the next occurrence in {task.cadenceMonths} month
            {task.cadenceMonths === 1 ? '' : 's'}.
          </Text>
          <Tabs defaultValue="upload" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="upload">Upload new evidence</Tabs.Tab>
              <Tabs.Tab value="existing">Use existing evidence</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="upload" pt="md">
              <AddEvidenceForm
                preset={{ controlIds: [task.control.id], taskId: task.id }}
                onCancel={onClose}
                onAdded={onClose}
              />
            </Tabs.Panel>
            <Tabs.Panel value="existing" pt="md">
              <ExistingEvidenceForm task={task} onDone={onClose} />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      ) : null}
    </Modal>
  );
}
