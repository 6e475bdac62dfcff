import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  MultiSelect,
  NativeSelect,
  NumberInput,
  PasswordInput,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { endpoints, type SupportAccessRule, type SupportAccessSystem } from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { FormFrame } from '../../components/form-frame.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink } from '../../components/router-links.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import {
  customersQuery,
  formatMinutes,
  invalidateSupportAccess,
  rulesQuery,
  supportSettingsQuery,
  supportSystemsQuery,
} from './support-access-queries.ts';
import { useFormErrors } from './use-form-errors.ts';

function LimitsCard() {
  const queryClient = useQueryClient();
  const settings = useQuery(supportSettingsQuery);
  const [defaultMinutes, setDefaultMinutes] = useState<number | string>('');
  const [maxMinutes, setMaxMinutes] = useState<number | string>('');
  const { formError: error, fieldErrors, clearErrors, showErrors } = useFormErrors(true);
  const save = useMutation({
    mutationFn: () =>
      call(endpoints.updateSupportAccessSettings, {
        body: {
          defaultDurationMinutes: Number(
            defaultMinutes === '' ? settings.data?.defaultDurationMinutes : defaultMinutes,
          ),
          maxDurationMinutes: Number(
            maxMinutes === '' ? settings.data?.maxDurationMinutes : maxMinutes,
          ),
        },
      }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Limits saved' });
      await invalidateSupportAccess(queryClient);
    },
    onError: showErrors,
  });
  if (settings.isPending) return <LoadingBlock label="Loading the limits" />;
  if (settings.isError) {
    return <QueryError error={settings.error} title="Could not load the limits" />;
  }
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="sm">
        Access windows
      </Title>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          clearErrors();
          save.mutate();
        }}
      >
        <Stack>
          <FormAlert message={error} />
          <Group align="flex-start">
            <NumberInput
              label="Default duration (minutes)"
              min={1}
              max={1440}
              allowDecimal={false}
              placeholder={String(settings.data.defaultDurationMinutes)}
              value={defaultMinutes}
              error={fieldErrors.defaultDurationMinutes}
              onChange={setDefaultMinutes}
            />
            <NumberInput
              label="Longest duration (minutes)"
              min={1}
              max={1440}
              allowDecimal={false}
              placeholder={String(settings.data.maxDurationMinutes)}
              value={maxMinutes}
              error={fieldErrors.maxDurationMinutes}
              onChange={setMaxMinutes}
            />
          </Group>
          <Text size="sm" c="dimmed">
            Now: default {formatMinutes(settings.data.defaultDurationMinutes)}, at most{' '}
            {formatMinutes(settings.data.maxDurationMinutes)}. No window exceeds 24 hours.
          </Text>
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save limits
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

interface MappingDraft {
  customerId: string;
  schemaName: string;
  readRole: string;
  writeRole: string;
}

function SystemModal({
  system,
  onClose,
}: {
  system: SupportAccessSystem | null;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={system !== null}
      onClose={onClose}
      title={system ? `Support access on ${system.system.name}` : ''}
      size="xl"
    >
      {system ? <SystemForm key={system.system.id} system={system} onClose={onClose} /> : null}
    </Modal>
  );
}

