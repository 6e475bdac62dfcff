import { daySchema, evidenceKindSchema } from '@steward/contracts';
import { z } from 'zod';

/** Filters of the evidence library, as kept in the page's address. */
export interface EvidenceSearch {
  controlId?: string;
  kind?: z.output<typeof evidenceKindSchema>;
  q?: string;
  coversDay?: string;
}

function pick<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Read the evidence filters from the address, dropping anything malformed. */
export function parseEvidenceSearch(search: Record<string, unknown>): EvidenceSearch {
  const filters: EvidenceSearch = {
    controlId: pick(z.uuid(), search.controlId),
    kind: pick(evidenceKindSchema, search.kind),
    q: typeof search.q === 'string' && search.q.trim() ? search.q.trim().slice(0, 200) : undefined,
    coversDay: pick(daySchema, search.coversDay),
  };
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}
