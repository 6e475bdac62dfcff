import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

interface ListTableProps {
  /** The table's accessible name. */
  label: string;
  /** The column headings, in order. */
  columns: readonly string[];
  /** Whether there are no rows, in which case only emptyText is shown. */
  isEmpty: boolean;
  emptyText: string;
  /** Below this width the table scrolls sideways instead of squeezing its columns. */
  minWidth: number;
  children: ReactNode;
}

/** A striped list table with a heading row, or a dimmed sentence when there is nothing to list. */
export function ListTable({
  label,
  columns,
  isEmpty,
  emptyText,
  minWidth,
  children,
}: ListTableProps) {
  if (isEmpty) {
    return (
      <Text size="sm" c="dimmed">
        {emptyText}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped highlightOnHover aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th key={column}>{column}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
