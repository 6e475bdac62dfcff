import { Button } from '@mantine/core';
import type { ReactNode } from 'react';
import { describeError } from '../lib/form-errors.ts';
import { ConfirmModal } from './confirm-modal.tsx';

/** The part of a mutation a confirmed action needs: its state, its error and a way to clear both. */
export interface ConfirmedAction {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  reset: () => void;
}

interface ConfirmButtonProps {
  /** The text of the small red button that opens the confirmation. */
  label: string;
  /** Id of the element naming the row the button acts on. */
  describedBy: string;
  opened: boolean;
  onOpen: () => void;
  onClose: () => void;
  title: string;
  confirmLabel: string;
  action: ConfirmedAction;
  onConfirm: () => void;
  children: ReactNode;
}

/** A small red row button that asks for confirmation before an action that cannot be undone. */
export function ConfirmButton(props: ConfirmButtonProps) {
  const { action, onClose } = props;
  const closeConfirm = () => {
    action.reset();
    onClose();
  };
  return (
    <>
      <Button
        size="xs"
        variant="light"
        color="red"
        onClick={props.onOpen}
        aria-describedby={props.describedBy}
      >
        {props.label}
      </Button>
      <ConfirmModal
        opened={props.opened}
        title={props.title}
        confirmLabel={props.confirmLabel}
        isPending={action.isPending}
        error={action.isError ? describeError(action.error) : null}
        onConfirm={props.onConfirm}
        onClose={closeConfirm}
      >
        {props.children}
      </ConfirmModal>
    </>
  );
}
