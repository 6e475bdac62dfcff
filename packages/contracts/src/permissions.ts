import { z } from 'zod';

/** Every permission in Steward, each a dotted key `<area>.<verb>`. */
export const permissions = [
  'org.read',
  'org.manage',
  'users.read',
  'users.manage',
  'tokens.create',
  'audit.read',
  'program.read',
  'program.manage',
  'evidence.submit',
  'findings.read',
  'findings.manage',
  'findings.import',
  'findings.accept_risk',
  'people.read',
  'people.manage',
  'policies.read',
  'policies.manage',
  'policies.approve',
  'risks.read',
  'risks.manage',
  'risks.approve',
  'training.manage',
  'screening.manage',
  'systems.read',
  'systems.manage',
] as const;

/** A permission key. */
export type Permission = (typeof permissions)[number];

/** Built-in roles, highest first. */
export const roles = [
  'owner',
  'admin',
  'security_manager',
  'contributor',
  'auditor',
  'employee',
] as const;

/** A built-in role. */
export type Role = (typeof roles)[number];

/** Zod schema of a role. */
export const roleSchema = z.enum(roles);

/** Human description of each role. */
export const roleDescriptions: Record<Role, string> = {
  owner: 'Full control, including organisation settings',
  admin: 'Manages users, tokens and the whole program',
  security_manager: 'Runs the security program day to day',
  contributor: 'Owns controls and tasks, attaches evidence',
  auditor: 'Read-only access, including evidence and the audit log',
  employee: 'Self-service only: own policies and training',
};

const all = [...permissions];

/** The permissions each role grants; the single source of authorization rules. */
export const rolePermissions: Record<Role, readonly Permission[]> = {
  owner: all,
  admin: all.filter((p) => p !== 'org.manage'),
  security_manager: [
    'org.read',
    'users.read',
    'tokens.create',
    'audit.read',
    'program.read',
    'program.manage',
    'evidence.submit',
    'findings.read',
    'findings.manage',
    'findings.import',
    'findings.accept_risk',
    'people.read',
    'people.manage',
    'policies.read',
    'policies.manage',
    'policies.approve',
    'risks.read',
    'risks.manage',
    'training.manage',
    'systems.read',
    'systems.manage',
  ],
  contributor: [
    'org.read',
    'users.read',
    'tokens.create',
    'program.read',
    'evidence.submit',
    'findings.read',
    'findings.import',
    'people.read',
    'policies.read',
    'risks.read',
    'systems.read',
  ],
  auditor: [
    'org.read',
    'users.read',
    'audit.read',
    'program.read',
    'findings.read',
    'people.read',
    'policies.read',
    'risks.read',
    'systems.read',
  ],
  employee: [],
};

/** Whether a role grants a permission. */
export function roleHasPermission(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

/** Whether everything `inner` grants is also granted by `outer` (a grant never exceeds its grantor). */
export function isRoleWithin(inner: Role, outer: Role): boolean {
  if (outer === 'owner') return true;
  if (inner === 'owner') return false;
  return rolePermissions[inner].every((p) => rolePermissions[outer].includes(p));
}
