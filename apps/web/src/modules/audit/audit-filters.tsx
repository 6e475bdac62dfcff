import { TextInput } from '@mantine/core';
import { auditActions } from '@steward/contracts';
import { useRef } from 'react';
import { FilterPanel, readFormText } from '../../components/filter-panel.tsx';
import { emptyAuditFilters } from './audit-queries.ts';
import type { AuditFilterValues } from './audit-queries.ts';

interface AuditFiltersProps {
  onApply: (filters: AuditFilterValues) => void;
  fieldErrors: Record<string, string>;
}

function readFilters(data: FormData): AuditFilterValues {
  const read = (name: keyof AuditFilterValues) => readFormText(data, name);
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

  const applyFilters = (data: FormData) => {
    onApply(readFilters(data));
  };
  const clearFilters = () => {
    formRef.current?.reset();
    onApply(emptyAuditFilters);
  };

  return (
    <FilterPanel
      onApply={applyFilters}
      onClear={clearFilters}
      columns={3}
      formRef={formRef}
      footer={
        <datalist id="audit-action-options">
          {auditActions.map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
      }
    >
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
    </FilterPanel>
  );
}
