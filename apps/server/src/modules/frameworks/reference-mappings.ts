import type { z } from 'zod';
import type { referenceMappingSchema } from '@steward/contracts';
import { referenceItems, type ReferenceFramework } from './framework-references.ts';

/** An item of a reference framework, with our short title. */
export type ReferenceMapping = z.infer<typeof referenceMappingSchema>;

let titles: Map<string, string> | undefined;

function titleOf(framework: string, id: string): string {
  titles ??= new Map(referenceItems.map((item) => [`${item.framework}|${item.id}`, item.title]));
  return titles.get(`${framework}|${id}`) ?? '';
}

const frameworkOrder: Record<string, number> = { soc2: 0, iso27001: 1, csf2: 2 };

/**
 * Stored mappings (`{framework, id}`) with their titles, known frameworks only, without
 * duplicates, in reference-framework order.
 */
export function describeReferenceMappings(
  stored: readonly { framework: string; id: string }[],
): ReferenceMapping[] {
  const seen = new Set<string>();
  const result: ReferenceMapping[] = [];
  for (const mapping of stored) {
    if (!(mapping.framework in frameworkOrder)) continue;
    const key = `${mapping.framework}|${mapping.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({
      framework: mapping.framework as ReferenceFramework,
      id: mapping.id,
      title: titleOf(mapping.framework, mapping.id),
    });
  }
  return result.sort(
    (a, b) =>
      (frameworkOrder[a.framework] ?? 9) - (frameworkOrder[b.framework] ?? 9) ||
      a.id.localeCompare(b.id, 'en', { numeric: true }),
  );
}
