import { Group, Text } from '@mantine/core';

/** The product's name with its shield mark; compact shows the name only from small screens up. */
export function BrandMark({ isCompact = false }: { isCompact?: boolean }) {
  return (
    <Group gap={8} wrap="nowrap">
      <img src="/favicon.svg" alt={isCompact ? 'Steward' : ''} width={24} height={24} />
      <Text fw={700} size="lg" visibleFrom={isCompact ? 'xs' : undefined} aria-hidden={isCompact}>
        Steward
      </Text>
    </Group>
  );
}
