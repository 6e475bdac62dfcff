import {
  ActionIcon,
  Button,
  Group,
  Modal,
  NativeSelect,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  endpoints,
  entitlementKinds,
  type AccessProfile,
  type EntitlementKind,
} from '@steward/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../app/me-context.tsx';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { FormAlert } from '../../components/form-alert.tsx';
import { FormActions } from '../../components/form-frame.tsx';
import { LoadingBlock } from '../../components/loading-block.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryError } from '../../components/query-error.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { call } from '../../lib/api-client.ts';
import { describeError } from '../../lib/form-errors.ts';
import { invalidateSystems, systemsKey, systemsQuery } from './systems-queries.ts';

const profilesQuery = queryOptions({
  queryKey: [systemsKey, 'profiles'],
  queryFn: ({ signal }) => call(endpoints.listAccessProfiles, { signal }),
});

interface GrantRow {
  systemId: string;
  kind: EntitlementKind;
  name: string;
}

function ProfileModal({
  profile,
  opened,
  onClose,
}: {
  profile?: AccessProfile;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const systems = useQuery(systemsQuery());
  const [name, setName] = useState(profile?.name ?? '');
  const [description, setDescription] = useState(profile?.description ?? '');
  const [department, setDepartment] = useState(profile?.matchDepartment ?? '');
  const [title, setTitle] = useState(profile?.matchTitle ?? '');
  const [grants, setGrants] = useState<GrantRow[]>(
    profile?.entitlements.map((e) => ({ systemId: e.systemId, kind: e.kind, name: e.name })) ?? [],
  );
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name,
        description,
        matchDepartment: department,
        matchTitle: title,
        personIds: profile?.people.map((p) => p.id) ?? [],
        entitlements: grants.filter((g) => g.systemId && g.name.trim()),
      };
      return profile
        ? call(endpoints.updateAccessProfile, { params: { id: profile.id }, body })
        : call(endpoints.createAccessProfile, { body });
    },
    onSuccess: async () => {
      notifications.show({ color: 'green', message: 'Role profile saved' });
      await invalidateSystems(queryClient);
      onClose();
    },
    onError: (e) => setError(describeError(e)),
  });
  const systemOptions = [
    { value: '', label: 'Choose a system' },
    ...(systems.data?.items ?? []).map((s) => ({ value: s.id, label: s.name })),
  ];
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={profile ? 'Edit role profile' : 'New role profile'}
      size="lg"
    >
      <Stack>
        <FormAlert message={error} />
        <TextInput
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <Textarea
          label="Description"
          autosize
          minRows={2}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        <Group grow>
          <TextInput
            label="Department"
            description="People of this department hold the profile"
            value={department}
            onChange={(e) => setDepartment(e.currentTarget.value)}
          />
          <TextInput
            label="Title"
            description="Only people with this title, when set"
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
        </Group>
        <Text fw={500}>Allowed entitlements</Text>
        {grants.map((g, index) => (
          <Group key={index} align="flex-end" wrap="wrap">
            <NativeSelect
              label={`System ${String(index + 1)}`}
              data={systemOptions}
              value={g.systemId}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setGrants((list) =>
                  list.map((x, i) => (i === index ? { ...x, systemId: value } : x)),
                );
              }}
            />
            <NativeSelect
              label={`Kind ${String(index + 1)}`}
              data={entitlementKinds.map((k) => ({ value: k, label: k }))}
              value={g.kind}
              onChange={(e) => {
                const value = e.currentTarget.value as EntitlementKind;
                setGrants((list) => list.map((x, i) => (i === index ? { ...x, kind: value } : x)));
              }}
            />
            <TextInput
              label={`Entitlement ${String(index + 1)}`}
              value={g.name}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setGrants((list) => list.map((x, i) => (i === index ? { ...x, name: value } : x)));
              }}
            />
            <ActionIcon
              variant="default"
              size="lg"
              aria-label={`Remove entitlement ${String(index + 1)}`}
              onClick={() => setGrants((list) => list.filter((_, i) => i !== index))}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            variant="default"
            onClick={() => setGrants((list) => [...list, { systemId: '', kind: 'role', name: '' }])}
          >
            Add an entitlement
          </Button>
        </Group>
        <FormActions
          onCancel={onClose}
          submitLabel="Save profile"
          isPending={save.isPending}
          onSubmit={() => save.mutate()}
        />
      </Stack>
    </Modal>
  );
}

