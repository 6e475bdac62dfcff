import type { Permission } from '@steward/contracts';

/** What each permission lets a person do, in words. */
export const permissionLabels: Record<Permission, string> = {
  'org.read': 'See the organisation and its settings',
  'org.manage': 'Change organisation settings',
  'users.read': 'See users and roles',
  'users.manage': 'Add users, change their roles, enable or disable them',
  'tokens.create': 'Create and revoke your own API tokens',
  'audit.read': 'Read the audit log',
  'program.read': 'See the security program: controls, evidence, tasks and promises',
  'program.manage': 'Change controls, frameworks, tasks, promises and program settings',
  'evidence.submit': 'Upload evidence and complete evidence tasks',
  'findings.read': 'See assets, scan imports and vulnerability findings',
  'findings.manage': 'Triage findings, manage assets and the remediation SLA policy',
  'findings.import': 'Import scanner reports',
  'findings.accept_risk': 'Approve or reject risk acceptances requested by others',
  'people.read': 'See the people directory',
  'people.manage': 'Change people, import them from CSV and manage SCIM tokens',
  'policies.read': 'See policies, their versions and acknowledgement coverage',
  'policies.manage': 'Write, submit, publish, review and retire policies',
  'policies.approve': 'Approve policy versions as a named approver',
};
