import { findingStateSchema, severitySchema } from '@steward/contracts';
import type { FindingState, Severity } from '@steward/contracts';
import { z } from 'zod';

/** SLA filter values of the findings list. */
export const slaFilterValues = ['breached', 'due_soon', 'within'] as const;

/** Filters of the findings list, as kept in the page's address. */
export interface FindingSearch {
  assetId?: string;
  severity?: Severity;
  state?: FindingState;
  tool?: string;
  sla?: (typeof slaFilterValues)[number];
  q?: string;
}

function pick<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : undefined;
}

/** Read the findings filters from the address, dropping anything malformed. */
export function parseFindingSearch(search: Record<string, unknown>): FindingSearch {
  const filters: FindingSearch = {
    assetId: pick(z.uuid(), search.assetId),
    severity: pick(severitySchema, search.severity),
    state: pick(findingStateSchema, search.state),
    tool: text(search.tool),
    sla: pick(z.enum(slaFilterValues), search.sla),
    q: text(search.q),
  };
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}
