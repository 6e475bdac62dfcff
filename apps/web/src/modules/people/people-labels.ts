import type { EmploymentType, PersonSource, PersonStatus } from '@steward/contracts';

/** Labels of a person's status. */
export const personStatusLabels: Record<PersonStatus, string> = {
  active: 'Active',
  on_leave: 'On leave',
  departed: 'Departed',
};

/** Labels of a person's source. */
export const personSourceLabels: Record<PersonSource, string> = {
  scim: 'SCIM',
  csv: 'CSV',
  manual: 'Manual',
};

/** Labels of employment types. */
export const employmentLabels: Record<EmploymentType, string> = {
  employee: 'Employee',
  contractor: 'Contractor',
  intern: 'Intern',
  other: 'Other',
};
