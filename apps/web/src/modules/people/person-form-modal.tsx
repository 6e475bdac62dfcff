import { Button, Group, Modal, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import {
  employmentTypes,
  endpoints,
  personStatuses,
  type EmploymentType,
  type Person,
  type PersonStatus,
} from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { FormAlert } from '../../components/form-alert.tsx';
import { call } from '../../lib/api-client.ts';
import { applyErrorToForm } from '../../lib/form-errors.ts';
import { employmentLabels, personStatusLabels } from './people-labels.ts';
import { invalidatePeople, peopleQuery } from './people-queries.ts';

interface PersonFormValues {
  displayName: string;
  givenName: string;
  familyName: string;
  email: string;
  employeeNumber: string;
  department: string;
  title: string;
  managerId: string;
  employmentType: string;
  startDate: string;
  endDate: string;
  status: PersonStatus;
}

const scimEditable = new Set(['employmentType', 'startDate', 'endDate', 'status']);

function valuesOf(person: Person | null): PersonFormValues {
  return {
    displayName: person?.displayName ?? '',
    givenName: person?.givenName ?? '',
    familyName: person?.familyName ?? '',
    email: person?.email ?? '',
    employeeNumber: person?.employeeNumber ?? '',
    department: person?.department ?? '',
    title: person?.title ?? '',
    managerId: person?.manager?.id ?? '',
    employmentType: person?.employmentType ?? '',
    startDate: person?.startDate ?? '',
    endDate: person?.endDate ?? '',
    status: person?.status ?? 'active',
  };
}

function orNull(value: string): string | null {
  return value.trim() === '' ? null : value.trim();
}

function ManagerSelect(props: {
  value: string;
  onChange: (value: string) => void;
  error?: unknown;
  disabled: boolean;
  selfId: string | null;
  current: Person['manager'];
}) {
  const [search, setSearch] = useState('');
  const people = useQuery(peopleQuery({ q: search.trim() || undefined, limit: 20 }));
  const options = (people.data?.items ?? [])
    .filter((p) => p.id !== props.selfId)
    .map((p) => ({
      value: p.id,
      label: p.email ? `${p.displayName} (${p.email})` : p.displayName,
    }));
  if (props.current && !options.some((o) => o.value === props.current?.id)) {
    options.unshift({ value: props.current.id, label: props.current.displayName });
  }
  return (
    <Select
      label="Manager"
      searchable
      clearable
      placeholder="Search the directory"
      data={options}
      value={props.value || null}
      onChange={(value) => props.onChange(value ?? '')}
      searchValue={search}
      onSearchChange={setSearch}
      disabled={props.disabled}
      error={props.error as string | undefined}
    />
  );
}

/** Add a person, or edit one (for SCIM people only what the identity provider does not manage). */
export function PersonFormModal({
  person,
  onClose,
}: {
  person: Person | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [alert, setAlert] = useState<string | null>(null);
  const form = useForm<PersonFormValues>({
    initialValues: valuesOf(person),
    validate: {
      displayName: (value) => (value.trim() === '' ? 'Enter a name' : null),
    },
  });
  const isScim = person?.source === 'scim';
  const isLocked = (field: keyof PersonFormValues) => isScim && !scimEditable.has(field);

  const save = useMutation({
    mutationFn: async (values: PersonFormValues) => {
      const body = {
        displayName: values.displayName.trim(),
        givenName: orNull(values.givenName),
        familyName: orNull(values.familyName),
        email: orNull(values.email),
        employeeNumber: orNull(values.employeeNumber),
        department: orNull(values.department),
        title: orNull(values.title),
        managerId: orNull(values.managerId),
        employmentType: orNull(values.employmentType) as EmploymentType | null,
        startDate: orNull(values.startDate),
        endDate: orNull(values.endDate),
        status: values.status,
      };
      if (!person) return call(endpoints.createPerson, { body });
      const initial = valuesOf(person);
      const changed = Object.fromEntries(
        Object.entries(body).filter(([key]) => {
          const field = key as keyof PersonFormValues;
          return values[field] !== initial[field] && !isLocked(field);
        }),
      );
      return call(endpoints.updatePerson, { params: { id: person.id }, body: changed });
    },
    onSuccess: async (saved) => {
      await invalidatePeople(queryClient);
      notifications.show({ color: 'green', message: `${saved.displayName} saved` });
      onClose();
      if (!person) await navigate({ to: '/people/$personId', params: { personId: saved.id } });
    },
    onError: (error) => setAlert(applyErrorToForm(form, error)),
  });

  return (
    <Modal
      opened
      onClose={onClose}
      title={person ? `Edit ${person.displayName}` : 'Add a person'}
      size="lg"
    >
      <form onSubmit={form.onSubmit((values) => save.mutate(values))} noValidate>
        <Stack gap="sm">
          <FormAlert message={alert} />
          {isScim ? (
            <FormAlert message="The identity provider manages this person's name, email, department, title and manager; change them there." />
          ) : null}
          <TextInput
            label="Name"
            required
            disabled={isLocked('displayName')}
            {...form.getInputProps('displayName')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label="Given name"
              disabled={isLocked('givenName')}
              {...form.getInputProps('givenName')}
            />
            <TextInput
              label="Family name"
              disabled={isLocked('familyName')}
              {...form.getInputProps('familyName')}
            />
            <TextInput
              label="Work email"
              type="email"
              disabled={isLocked('email')}
              {...form.getInputProps('email')}
            />
            <TextInput
              label="Employee number"
              disabled={isLocked('employeeNumber')}
              {...form.getInputProps('employeeNumber')}
            />
            <TextInput
              label="Department"
              disabled={isLocked('department')}
              {...form.getInputProps('department')}
            />
            <TextInput
              label="Title"
              disabled={isLocked('title')}
              {...form.getInputProps('title')}
            />
          </SimpleGrid>
          <ManagerSelect
            value={form.values.managerId}
            onChange={(value) => form.setFieldValue('managerId', value)}
            error={form.errors.managerId}
            disabled={isLocked('managerId')}
            selfId={person?.id ?? null}
            current={person?.manager ?? null}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Select
              label="Employment type"
              clearable
              data={employmentTypes.map((value) => ({ value, label: employmentLabels[value] }))}
              value={form.values.employmentType || null}
              onChange={(value) => form.setFieldValue('employmentType', value ?? '')}
              error={form.errors.employmentType}
            />
            <Select
              label="Status"
              data={personStatuses.map((value) => ({ value, label: personStatusLabels[value] }))}
              value={form.values.status}
              onChange={(value) => form.setFieldValue('status', value ?? 'active')}
              error={form.errors.status}
              allowDeselect={false}
            />
            <TextInput label="Start date" type="date" {...form.getInputProps('startDate')} />
            <TextInput label="End date" type="date" {...form.getInputProps('endDate')} />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {person ? 'Save' : 'Add person'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
