import { Text } from '@mantine/core';
import { formatDateTime } from '../lib/format.ts';

interface DateTimeProps {
  value: string | null;
  empty?: string;
  precise?: boolean;
}

/** A timestamp as a `<time>` element, or a dimmed placeholder when there is none. */
export function DateTime({ value, empty = 'Never', precise = false }: DateTimeProps) {
  if (!value) {
    return (
      <Text span c="dimmed" size="sm">
        {empty}
      </Text>
    );
  }
  return <time dateTime={value}>{formatDateTime(value, precise)}</time>;
}
