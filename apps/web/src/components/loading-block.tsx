import { Center, Loader } from '@mantine/core';

/** A centred spinner with an accessible name, for content that is still loading. */
export function LoadingBlock({ label = 'Loading' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Loader aria-label={label} />
    </Center>
  );
}
