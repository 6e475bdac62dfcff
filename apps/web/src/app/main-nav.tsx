import { Divider, NavLink, Stack } from '@mantine/core';
import type { Permission } from '@steward/contracts';
import { Link, useLocation } from '@tanstack/react-router';
import { Fragment } from 'react';
import { useMe } from './me-context.tsx';

interface NavEntry {
  label: string;
  to:
    | '/'
    | '/overview'
    | '/controls'
    | '/frameworks'
    | '/promises'
    | '/evidence'
    | '/tasks'
    | '/vulnerabilities'
    | '/findings'
    | '/assets'
    | '/risk-acceptances'
    | '/scans/import'
    | '/pentests'
    | '/settings/sla-policy'
    | '/settings/program'
    | '/settings/users'
    | '/settings/tokens'
    | '/settings/security'
    | '/settings/org-security'
    | '/audit'
    | '/policies'
    | '/risks'
    | '/training'
    | '/my-tasks'
    | '/management-reviews'
    | '/screening'
    | '/systems'
    | '/access-reviews'
    | '/access-profiles'
    | '/people'
    | '/lifecycle'
    | '/support-access'
    | '/customers'
    | '/settings/support-access';
  permission?: Permission;
}

const programEntries: readonly NavEntry[] = [
  { label: 'Dashboard', to: '/', permission: 'program.read' },
  { label: 'Controls', to: '/controls', permission: 'program.read' },
  { label: 'Frameworks', to: '/frameworks', permission: 'program.read' },
  { label: 'Promises', to: '/promises', permission: 'program.read' },
  { label: 'Evidence', to: '/evidence', permission: 'program.read' },
  { label: 'Tasks', to: '/tasks', permission: 'program.read' },
  { label: 'Vulnerabilities', to: '/vulnerabilities', permission: 'findings.read' },
  { label: 'Findings', to: '/findings', permission: 'findings.read' },
  { label: 'Assets', to: '/assets', permission: 'findings.read' },
  { label: 'Risk acceptances', to: '/risk-acceptances', permission: 'findings.read' },
  { label: 'Import a scan', to: '/scans/import', permission: 'findings.import' },
  { label: 'Penetration tests', to: '/pentests', permission: 'findings.read' },
  { label: 'Policies', to: '/policies', permission: 'policies.read' },
  { label: 'Risks', to: '/risks', permission: 'risks.read' },
  { label: 'Training', to: '/training', permission: 'program.read' },
  { label: 'Management reviews', to: '/management-reviews', permission: 'risks.read' },
  { label: 'Screening', to: '/screening', permission: 'screening.manage' },
  { label: 'Systems', to: '/systems', permission: 'systems.read' },
  { label: 'Access reviews', to: '/access-reviews' },
  { label: 'Role profiles', to: '/access-profiles', permission: 'systems.read' },
  { label: 'People', to: '/people', permission: 'people.read' },
  { label: 'Joiners and leavers', to: '/lifecycle', permission: 'people.read' },
  { label: 'My tasks', to: '/my-tasks' },
  { label: 'Support access', to: '/support-access', permission: 'systems.read' },
  { label: 'Customers', to: '/customers', permission: 'systems.read' },
];

const settingsEntries: readonly NavEntry[] = [
  { label: 'Users', to: '/settings/users', permission: 'users.read' },
  { label: 'API tokens', to: '/settings/tokens', permission: 'tokens.create' },
  { label: 'Audit log', to: '/audit', permission: 'audit.read' },
  { label: 'Security', to: '/settings/security' },
  { label: 'Security policy', to: '/settings/org-security', permission: 'org.manage' },
  { label: 'Program settings', to: '/settings/program', permission: 'program.manage' },
  { label: 'Remediation SLA', to: '/settings/sla-policy', permission: 'findings.manage' },
  {
    label: 'Support access settings',
    to: '/settings/support-access',
    permission: 'systems.manage',
  },
];

/** Navigation entries for the pages the signed-in person may open. */
export function MainNav({ onNavigate }: { onNavigate: () => void }) {
  const me = useMe();
  const { pathname } = useLocation();
  // `/` is the dashboard for people who see the program; for everyone else it is the overview.
  const canReadProgram = me.permissions.includes('program.read');
  const groups: readonly (readonly NavEntry[])[] = [
    [{ label: 'Overview', to: canReadProgram ? '/overview' : '/' }, ...programEntries],
    settingsEntries,
  ];
  const visibleGroups = groups
    .map((entries) =>
      entries.filter((entry) => !entry.permission || me.permissions.includes(entry.permission)),
    )
    .filter((entries) => entries.length > 0);

  return (
    <Stack gap={4}>
      {visibleGroups.map((entries, index) => (
        <Fragment key={entries[0]?.to ?? index}>
          {index > 0 ? <Divider my={6} /> : null}
          {entries.map((entry) => {
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
        </Fragment>
      ))}
    </Stack>
  );
}
