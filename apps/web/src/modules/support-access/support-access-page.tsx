import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  endpoints,
  supportAccessStatuses,
  type SupportAccessRequest,
  type SupportAccessStatus,
} from '@steward/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import type { z } from 'zod';
import type { supportAccessCredentialSchema } from '@steward/contracts';
import { useCan, useMe } from '../../app/me-context.tsx';
import { DateTime } from '../../components/date-time.tsx';
import { FormModal } from '../../components/form-frame.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AnchorLink, ButtonLink } from '../../components/router-links.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import {
  customersQuery,
  fieldErrorsOf,
  formatMinutes,
  formatRemaining,
  invalidateSupportAccess,
  requestsQuery,
  supportSettingsQuery,
  supportSystemsQuery,
} from './support-access-queries.ts';
import { useFormErrors } from './use-form-errors.ts';

type Credential = z.output<typeof supportAccessCredentialSchema>;

const statusColours: Record<SupportAccessStatus, string> = {
  pending: 'yellow',
  approved: 'blue',
  active: 'green',
  expired: 'gray',
  released: 'gray',
  revoked: 'orange',
  denied: 'red',
  cancelled: 'gray',
  failed: 'red',
};

const statusLabels: Record<SupportAccessStatus, string> = {
  pending: 'Pending approval',
  approved: 'Approved, granting',
  active: 'Active',
  expired: 'Expired',
  released: 'Released',
  revoked: 'Revoked',
  denied: 'Denied',
  cancelled: 'Cancelled',
  failed: 'Grant failed',
};

/** A request's state in words and colour. */
export function RequestStatusBadge({ status }: { status: SupportAccessStatus }) {
  return <Badge color={statusColours[status]}>{statusLabels[status]}</Badge>;
}

/** The current time, refreshed every second while mounted. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/** Time left in a live window, counting down. */
function TimeLeft({ expiresAt }: { expiresAt: string | null }) {
  const now = useNow();
  if (!expiresAt)
    return (
      <Text span c="dimmed" size="sm">
        —
      </Text>
    );
  const left = formatRemaining(expiresAt, now);
  return left ? (
    <Text span size="sm" aria-label={`Time left: ${left}`}>
      {left}
    </Text>
  ) : (
    <Text span c="dimmed" size="sm">
      Ending…
    </Text>
  );
}

