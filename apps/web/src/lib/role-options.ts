import type { Permission, roleInfoSchema } from '@steward/contracts';
import type { z } from 'zod';
import { formatRole } from './format.ts';

type RoleInfo = z.output<typeof roleInfoSchema>;

/** Whether granting a role stays within what the granter holds, judged by `me.permissions`. */
export function isRoleGrantable(role: RoleInfo, myPermissions: readonly Permission[]): boolean {
  return role.permissions.every((permission) => myPermissions.includes(permission));
}

/** Options for a role picker: each role with its description; roles above yours are disabled. */
export function toRoleOptions(roles: readonly RoleInfo[], myPermissions: readonly Permission[]) {
  return roles.map((role) => {
    const isGrantable = isRoleGrantable(role, myPermissions);
    const suffix = isGrantable ? '' : ' (above your own access)';
    return {
      value: role.role,
      label: `${formatRole(role.role)} — ${role.description}${suffix}`,
      disabled: !isGrantable,
    };
  });
}
