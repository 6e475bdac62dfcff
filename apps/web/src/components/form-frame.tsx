import { Button, Group, Modal, Stack, type ModalProps } from '@mantine/core';
import type { ReactNode, SubmitEvent } from 'react';
import { FormAlert } from './form-alert.tsx';

interface FormActionsProps {
  onCancel: () => void;
  submitLabel: ReactNode;
  isPending: boolean;
  /** Runs the action from the button itself; without it the button submits the form around it. */
  onSubmit?: () => void;
}

/** The Cancel and submit buttons at the foot of a form. */
export function FormActions({ onCancel, submitLabel, isPending, onSubmit }: FormActionsProps) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      {onSubmit ? (
        <Button loading={isPending} onClick={onSubmit}>
          {submitLabel}
        </Button>
      ) : (
        <Button type="submit" loading={isPending}>
          {submitLabel}
        </Button>
      )}
    </Group>
  );
}

interface FormFrameProps {
  /** Called on submit; the browser's own submission and validation are already prevented. */
  onSubmit: (event: SubmitEvent<HTMLFormElement>) => void;
  error: string | null;
  onCancel: () => void;
  submitLabel: ReactNode;
  isPending: boolean;
  children: ReactNode;
}

/** A form with its error above the fields and Cancel and submit below them. */
export function FormFrame(props: FormFrameProps) {
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit(event);
      }}
    >
      <Stack>
        <FormAlert message={props.error} />
        {props.children}
        <FormActions
          onCancel={props.onCancel}
          submitLabel={props.submitLabel}
          isPending={props.isPending}
        />
      </Stack>
    </form>
  );
}

interface FormModalProps extends Omit<FormFrameProps, 'onCancel'> {
  opened: boolean;
  /** Closes the modal, from its close button and from Cancel. */
  onClose: () => void;
  title: string;
  size?: ModalProps['size'];
  centered?: boolean;
}

/** A modal holding one form, with its error above the fields and Cancel and submit below them. */
export function FormModal({ opened, onClose, title, size, centered, ...form }: FormModalProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      {...(size === undefined ? {} : { size })}
      {...(centered === undefined ? {} : { centered })}
    >
      <FormFrame {...form} onCancel={onClose} />
    </Modal>
  );
}
