import type { Permission } from '@steward/contracts';

/** What each permission lets a person do, in words. */
export const permissionLabels: Record<Permission, string> = {
  'org.read': 'See the organisation and its settings',
  'org.manage': 'Change organisation settings',
  'users.read': 'See users and roles',
  'users.manage': 'Add users, change their roles, enable or disable them',
  'tokens.create': 'Create and revoke your own API tokens',
  'audit.read': 'Read the audit log',
};
