import { Button, Group } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useCan } from '../../app/me-context.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RequirePermission } from '../../components/require-permission.tsx';
import { AddUserModal } from './add-user-modal.tsx';
import { InviteUserModal } from './invite-user-modal.tsx';
import { PendingInvitations } from './pending-invitations.tsx';
import { RolesSection } from './roles-section.tsx';
import { UsersTable } from './users-table.tsx';

function UsersContent() {
  const canManage = useCan('users.manage');
  const [isAddOpen, { open: openAdd, close: closeAdd }] = useDisclosure(false);
  const [isInviteOpen, { open: openInvite, close: closeInvite }] = useDisclosure(false);

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who can sign in to Steward, with their role and status."
        actions={
          canManage ? (
            <Group gap="sm">
              <Button onClick={openInvite}>Invite user</Button>
              <Button variant="default" onClick={openAdd}>
                Add user
              </Button>
            </Group>
          ) : null
        }
      />
      <UsersTable canManage={canManage} />
      {canManage ? <PendingInvitations /> : null}
      <RolesSection />
      {canManage ? <AddUserModal opened={isAddOpen} onClose={closeAdd} /> : null}
      {canManage ? <InviteUserModal opened={isInviteOpen} onClose={closeInvite} /> : null}
    </>
  );
}

/** `/settings/users`: the user list, user management and the role reference. */
export function UsersPage() {
  return (
    <RequirePermission permission="users.read" title="Users">
      <UsersContent />
    </RequirePermission>
  );
}
