import { Table } from '@mantine/core';
import type { AuditEvent } from '@steward/contracts';
import { AuditEventRow } from './audit-event-row.tsx';

/** Audit events, one row each, expandable to their full record. */
export function AuditTable({ events }: { events: readonly AuditEvent[] }) {
  return (
    <Table.ScrollContainer minWidth={920}>
      <Table verticalSpacing="xs" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Time</Table.Th>
            <Table.Th scope="col">Actor</Table.Th>
            <Table.Th scope="col">Auth method</Table.Th>
            <Table.Th scope="col">Action</Table.Th>
            <Table.Th scope="col">Target</Table.Th>
            <Table.Th scope="col">IP</Table.Th>
            <Table.Th scope="col">Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <AuditEventRow key={event.id} event={event} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
