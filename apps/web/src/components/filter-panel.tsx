import { Button, Group, Paper, SimpleGrid } from '@mantine/core';
import type { ReactNode, Ref } from 'react';

/** Reads one field of a submitted form as text; a missing field reads as empty. */
export function readFormText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

interface FilterPanelProps {
  /** Receives the fields' values when the filters are applied. */
  onApply: (data: FormData) => void;
  onClear: () => void;
  /** How many fields stand side by side on a wide screen. */
  columns: number;
  formRef?: Ref<HTMLFormElement>;
  /** What stands under the fields, above the buttons. */
  footer?: ReactNode;
  children: ReactNode;
}

/** The filters above a list, applied on submit so typing does not fire a search per key. */
export function FilterPanel({
  onApply,
  onClear,
  columns,
  formRef,
  footer,
  children,
}: FilterPanelProps) {
  return (
    <Paper withBorder radius="md" p="md" mb="lg" component="section" aria-label="Filters">
      <form
        ref={formRef}
        onSubmit={(event) => {
          event.preventDefault();
          onApply(new FormData(event.currentTarget));
        }}
        noValidate
      >
        <SimpleGrid cols={{ base: 1, xs: 2, md: columns }} spacing="sm">
          {children}
        </SimpleGrid>
        {footer}
        <Group mt="md" gap="sm">
          <Button type="submit">Apply filters</Button>
          <Button variant="default" onClick={onClear}>
            Clear filters
          </Button>
        </Group>
      </form>
    </Paper>
  );
}
