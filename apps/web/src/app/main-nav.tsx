import { NavLink, Stack } from '@mantine/core';
import type { Permission } from '@steward/contracts';
import { Link, useLocation } from '@tanstack/react-router';
import { useMe } from './me-context.tsx';

interface NavEntry {
  label: string;
  to:
    | '/'
    | '/settings/users'
    | '/settings/tokens'
    | '/settings/security'
    | '/settings/org-security'
    | '/audit';
  permission?: Permission;
}

const navEntries: readonly NavEntry[] = [
  { label: 'Overview', to: '/' },
  { label: 'Users', to: '/settings/users', permission: 'users.read' },
  { label: 'API tokens', to: '/settings/tokens', permission: 'tokens.create' },
  { label: 'Audit log', to: '/audit', permission: 'audit.read' },
  { label: 'Security', to: '/settings/security' },
  { label: 'Security policy', to: '/settings/org-security', permission: 'org.manage' },
];

/** Navigation entries for the pages the signed-in person may open. */
export function MainNav({ onNavigate }: { onNavigate: () => void }) {
  const me = useMe();
  const { pathname } = useLocation();
  const visibleEntries = navEntries.filter(
    (entry) => !entry.permission || me.permissions.includes(entry.permission),
  );

  return (
    <Stack gap={4}>
      {visibleEntries.map((entry) => {
        const isActive = entry.to === '/' ? pathname === '/' : pathname.startsWith(entry.to);
        return (
          <NavLink
            key={entry.to}
            component={Link}
            to={entry.to}
            label={entry.label}
            active={isActive}
            aria-current={isActive ? 'page' : undefined}
            onClick={onNavigate}
          />
        );
      })}
    </Stack>
  );
}