function RequestForm({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const customers = useQuery({ ...customersQuery, enabled: opened });
  const systems = useQuery({ ...supportSystemsQuery, enabled: opened });
  const settings = useQuery({ ...supportSettingsQuery, enabled: opened });
  const [customerId, setCustomerId] = useState('');
  const [systemId, setSystemId] = useState('');
  const [level, setLevel] = useState<'read' | 'write'>('read');
  const [duration, setDuration] = useState<number | string>('');
  const [ticketRef, setTicketRef] = useState('');
  const [reason, setReason] = useState('');
  const { formError, fieldErrors, clearErrors, showErrors } = useFormErrors(false);
  const submit = useMutation({
    mutationFn: () =>
      call(endpoints.createSupportAccessRequest, {
        body: {
          customerId,
          systemId,
          level,
          ticketRef,
          reason,
          ...(typeof duration === 'number' ? { durationMinutes: duration } : {}),
        },
      }),
    onSuccess: async (request) => {
      notifications.show({
        color: 'green',
        message:
          request.status === 'pending'
            ? 'Request sent for approval'
            : `Request ${statusLabels[request.status].toLowerCase()}`,
      });
      await invalidateSupportAccess(queryClient);
      setTicketRef('');
      setReason('');
      onClose();
    },
    onError: showErrors,
  });
  const configured = (systems.data?.items ?? []).filter((s) => s.mode !== null);
  const max = settings.data?.maxDurationMinutes;
  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title="Request support access"
      onSubmit={() => {
        clearErrors();
        submit.mutate();
      }}
      error={formError}
      submitLabel="Submit request"
      isPending={submit.isPending}
    >
      <NativeSelect
        label="Customer"
        required
        value={customerId}
        error={fieldErrors.customerId}
        onChange={(event) => setCustomerId(event.currentTarget.value)}
        data={[
          { value: '', label: 'Choose a customer' },
          ...(customers.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
        ]}
      />
      <NativeSelect
        label="System"
        required
        value={systemId}
        error={fieldErrors.systemId}
        description={
          systems.isSuccess && configured.length === 0
            ? 'No system is configured for support access yet'
            : undefined
        }
        onChange={(event) => setSystemId(event.currentTarget.value)}
        data={[
          { value: '', label: 'Choose a system' },
          ...configured.map((s) => ({ value: s.system.id, label: s.system.name })),
        ]}
      />
      <NativeSelect
        label="Level"
        value={level}
        error={fieldErrors.level}
        onChange={(event) => setLevel(event.currentTarget.value === 'write' ? 'write' : 'read')}
        data={[
          { value: 'read', label: 'Read' },
          { value: 'write', label: 'Write' },
        ]}
      />
      <NumberInput
        label="Duration (minutes)"
        description={
          settings.data
            ? `Default ${formatMinutes(settings.data.defaultDurationMinutes)}, at most ${formatMinutes(settings.data.maxDurationMinutes)}`
            : undefined
        }
        min={1}
        {...(max === undefined ? {} : { max })}
        allowDecimal={false}
        value={duration}
        error={fieldErrors.durationMinutes}
        onChange={setDuration}
      />
      <TextInput
        label="Ticket reference"
        required
        value={ticketRef}
        error={fieldErrors.ticketRef}
        onChange={(event) => setTicketRef(event.currentTarget.value)}
      />
      <Textarea
        label="Reason"
        required
        autosize
        minRows={2}
        value={reason}
        error={fieldErrors.reason}
        onChange={(event) => setReason(event.currentTarget.value)}
      />
    </FormModal>
  );
}

function DenyModal({
  request,
  onClose,
}: {
  request: SupportAccessRequest | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const deny = useMutation({
    mutationFn: (id: string) =>
      call(endpoints.denySupportAccessRequest, { params: { id }, body: { reason } }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Request denied' });
      await invalidateSupportAccess(queryClient);
      setReason('');
      onClose();
    },
    onError: (e) => setError(fieldErrorsOf(e).reason ?? describeError(e)),
  });
  return (
    <Modal opened={request !== null} onClose={onClose} title="Deny the request">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setError(null);
          if (request) deny.mutate(request.id);
        }}
      >
        <Stack>
          {request ? (
            <Text size="sm">
              {request.requester.name} asked for {request.level} access to {request.customer.name}{' '}
              on {request.system.name} ({request.ticketRef}).
            </Text>
          ) : null}
          <Textarea
            label="Reason for denial"
            required
            value={reason}
            error={error}
            onChange={(event) => setReason(event.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={deny.isPending}>
              Deny
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function CredentialField({ label, value }: { label: string; value: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-end">
      <TextInput label={label} value={value} readOnly style={{ flex: 1 }} />
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Button variant="default" onClick={copy} aria-label={`Copy ${label.toLowerCase()}`}>
            {copied ? 'Copied' : 'Copy'}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}

function CredentialModal({
  credential,
  onClose,
}: {
  credential: Credential | null;
  onClose: () => void;
}) {
  return (
    <Modal opened={credential !== null} onClose={onClose} title="Your credential" size="lg">
      {credential ? (
        <Stack>
          <Alert color="yellow" title="Shown once">
            Steward does not keep this credential: copy it now. It stops working when the access
            ends
            {credential.expiresAt ? (
              <>
                {' '}
                (<DateTime value={credential.expiresAt} precise />)
              </>
            ) : null}
            .
          </Alert>
          {credential.host ? (
            <CredentialField
              label="Host"
              value={`${credential.host}:${String(credential.port ?? 5432)}`}
            />
          ) : null}
          {credential.database ? (
            <CredentialField label="Database" value={credential.database} />
          ) : null}
          {credential.username ? (
            <CredentialField label="Username" value={credential.username} />
          ) : null}
          {credential.password ? (
            <CredentialField label="Password" value={credential.password} />
          ) : null}
          {Object.entries(credential.details).map(([key, value]) => (
            <CredentialField key={key} label={key} value={value} />
          ))}
          {credential.host && credential.username ? (
            <Text size="sm">
              Connect with{' '}
              <Code>
                psql -h {credential.host} -p {String(credential.port ?? 5432)} -U{' '}
                {credential.username} {credential.database}
              </Code>
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied it</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}

type Column = 'requester' | 'timeLeft' | 'decision';

function RequestsTable({
  caption,
  items,
  columns,
  actions,
}: {
  caption: string;
  items: SupportAccessRequest[];
  columns: readonly Column[];
  actions: (r: SupportAccessRequest) => ReactNode;
}) {
  if (items.length === 0) return <Text c="dimmed">Nothing here.</Text>;
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped verticalSpacing="sm" fz="sm" aria-label={caption}>
        <Table.Thead>
          <Table.Tr>
            {columns.includes('requester') ? <Table.Th scope="col">Requester</Table.Th> : null}
            <Table.Th scope="col">Customer</Table.Th>
            <Table.Th scope="col">System</Table.Th>
            <Table.Th scope="col">Level</Table.Th>
            <Table.Th scope="col">Ticket and reason</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            {columns.includes('timeLeft') ? <Table.Th scope="col">Time left</Table.Th> : null}
            {columns.includes('decision') ? <Table.Th scope="col">Decided by</Table.Th> : null}
            <Table.Th scope="col">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((r) => (
            <Table.Tr key={r.id}>
              {columns.includes('requester') ? (
                <Table.Td>
                  {r.requester.name}
                  <Text size="xs" c="dimmed">
                    {r.requester.email}
                  </Text>
                </Table.Td>
              ) : null}
              <Table.Td>
                <AnchorLink to="/customers/$customerId" params={{ customerId: r.customer.id }}>
                  {r.customer.name}
                </AnchorLink>
              </Table.Td>
              <Table.Td>{r.system.name}</Table.Td>
              <Table.Td>
                {r.level === 'write' ? 'Write' : 'Read'}, {formatMinutes(r.durationMinutes)}
              </Table.Td>
              <Table.Td>
                <AnchorLink
                  to="/support-access/requests/$requestId"
                  params={{ requestId: r.id }}
                  fw={500}
                  size="sm"
                >
                  {r.ticketRef}
                </AnchorLink>
                <Text size="xs" c="dimmed" lineClamp={2}>
                  {r.reason}
                </Text>
              </Table.Td>
              <Table.Td>
                <RequestStatusBadge status={r.status} />
                {r.grantError ? (
                  <Text size="xs" c="red">
                    {r.grantError}
                  </Text>
                ) : null}
                {r.revokeError ? (
                  <Text size="xs" c="red">
                    Not yet removed from the system: {r.revokeError}
                  </Text>
                ) : null}
              </Table.Td>
              {columns.includes('timeLeft') ? (
                <Table.Td>
                  {r.status === 'active' || r.status === 'approved' ? (
                    <TimeLeft expiresAt={r.expiresAt} />
                  ) : (
                    <Text span c="dimmed" size="sm">
                      —
                    </Text>
                  )}
                </Table.Td>
              ) : null}
              {columns.includes('decision') ? (
                <Table.Td>
                  {r.decidedBy ?? (
                    <Text span c="dimmed" size="sm">
                      —
                    </Text>
                  )}
                  {r.decisionReason ? (
                    <Text size="xs" c="dimmed">
                      {r.decisionReason}
                    </Text>
                  ) : null}
                </Table.Td>
              ) : null}
              <Table.Td>
                <Group gap="xs">{actions(r)}</Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function useRequestActions() {
  const queryClient = useQueryClient();
  const [credential, setCredential] = useState<Credential | null>(null);
  const onError = (error: unknown) =>
    notifications.show({ color: 'red', message: describeError(error) });
  const refresh = () => invalidateSupportAccess(queryClient);
  const approve = useMutation({
    mutationFn: (id: string) => call(endpoints.approveSupportAccessRequest, { params: { id } }),
    onSuccess: async (r) => {
      notifications.show({
        color: r.status === 'failed' ? 'red' : 'green',
        message: r.status === 'failed' ? `Grant failed: ${r.grantError ?? ''}` : 'Request approved',
      });
      await refresh();
    },
    onError,
  });
  const cancel = useMutation({
    mutationFn: (id: string) => call(endpoints.cancelSupportAccessRequest, { params: { id } }),
    onSuccess: refresh,
    onError,
  });
  const release = useMutation({
    mutationFn: (id: string) =>
      call(endpoints.releaseSupportAccessRequest, { params: { id }, body: {} }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Access ended and revoked' });
      await refresh();
    },
    onError,
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      call(endpoints.revokeSupportAccessRequest, { params: { id }, body: {} }),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Access revoked' });
      await refresh();
    },
    onError,
  });
  const reveal = useMutation({
    mutationFn: (id: string) => call(endpoints.revealSupportAccessCredential, { params: { id } }),
    onSuccess: async (c) => {
      setCredential(c);
      await refresh();
    },
    onError,
  });
  return { approve, cancel, release, revoke, reveal, credential, setCredential };
}

/** Support access: request access, the approver's queue, active grants, and history. */
export function SupportAccessPage() {
  return (
    <RequirePermission permission="systems.read" title="Support access">
      <SupportAccessContent />
    </RequirePermission>
  );
}

function SupportAccessContent() {
  const me = useMe();
  const canApprove = useCan('systems.manage');
  const [requesting, setRequesting] = useState(false);
  const [denying, setDenying] = useState<SupportAccessRequest | null>(null);
  const [tab, setTab] = useState<string | null>('mine');
  const [status, setStatus] = useState('');
  const [customerId, setCustomerId] = useState('');
  const mine = useQuery({ ...requestsQuery({ mine: 'true' }), refetchInterval: 15_000 });
  const queue = useQuery({
    ...requestsQuery({ stage: 'pending' }),
    enabled: canApprove,
    refetchInterval: 15_000,
  });
  const live = useQuery({ ...requestsQuery({ stage: 'live' }), refetchInterval: 15_000 });
  const failed = useQuery({ ...requestsQuery({ status: 'failed' }), enabled: canApprove });
  const all = useQuery({
    ...requestsQuery({
      ...(status ? { status: status as SupportAccessStatus } : {}),
      ...(customerId ? { customerId } : {}),
    }),
    enabled: tab === 'all',
  });
  const customers = useQuery({ ...customersQuery, enabled: tab === 'all' });
  const actions = useRequestActions();
  const busy = (id: string) =>
    [actions.approve, actions.cancel, actions.release, actions.revoke, actions.reveal].some(
      (m) => m.isPending && m.variables === id,
    );

  const mineActions = (r: SupportAccessRequest) => (
    <>
      {r.credentialAvailable ? (
        <Button size="xs" onClick={() => actions.reveal.mutate(r.id)} loading={busy(r.id)}>
          Reveal credential
        </Button>
      ) : null}
      {r.status === 'active' || r.status === 'approved' ? (
        <Button
          size="xs"
          variant="default"
          onClick={() => actions.release.mutate(r.id)}
          loading={busy(r.id)}
        >
          End access now
        </Button>
      ) : null}
      {r.status === 'pending' ? (
        <Button
          size="xs"
          variant="default"
          onClick={() => actions.cancel.mutate(r.id)}
          loading={busy(r.id)}
        >
          Withdraw
        </Button>
      ) : null}
    </>
  );
  const queueActions = (r: SupportAccessRequest) =>
    r.requester.id === me.user.id ? (
      <Text size="xs" c="dimmed">
        Your own request: another approver decides
      </Text>
    ) : (
      <>
        <Button
          size="xs"
          color="green"
          onClick={() => actions.approve.mutate(r.id)}
          loading={busy(r.id)}
          aria-label={`Approve ${r.ticketRef}`}
        >
          Approve
        </Button>
        <Button
          size="xs"
          color="red"
          variant="light"
          onClick={() => setDenying(r)}
          aria-label={`Deny ${r.ticketRef}`}
        >
          Deny
        </Button>
      </>
    );
  const liveActions = (r: SupportAccessRequest) =>
    r.requester.id === me.user.id ? (
      mineActions(r)
    ) : canApprove ? (
      <Button
        size="xs"
        color="red"
        variant="light"
        onClick={() => actions.revoke.mutate(r.id)}
        loading={busy(r.id)}
        aria-label={`Revoke ${r.ticketRef}`}
      >
        Revoke
      </Button>
    ) : null;

  const section = (
    query: {
      isPending: boolean;
      isError: boolean;
      error: unknown;
      refetch: () => unknown;
      data?: { items: SupportAccessRequest[] } | undefined;
    },
    render: (items: SupportAccessRequest[]) => ReactNode,
  ) => {
    if (query.isPending) return <LoadingBlock label="Loading requests" />;
    if (query.isError) {
      return (
        <QueryError
          error={query.error}
          title="Could not load requests"
          onRetry={() => void query.refetch()}
        />
      );
    }
    return render(query.data?.items ?? []);
  };

  return (
    <>
      <PageHeader
        title="Support access"
        description="Just-in-time access to a customer's data: requested with a ticket, approved by someone else, granted for a limited time and revoked automatically. Every step is audited."
        actions={
          <>
            {canApprove ? (
              <ButtonLink to="/settings/support-access" variant="default">
                Settings
              </ButtonLink>
            ) : null}
            <Button onClick={() => setRequesting(true)}>Request access</Button>
          </>
        }
      />
      <RequestForm opened={requesting} onClose={() => setRequesting(false)} />
      <DenyModal request={denying} onClose={() => setDenying(null)} />
      <CredentialModal
        credential={actions.credential}
        onClose={() => actions.setCredential(null)}
      />
      {canApprove && (failed.data?.items.length ?? 0) > 0 ? (
        <Alert color="red" title="Grants that failed" mb="md">
          {String(failed.data?.items.length ?? 0)} approved request(s) were not granted by their
          system; see "All requests" filtered by "Grant failed".
        </Alert>
      ) : null}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="mine">My requests</Tabs.Tab>
          {canApprove ? (
            <Tabs.Tab
              value="queue"
              rightSection={
                (queue.data?.items.length ?? 0) > 0 ? (
                  <Badge size="sm" circle>
                    {String(queue.data?.items.length ?? 0)}
                  </Badge>
                ) : null
              }
            >
              Approval queue
            </Tabs.Tab>
          ) : null}
          <Tabs.Tab value="live">Active grants</Tabs.Tab>
          <Tabs.Tab value="all">All requests</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="mine">
          {section(mine, (items) => (
            <RequestsTable
              caption="My requests"
              items={items}
              columns={['timeLeft', 'decision']}
              actions={mineActions}
            />
          ))}
        </Tabs.Panel>
        {canApprove ? (
          <Tabs.Panel value="queue">
            {section(queue, (items) => (
              <RequestsTable
                caption="Approval queue"
                items={items}
                columns={['requester']}
                actions={queueActions}
              />
            ))}
          </Tabs.Panel>
        ) : null}
        <Tabs.Panel value="live">
          {section(live, (items) => (
            <RequestsTable
              caption="Active grants"
              items={items}
              columns={['requester', 'timeLeft', 'decision']}
              actions={liveActions}
            />
          ))}
        </Tabs.Panel>
        <Tabs.Panel value="all">
          <Group mb="md" align="flex-end">
            <NativeSelect
              label="Status"
              value={status}
              onChange={(event) => setStatus(event.currentTarget.value)}
              data={[
                { value: '', label: 'Any status' },
                ...supportAccessStatuses.map((s) => ({ value: s, label: statusLabels[s] })),
              ]}
            />
            <NativeSelect
              label="Customer"
              value={customerId}
              onChange={(event) => setCustomerId(event.currentTarget.value)}
              data={[
                { value: '', label: 'Any customer' },
                ...(customers.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
              ]}
            />
          </Group>
          {section(all, (items) => (
            <RequestsTable
              caption="All requests"
              items={items}
              columns={['requester', 'decision']}
              actions={(r) =>
                r.status === 'active' || r.status === 'approved' ? liveActions(r) : null
              }
            />
          ))}
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
