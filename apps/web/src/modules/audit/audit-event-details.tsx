import { Code, SimpleGrid, Stack, Text } from '@mantine/core';
import type { AuditEvent } from '@steward/contracts';
import type { ReactNode } from 'react';

function DetailItem({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2} miw={0}>
      <Text size="xs" fw={600} c="dimmed" component="dt">
        {label}
      </Text>
      <Text size="sm" component="dd" m={0} style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Stack>
  );
}

/** The full record of an audit event. */
export function AuditEventDetails({ event }: { event: AuditEvent }) {
  const hasChanges = Object.keys(event.changes).length > 0;
  return (
    <Stack gap="sm" py="xs">
      <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} spacing="sm" m={0}>
        <DetailItem label="Request ID">{event.requestId ?? '—'}</DetailItem>
        <DetailItem label="User agent">{event.userAgent ?? '—'}</DetailItem>
        <DetailItem label="Actor ID">{event.actorId ?? '—'}</DetailItem>
        <DetailItem label="Sequence">{event.seq}</DetailItem>
        <DetailItem label="Hash">
          <Code>{event.hash}</Code>
        </DetailItem>
      </SimpleGrid>
      <Stack gap={2}>
        <Text size="xs" fw={600} c="dimmed">
          Changes
        </Text>
        {hasChanges ? (
          <Code block style={{ maxHeight: 320, overflow: 'auto' }}>
            {JSON.stringify(event.changes, null, 2)}
          </Code>
        ) : (
          <Text size="sm">No recorded changes</Text>
        )}
      </Stack>
    </Stack>
  );
}