function SystemForm({ system, onClose }: { system: SupportAccessSystem; onClose: () => void }) {
  const queryClient = useQueryClient();
  const customers = useQuery(customersQuery);
  const isPostgres = system.system.connectorKind === 'postgresql';
  const [mode, setMode] = useState<'postgresql' | 'webhook'>(
    system.mode ?? (isPostgres ? 'postgresql' : 'webhook'),
  );
  const [user, setUser] = useState(system.postgres?.user ?? '');
  const [password, setPassword] = useState('');
  const [limit, setLimit] = useState<number | string>(system.postgres?.connectionLimit ?? 2);
  const [url, setUrl] = useState(system.webhook?.url ?? '');
  const [secret, setSecret] = useState('');
  const [mappings, setMappings] = useState<MappingDraft[]>(
    system.mappings.map((m) => ({
      customerId: m.customer.id,
      schemaName: m.schemaName ?? '',
      readRole: m.readRole ?? '',
      writeRole: m.writeRole ?? '',
    })),
  );
  const { formError: error, fieldErrors, clearErrors, showErrors } = useFormErrors(true);
  const save = useMutation({
    mutationFn: () =>
      call(endpoints.updateSupportAccessSystem, {
        params: { id: system.system.id },
        body: {
          mode,
          ...(mode === 'postgresql'
            ? {
                postgres: {
                  user,
                  connectionLimit: Number(limit),
                  ...(password ? { password } : {}),
                },
              }
            : { webhook: { url, ...(secret ? { secret } : {}) } }),
          mappings: mappings
            .filter((m) => m.customerId)
            .map((m) => ({
              customerId: m.customerId,
              schemaName: m.schemaName || null,
              readRole: m.readRole || null,
              writeRole: m.writeRole || null,
            })),
        },
      }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Support access configured' });
      await invalidateSupportAccess(queryClient);
      onClose();
    },
    onError: showErrors,
  });
  const update = (i: number, change: Partial<MappingDraft>) =>
    setMappings((all) => all.map((m, j) => (j === i ? { ...m, ...change } : m)));
  return (
    <FormFrame
      onSubmit={() => {
        clearErrors();
        save.mutate();
      }}
      error={error}
      onCancel={onClose}
      submitLabel="Save configuration"
      isPending={save.isPending}
    >
      <NativeSelect
        label="How access is granted"
        value={mode}
        error={fieldErrors.mode}
        onChange={(event) =>
          setMode(event.currentTarget.value === 'postgresql' ? 'postgresql' : 'webhook')
        }
        data={[
          {
            value: 'postgresql',
            label: isPostgres
              ? 'PostgreSQL login role'
              : 'PostgreSQL login role (needs the PostgreSQL connector)',
          },
          { value: 'webhook', label: 'Signed webhook' },
        ]}
      />
      {mode === 'postgresql' ? (
        <>
          <Text size="sm" c="dimmed">
            Steward connects to the connector&apos;s host and database as this grant user, which
            needs CREATEROLE, membership of pg_signal_backend, and grant options on each
            customer&apos;s schema or roles. It creates a login role valid until the window ends and
            drops it at the end.
          </Text>
          <Group grow align="flex-start">
            <TextInput
              label="Grant user"
              required
              value={user}
              error={fieldErrors['postgres.user']}
              onChange={(event) => setUser(event.currentTarget.value)}
            />
            <PasswordInput
              label="Grant user password"
              description={
                system.postgres?.hasPassword ? 'Leave empty to keep the stored one' : undefined
              }
              value={password}
              error={fieldErrors['postgres.password']}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            <NumberInput
              label="Connection limit"
              min={1}
              max={20}
              allowDecimal={false}
              value={limit}
              onChange={setLimit}
            />
          </Group>
        </>
      ) : (
        <>
          <Text size="sm" c="dimmed">
            Steward POSTs a JSON grant or revoke event, signed in the Steward-Signature header
            (t=timestamp, v1=HMAC-SHA256 of &quot;timestamp.body&quot;), retrying up to 5 times. A
            2xx answer acknowledges it; a credential in the answer is shown once to the requester.
          </Text>
          <TextInput
            label="Webhook URL"
            required
            value={url}
            error={fieldErrors['webhook.url']}
            onChange={(event) => setUrl(event.currentTarget.value)}
          />
          <PasswordInput
            label="Signing secret"
            description={
              system.webhook?.hasSecret
                ? 'Leave empty to keep the stored one'
                : 'At least 16 characters'
            }
            value={secret}
            error={fieldErrors['webhook.secret']}
            onChange={(event) => setSecret(event.currentTarget.value)}
          />
        </>
      )}
      <Title order={3} size="h5">
        Where each customer&apos;s data lives
      </Title>
      {mappings.map((m, i) => (
        <Group key={i} align="flex-end" wrap="wrap">
          <NativeSelect
            label="Customer"
            value={m.customerId}
            error={fieldErrors[`mappings.${String(i)}.customerId`]}
            onChange={(event) => update(i, { customerId: event.currentTarget.value })}
            data={[
              { value: '', label: 'Choose a customer' },
              ...(customers.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
            ]}
          />
          <TextInput
            label="Schema"
            value={m.schemaName}
            error={fieldErrors[`mappings.${String(i)}.schemaName`]}
            onChange={(event) => update(i, { schemaName: event.currentTarget.value })}
          />
          <TextInput
            label="Read role"
            value={m.readRole}
            onChange={(event) => update(i, { readRole: event.currentTarget.value })}
          />
          <TextInput
            label="Write role"
            value={m.writeRole}
            onChange={(event) => update(i, { writeRole: event.currentTarget.value })}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={`Remove mapping ${String(i + 1)}`}
            onClick={() => setMappings((all) => all.filter((_, j) => j !== i))}
          >
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          variant="default"
          onClick={() =>
            setMappings((all) => [
              ...all,
              { customerId: '', schemaName: '', readRole: '', writeRole: '' },
            ])
          }
        >
          Add a customer mapping
        </Button>
      </Group>
    </FormFrame>
  );
}

function SystemsCard() {
  const systems = useQuery(supportSystemsQuery);
  const [editing, setEditing] = useState<SupportAccessSystem | null>(null);
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="sm">
        Systems
      </Title>
      <SystemModal system={editing} onClose={() => setEditing(null)} />
      {systems.isPending ? <LoadingBlock label="Loading systems" /> : null}
      {systems.isError ? <QueryError error={systems.error} title="Could not load systems" /> : null}
      {systems.isSuccess && systems.data.items.length === 0 ? (
        <Text c="dimmed">
          No system yet: add systems in the <AnchorLink to="/systems">inventory</AnchorLink>.
        </Text>
      ) : null}
      {systems.isSuccess && systems.data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={600}>
          <Table verticalSpacing="sm" fz="sm" aria-label="Systems for support access">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">System</Table.Th>
                <Table.Th scope="col">Grants by</Table.Th>
                <Table.Th scope="col">Customers mapped</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {systems.data.items.map((s) => (
                <Table.Tr key={s.system.id}>
                  <Table.Td>
                    {s.system.name}
                    {s.system.holdsCustomerData ? (
                      <Badge ml="xs" size="xs" variant="light">
                        Customer data
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    {s.mode === 'postgresql'
                      ? `PostgreSQL role (grant user ${s.postgres?.user ?? ''})`
                      : s.mode === 'webhook'
                        ? `Webhook ${s.webhook?.url ?? ''}`
                        : 'Not configured'}
                  </Table.Td>
                  <Table.Td>{String(s.mappings.length)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => setEditing(s)}
                      aria-label={`Configure ${s.system.name}`}
                    >
                      Configure
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Card>
  );
}

function RuleModal({
  opened,
  rule,
  onClose,
}: {
  opened: boolean;
  rule: SupportAccessRule | null;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={rule ? 'Edit the on-call rule' : 'Add an on-call rule'}
    >
      {opened ? <RuleForm key={rule?.id ?? 'new'} rule={rule} onClose={onClose} /> : null}
    </Modal>
  );
}

function RuleForm({ rule, onClose }: { rule: SupportAccessRule | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const users = useQuery({
    queryKey: ['users', 'list'],
    queryFn: ({ signal }) => call(endpoints.listUsers, { signal }),
  });
  const systems = useQuery(supportSystemsQuery);
  const [name, setName] = useState(rule?.name ?? '');
  const [userIds, setUserIds] = useState<string[]>(rule?.users.map((u) => u.id) ?? []);
  const [systemIds, setSystemIds] = useState<string[]>(rule?.systems.map((s) => s.id) ?? []);
  const [maxLevel, setMaxLevel] = useState<'read' | 'write'>(rule?.maxLevel ?? 'read');
  const [maxMinutes, setMaxMinutes] = useState<number | string>(rule?.maxDurationMinutes ?? 60);
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const { formError: error, fieldErrors, clearErrors, showErrors } = useFormErrors(true);
  const body = {
    name,
    userIds,
    systemIds,
    maxLevel,
    maxDurationMinutes: Number(maxMinutes),
    enabled,
  };
  const save = useMutation({
    mutationFn: () =>
      rule
        ? call(endpoints.updateSupportAccessRule, { params: { id: rule.id }, body })
        : call(endpoints.createSupportAccessRule, { body }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'On-call rule saved' });
      await invalidateSupportAccess(queryClient);
      onClose();
    },
    onError: showErrors,
  });
  return (
    <FormFrame
      onSubmit={() => {
        clearErrors();
        save.mutate();
      }}
      error={error}
      onCancel={onClose}
      submitLabel="Save rule"
      isPending={save.isPending}
    >
      <TextInput
        label="Name"
        required
        value={name}
        error={fieldErrors.name}
        onChange={(event) => setName(event.currentTarget.value)}
      />
      <MultiSelect
        label="People on call"
        searchable
        value={userIds}
        error={fieldErrors.userIds ?? fieldErrors['userIds.0']}
        onChange={setUserIds}
        data={(users.data?.items ?? [])
          .filter((u) => u.status === 'active')
          .map((u) => ({ value: u.id, label: `${u.name} (${u.email})` }))}
      />
      <MultiSelect
        label="Systems"
        description="None chosen: any system"
        searchable
        value={systemIds}
        onChange={setSystemIds}
        data={(systems.data?.items ?? []).map((s) => ({
          value: s.system.id,
          label: s.system.name,
        }))}
      />
      <NativeSelect
        label="Highest level"
        value={maxLevel}
        onChange={(event) => setMaxLevel(event.currentTarget.value === 'write' ? 'write' : 'read')}
        data={[
          { value: 'read', label: 'Read' },
          { value: 'write', label: 'Write' },
        ]}
      />
      <NumberInput
        label="Longest duration (minutes)"
        min={1}
        max={1440}
        allowDecimal={false}
        value={maxMinutes}
        error={fieldErrors.maxDurationMinutes}
        onChange={setMaxMinutes}
      />
      <Switch
        label="Enabled"
        checked={enabled}
        onChange={(event) => setEnabled(event.currentTarget.checked)}
      />
    </FormFrame>
  );
}

function RulesCard() {
  const queryClient = useQueryClient();
  const rules = useQuery(rulesQuery);
  const [editing, setEditing] = useState<SupportAccessRule | null>(null);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<SupportAccessRule | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => call(endpoints.deleteSupportAccessRule, { params: { id } }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'On-call rule removed' });
      await invalidateSupportAccess(queryClient);
      setDeleting(null);
    },
  });
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h3">
          On-call rules
        </Title>
        <Button variant="default" onClick={() => setAdding(true)}>
          Add an on-call rule
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        Requests by these people, on these systems, up to this level and duration are approved at
        once, and the audit log records the rule that approved them.
      </Text>
      <RuleModal
        opened={adding || editing !== null}
        rule={editing}
        onClose={() => {
          setAdding(false);
          setEditing(null);
        }}
      />
      <ConfirmModal
        opened={deleting !== null}
        title="Remove the on-call rule"
        confirmLabel="Remove"
        isPending={remove.isPending}
        error={remove.error ? describeError(remove.error) : null}
        onConfirm={() => {
          if (deleting) remove.mutate(deleting.id);
        }}
        onClose={() => setDeleting(null)}
      >
        Requests it approved keep its name in their record.
      </ConfirmModal>
      {rules.isPending ? <LoadingBlock label="Loading on-call rules" /> : null}
      {rules.isError ? (
        <QueryError error={rules.error} title="Could not load on-call rules" />
      ) : null}
      {rules.isSuccess && rules.data.items.length === 0 ? (
        <Text c="dimmed">No on-call rule: every request waits for an approver.</Text>
      ) : null}
      {rules.isSuccess && rules.data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={600}>
          <Table verticalSpacing="sm" fz="sm" aria-label="On-call rules">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Rule</Table.Th>
                <Table.Th scope="col">People</Table.Th>
                <Table.Th scope="col">Systems</Table.Th>
                <Table.Th scope="col">Up to</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.data.items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    {r.name}
                    {r.enabled ? null : (
                      <Badge ml="xs" size="xs" color="gray">
                        Disabled
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{r.users.map((u) => u.name).join(', ')}</Table.Td>
                  <Table.Td>
                    {r.systems.length === 0
                      ? 'Any system'
                      : r.systems.map((s) => s.name).join(', ')}
                  </Table.Td>
                  <Table.Td>
                    {r.maxLevel === 'write' ? 'Write' : 'Read'},{' '}
                    {formatMinutes(r.maxDurationMinutes)}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <Button size="xs" variant="default" onClick={() => setEditing(r)}>
                        Edit
                      </Button>
                      <Button size="xs" color="red" variant="light" onClick={() => setDeleting(r)}>
                        Remove
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Card>
  );
}

/** Support access settings: window limits, how each system grants, on-call rules. */
export function SupportAccessSettingsPage() {
  return (
    <RequirePermission permission="systems.manage" title="Support access settings">
      <PageHeader
        title="Support access settings"
        description="How long access may last, how each system grants it, where each customer's data lives, and who is pre-approved while on call."
        actions={<AnchorLink to="/support-access">Back to support access</AnchorLink>}
      />
      <Stack>
        <LimitsCard />
        <SystemsCard />
        <RulesCard />
      </Stack>
    </RequirePermission>
  );
}
