import { Alert, Anchor } from '@mantine/core';
import type { Permission } from '@steward/contracts';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useCan } from '../app/me-context.tsx';
import { PageHeader } from './page-header.tsx';

interface RequirePermissionProps {
  permission: Permission;
  title: string;
  children: ReactNode;
}

/** Render the page only for people holding the permission; others learn why they cannot. */
export function RequirePermission({ permission, title, children }: RequirePermissionProps) {
  const isAllowed = useCan(permission);
  if (isAllowed) return children;
  return (
    <>
      <PageHeader title={title} />
      <Alert color="yellow" title="You do not have access to this page">
        Your role does not include the <code>{permission}</code> permission. Ask an administrator if
        you need it.{' '}
        <Anchor component={Link} to="/">
          Back to the overview
        </Anchor>
      </Alert>
    </>
  );
}
