import { Alert } from '@mantine/core';

/** The error above a form that does not belong to a single field. */
export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light">
      {message}
    </Alert>
  );
}
