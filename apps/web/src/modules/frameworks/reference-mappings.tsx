import { Badge, Group, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { referenceFrameworkKeys } from '@steward/contracts';
import type { referenceMappingSchema } from '@steward/contracts';
import type { z } from 'zod';
import { referenceLabels } from './reference-labels.ts';

type ReferenceMapping = z.output<typeof referenceMappingSchema>;

/** SOC 2, ISO 27001 and NIST CSF identifiers, grouped by framework, each with its title. */
export function ReferenceMappings({
  mappings,
  empty = 'No reference mappings',
}: {
  mappings: readonly ReferenceMapping[];
  empty?: string;
}) {
  if (mappings.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        {empty}
      </Text>
    );
  }
  return (
    <Group gap="xs" wrap="wrap">
      {referenceFrameworkKeys.map((key) => {
        const items = mappings.filter((m) => m.framework === key);
        if (items.length === 0) return null;
        return (
          <Group key={key} gap={4} wrap="wrap">
            <Text size="xs" fw={600}>
              {referenceLabels[key]}:
            </Text>
            {items.map((item) => (
              <Tooltip key={item.id} label={item.title} withArrow>
                <Badge variant="outline" color="gray" size="sm" tt="none">
                  {item.id}
                  <VisuallyHidden>: {item.title}</VisuallyHidden>
                </Badge>
              </Tooltip>
            ))}
          </Group>
        );
      })}
    </Group>
  );
}
