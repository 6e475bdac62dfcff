import { controlStatusSchema, daySchema } from '@steward/contracts';
import type { ControlStatus } from '@steward/contracts';
import { z } from 'zod';

/** Filters of the control list, as kept in the page's address. */
export interface ControlFilters {
  status?: ControlStatus;
  section?: number;
  ownerId?: string;
  frameworkId?: string;
  q?: string;
  asOf?: string;
}

const uuidSchema = z.uuid();
const sectionSchema = z.coerce.number().int().min(1).max(13);

function pick<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Read the control filters from the address, dropping anything malformed. */
export function parseControlFilters(search: Record<string, unknown>): ControlFilters {
  const filters: ControlFilters = {
    status: pick(controlStatusSchema, search.status),
    section: pick(sectionSchema, search.section),
    ownerId: pick(uuidSchema, search.ownerId),
    frameworkId: pick(uuidSchema, search.frameworkId),
    q: typeof search.q === 'string' && search.q.trim() ? search.q.trim().slice(0, 200) : undefined,
    asOf: pick(daySchema, search.asOf),
  };
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}
