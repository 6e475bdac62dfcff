import { Badge, Group } from '@mantine/core';
import type { AccountFlag, AccountStatus } from '@steward/contracts';

/** Words and colour of each account flag. */
export const flagLooks: Record<AccountFlag, { label: string; color: string }> = {
  orphaned: { label: 'Orphaned', color: 'red' },
  shared: { label: 'Shared or generic', color: 'orange' },
  privileged_without_mfa: { label: 'Privileged without MFA', color: 'red' },
  dormant: { label: 'Dormant', color: 'yellow' },
  excess: { label: 'Excess access', color: 'grape' },
};

const statusColors: Record<AccountStatus, string> = {
  active: 'green',
  disabled: 'gray',
  removed: 'dark',
};

/** An account's status as a badge. */
export function AccountStatusBadge({ status }: { status: AccountStatus }) {
  return (
    <Badge color={statusColors[status]} variant="light">
      {status}
    </Badge>
  );
}

/** An account's flags as badges; "None" when clean. */
export function AccountFlagBadges({ flags }: { flags: readonly AccountFlag[] }) {
  if (flags.length === 0) return <span>None</span>;
  return (
    <Group gap={4}>
      {flags.map((flag) => (
        <Badge key={flag} color={flagLooks[flag].color} variant="light">
          {flagLooks[flag].label}
        </Badge>
      ))}
    </Group>
  );
}
