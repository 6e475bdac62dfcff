import { Button, Group, Paper, SimpleGrid, TextInput } from '@mantine/core';
import { auditActions } from '@steward/contracts';
import { useRef } from 'react';
import type { SubmitEvent } from 'react';
import { emptyAuditFilters } from './audit-queries.ts';
import type { AuditFilterValues } from './audit-queries.ts';

interface AuditFiltersProps {
  onApply: (filters: AuditFilterValues) => void;
  fieldErrors: Record<string, string>;
}

function readFilters(form: HTMLFormElement): AuditFilterValues {
  const data = new FormData(form);
  const read = (name: keyof AuditFilterValues) => {
    const value = data.get(name);
    return typeof value === 'string' ? value : '';
  };
  return {
    actor: read('actor'),
    action: read('action'),
    targetType: read('targetType'),
    targetId: read('targetId'),
    from: read('from'),
    to: read('to'),
  };
}

/** Filters for the audit log; applied on submit so typing does not fire a search per key. */
export function AuditFilters({ onApply, fieldErrors }: AuditFiltersProps) {
  const formRef = useRef<HTMLFormElement>(null);

  const applyFilters = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    onApply(readFilters(event.currentTarget));
  };
  const clearFilters = () => {
    formRef.current?.reset();
    onApply(emptyAuditFilters);
  };

  return (
    <Paper withBorder radius="md" p="md" mb="lg" component="section" aria-label="Filters">
      <form ref={formRef} onSubmit={applyFilters} noValidate>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
          <TextInput
            label="Actor"
            name="actor"
            description="Name, email or ID"
            error={fieldErrors.actor}
          />
          <TextInput
            label="Action"
            name="action"
            list="audit-action-options"
            description="e.g. user.created"
            error={fieldErrors.action}
          />
          <TextInput
            label="Target type"
            name="targetType"
            description="e.g. user, token"
            error={fieldErrors.targetType}
          />
          <TextInput label="Target ID" name="targetId" error={fieldErrors.targetId} />
          <TextInput label="From" name="from" type="datetime-local" error={fieldErrors.from} />
          <TextInput label="To" name="to" type="datetime-local" error={fieldErrors.to} />
        </SimpleGrid>
        <datalist id="audit-action-options">
          {auditActions.map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
        <Group mt="md" gap="sm">
          <Button type="submit">Apply filters</Button>
          <Button variant="default" onClick={clearFilters}>
            Clear filters
          </Button>
        </Group>
      </form>
    </Paper>
  );
}
