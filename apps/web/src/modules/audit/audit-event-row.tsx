import { Button, Code, Table, Text } from '@mantine/core';
import type { AuditEvent } from '@steward/contracts';
import { useState } from 'react';
import { DateTime } from '../../components/date-time.tsx';
import { AuditEventDetails } from './audit-event-details.tsx';

const columnCount = 7;

/** One audit event; "Details" reveals its changes, request, user agent and hash. */
export function AuditEventRow({ event }: { event: AuditEvent }) {
  const [isExpanded, setIsExpanded] = useState(false);
  const detailsId = `audit-event-${event.id}-details`;

  return (
    <>
      <Table.Tr>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>
          <DateTime value={event.occurredAt} precise />
        </Table.Td>
        <Table.Td>
          <Text size="sm">{event.actorLabel ?? event.actorId ?? '—'}</Text>
          <Text size="xs" c="dimmed">
            {event.actorType}
          </Text>
        </Table.Td>
        <Table.Td>{event.authMethod}</Table.Td>
        <Table.Td>
          <Code>{event.action}</Code>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{event.targetType}</Text>
          {event.targetId ? (
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {event.targetId}
            </Text>
          ) : null}
        </Table.Td>
        <Table.Td>{event.ip ?? '—'}</Table.Td>
        <Table.Td>
          <Button
            size="compact-sm"
            variant="subtle"
            aria-expanded={isExpanded}
            aria-controls={detailsId}
            onClick={() => setIsExpanded((open) => !open)}
          >
            Details
          </Button>
        </Table.Td>
      </Table.Tr>
      {isExpanded ? (
        <Table.Tr id={detailsId}>
          <Table.Td colSpan={columnCount} bg="var(--mantine-color-gray-0)">
            <AuditEventDetails event={event} />
          </Table.Td>
        </Table.Tr>
      ) : null}
    </>
  );
}
