import { Button, Table, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints, type Customer } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { FormModal } from '../../components/form-frame.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { call } from '../../lib/api-client.ts';
import { customersQuery, invalidateSupportAccess } from './support-access-queries.ts';
import { useFormErrors } from './use-form-errors.ts';

/** Add or edit a customer: name, key the systems know it by, notes. */
export function CustomerFormModal({
  opened,
  customer,
  onClose,
}: {
  opened: boolean;
  customer: Customer | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(customer?.name ?? '');
  const [key, setKey] = useState(customer?.key ?? '');
  const [notes, setNotes] = useState(customer?.notes ?? '');
  const { formError, fieldErrors, clearErrors, showErrors } = useFormErrors(false);
  const save = useMutation({
    mutationFn: () =>
      customer
        ? call(endpoints.updateCustomer, {
            params: { id: customer.id },
            body: { name, key, notes: notes || null },
          })
        : call(endpoints.createCustomer, { body: { name, key, notes: notes || null } }),
    onSuccess: async () => {
      notifications.show({
        color: 'green',
        message: customer ? 'Customer saved' : 'Customer added',
      });
      await invalidateSupportAccess(queryClient);
      if (!customer) {
        setName('');
        setKey('');
        setNotes('');
      }
      onClose();
    },
    onError: showErrors,
  });
  const title = customer ? 'Edit the customer' : 'Add a customer';
  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title={title}
      onSubmit={() => {
        clearErrors();
        save.mutate();
      }}
      error={formError}
      submitLabel={customer ? 'Save' : 'Add customer'}
      isPending={save.isPending}
    >
      <TextInput
        label="Name"
        required
        value={name}
        error={fieldErrors.name}
        onChange={(event) => setName(event.currentTarget.value)}
      />
      <TextInput
        label="Key"
        description="How the systems know the customer: lower-case letters, digits, - and _"
        required
        value={key}
        error={fieldErrors.key}
        onChange={(event) => setKey(event.currentTarget.value)}
      />
      <Textarea
        label="Notes"
        autosize
        minRows={2}
        value={notes}
        error={fieldErrors.notes}
        onChange={(event) => setNotes(event.currentTarget.value)}
      />
    </FormModal>
  );
}

/** The org's customers, each with its support access report. */
export function CustomersPage() {
  return (
    <RequirePermission permission="systems.read" title="Customers">
      <CustomersContent />
    </RequirePermission>
  );
}

function CustomersContent() {
  const canManage = useCan('systems.manage');
  const [adding, setAdding] = useState(false);
  const [filter, setFilter] = useState('');
  const list = useQuery(customersQuery);
  const needle = filter.trim().toLowerCase();
  const items = (list.data?.items ?? []).filter(
    (c) => !needle || c.name.toLowerCase().includes(needle) || c.key.includes(needle),
  );
  return (
    <>
      <PageHeader
        title="Customers"
        description="The customers whose data support may reach. Each has a report of every access to its data."
        actions={canManage ? <Button onClick={() => setAdding(true)}>Add a customer</Button> : null}
      />
      <CustomerFormModal opened={adding} customer={null} onClose={() => setAdding(false)} />
      <TextInput
        label="Search customers"
        mb="md"
        maw={360}
        value={filter}
        onChange={(event) => setFilter(event.currentTarget.value)}
      />
      {list.isPending ? <LoadingBlock label="Loading customers" /> : null}
      {list.isError ? (
        <QueryError
          error={list.error}
          title="Could not load customers"
          onRetry={() => void list.refetch()}
        />
      ) : null}
      {list.isSuccess && items.length === 0 ? <Text c="dimmed">No customer yet.</Text> : null}
      {list.isSuccess && items.length > 0 ? (
        <Table.ScrollContainer minWidth={480}>
          <Table striped verticalSpacing="sm" fz="sm" aria-label="Customers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Customer</Table.Th>
                <Table.Th scope="col">Key</Table.Th>
                <Table.Th scope="col">Notes</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <AnchorLink to="/customers/$customerId" params={{ customerId: c.id }}>
                      {c.name}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>{c.key}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {c.notes ?? ''}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </>
  );
}