function ProfilesContent() {
  const canManage = useCan('systems.manage');
  const queryClient = useQueryClient();
  const profiles = useQuery(profilesQuery);
  const [editing, setEditing] = useState<AccessProfile | 'new' | null>(null);
  const [deleting, setDeleting] = useState<AccessProfile | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => call(endpoints.deleteAccessProfile, { params: { id } }),
    onSuccess: async () => {
      setDeleting(null);
      await invalidateSystems(queryClient);
    },
  });
  return (
    <>
      <PageHeader
        title="Role profiles"
        description="What each role allows on each system; entitlements outside a person's profiles are flagged as excess."
        actions={
          canManage ? <Button onClick={() => setEditing('new')}>New role profile</Button> : null
        }
      />
      {profiles.isPending ? <LoadingBlock label="Loading role profiles" /> : null}
      {profiles.isError ? (
        <QueryError error={profiles.error} title="Could not load role profiles" />
      ) : null}
      {profiles.isSuccess && profiles.data.items.length === 0 ? (
        <Text c="dimmed">No role profile yet: no account is flagged as excess.</Text>
      ) : null}
      {profiles.isSuccess && profiles.data.items.length > 0 ? (
        <ScrollArea>
          <Table striped miw={600} aria-label="Role profiles">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Profile</Table.Th>
                <Table.Th scope="col">Held by</Table.Th>
                <Table.Th scope="col">Allowed entitlements</Table.Th>
                {canManage ? <Table.Th scope="col">Actions</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {profiles.data.items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td>
                    {[
                      p.matchDepartment
                        ? `Department ${p.matchDepartment}${p.matchTitle ? `, title ${p.matchTitle}` : ''}`
                        : '',
                      p.people.length > 0 ? `${String(p.people.length)} people assigned` : '',
                    ]
                      .filter(Boolean)
                      .join('; ') || 'Nobody yet'}
                  </Table.Td>
                  <Table.Td>
                    {p.entitlements.map((e) => `${e.systemName}: ${e.kind} ${e.name}`).join(', ') ||
                      'None'}
                  </Table.Td>
                  {canManage ? (
                    <Table.Td>
                      <Group gap="xs">
                        <Button size="xs" variant="default" onClick={() => setEditing(p)}>
                          Edit
                        </Button>
                        <Button
                          size="xs"
                          variant="default"
                          color="red"
                          onClick={() => setDeleting(p)}
                        >
                          Delete
                        </Button>
                      </Group>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      ) : null}
      {editing ? (
        <ProfileModal
          key={editing === 'new' ? 'new' : editing.id}
          profile={editing === 'new' ? undefined : editing}
          opened
          onClose={() => setEditing(null)}
        />
      ) : null}
      <ConfirmModal
        opened={deleting !== null}
        title="Delete this role profile?"
        confirmLabel="Delete"
        isPending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : null}
        onConfirm={() => {
          if (deleting) remove.mutate(deleting.id);
        }}
        onClose={() => setDeleting(null)}
      >
        Its entitlements will no longer count as allowed.
      </ConfirmModal>
    </>
  );
}

/** `/access-profiles`: role profiles with their allowed entitlements. */
export function AccessProfilesPage() {
  return (
    <RequirePermission permission="systems.read" title="Role profiles">
      <ProfilesContent />
    </RequirePermission>
  );
}
