import type { referenceFrameworkKeys } from '@steward/contracts';

/** Short names of the reference frameworks requirements map to. */
export const referenceLabels: Record<(typeof referenceFrameworkKeys)[number], string> = {
  soc2: 'SOC 2',
  iso27001: 'ISO 27001',
  csf2: 'NIST CSF 2.0',
};
