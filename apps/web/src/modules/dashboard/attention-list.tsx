import { Group, Stack, Text } from '@mantine/core';
import type { attentionItemSchema } from '@steward/contracts';
import type { z } from 'zod';
import { ControlStatusBadge } from '../../components/status-badges.tsx';
import { AnchorLink } from '../../components/router-links.tsx';

type AttentionItem = z.output<typeof attentionItemSchema>;

/** Failing and due controls, each with its owner and the reason, linking to the control. */
export function AttentionList({ items }: { items: readonly AttentionItem[] }) {
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Nothing is failing or due.
      </Text>
    );
  }
  return (
    <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
      {items.map((item) => (
        <li key={item.id}>
          <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
            <Stack gap={2} miw={0}>
              <AnchorLink
                to="/controls/$controlId"
                params={{ controlId: item.id }}
                fw={500}
                size="sm"
              >
                {item.ref} · {item.title}
              </AnchorLink>
              <Text size="xs" c="dimmed">
                {item.owner ? `Owner: ${item.owner.name}` : 'No owner'}
              </Text>
              <Text size="sm">{item.statusReason}</Text>
            </Stack>
            <ControlStatusBadge status={item.status} />
          </Group>
        </li>
      ))}
    </Stack>
  );
}
