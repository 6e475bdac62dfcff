import { controlSortKeys, controlStatusSchema, daySchema } from '@steward/contracts';
import type { ControlSortKey, ControlStatus } from '@steward/contracts';
import { z } from 'zod';

/** Filters, order and page size of the control list, as kept in the page's address. */
export interface ControlFilters {
  status?: ControlStatus;
  section?: number;
  ownerId?: string;
  frameworkId?: string;
  q?: string;
  asOf?: string;
  sort?: ControlSortKey;
  order?: 'asc' | 'desc';
  limit?: number;
}

/** Page sizes offered on the control list. */
export const controlPageSizes = [25, 50, 100] as const;

const uuidSchema = z.uuid();
const sectionSchema = z.coerce.number().int().min(1).max(13);
const sortSchema = z.enum(controlSortKeys);
const orderSchema = z.enum(['asc', 'desc']);
const limitSchema = z.coerce
  .number()
  .int()
  .refine((n) => (controlPageSizes as readonly number[]).includes(n));

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
    sort: pick(sortSchema, search.sort),
    order: pick(orderSchema, search.order),
    limit: pick(limitSchema, search.limit),
  };
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}

/** The filters alone (no order or page size): what the CSV export takes. */
export function exportFiltersOf(
  filters: ControlFilters,
): Omit<ControlFilters, 'sort' | 'order' | 'limit'> {
  return Object.fromEntries(
    Object.entries(filters).filter(([key]) => !['sort', 'order', 'limit'].includes(key)),
  );
}
