import { Alert, Button, Stack, Text } from '@mantine/core';
import { describeError } from '../lib/form-errors.ts';

interface QueryErrorProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

/** Why something could not be loaded, with a way to try again. */
export function QueryError({ error, title = 'Could not load this', onRetry }: QueryErrorProps) {
  return (
    <Alert color="red" title={title}>
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{describeError(error)}</Text>
        {onRetry ? (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}
