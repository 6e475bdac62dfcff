import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { FormAlert } from './form-alert.tsx';

interface ConfirmModalProps {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  isPending: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
}

/** Ask before a change that cannot be undone from here. */
export function ConfirmModal(props: ConfirmModalProps) {
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} centered>
      <Stack>
        <Text size="sm">{props.children}</Text>
        <FormAlert message={props.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose} disabled={props.isPending}>
            Cancel
          </Button>
          <Button color="red" onClick={props.onConfirm} loading={props.isPending}>
            {props.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
