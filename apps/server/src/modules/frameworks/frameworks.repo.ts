import { sql } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';

/** A framework row. */
export interface FrameworkRow {
  id: string;
  key: string;
  name: string;
  version: string;
  description: string;
  source: 'builtin' | 'oscal';
  created_at: Date;
}

/** Per-framework counts: requirements, requirements with a control, and mapped controls' status. */
export interface FrameworkCounts {
  requirements: number;
  mappedRequirements: number;
  passing: number;
  total: number;
}

const frameworkColumns = [
  'id',
  'key',
  'name',
  'version',
  'description',
  'source',
  'created_at',
] as const;

/** The org's frameworks, built-in first, then in the order they were added. */
export async function findFrameworks(tx: Tx): Promise<FrameworkRow[]> {
  return tx
    .selectFrom('frameworks')
    .select(frameworkColumns)
    .orderBy(sql`source = 'builtin'`, 'desc')
    .orderBy('created_at')
    .orderBy('name')
    .execute();
}

/** One framework. */
export async function findFramework(tx: Tx, id: string): Promise<FrameworkRow | undefined> {
  return tx
    .selectFrom('frameworks')
    .select(frameworkColumns)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A framework's id by key. */
export async function findFrameworkIdByKey(tx: Tx, key: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('frameworks')
    .select('id')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.id;
}

/**
 * Requirement and mapping counts and the readiness of each framework (or one), in two grouped
 * queries: readiness counts distinct in-scope controls (not archived, applicable) mapped to any of
 * its requirements.
 */
export async function countFrameworks(
  tx: Tx,
  frameworkId?: string,
): Promise<Map<string, FrameworkCounts>> {
  let requirementQuery = tx
    .selectFrom('requirements as r')
    .select((eb) => [
      'r.framework_id',
      eb.fn.countAll<string>().as('requirements'),
      sql<string>`count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM control_requirements cr WHERE cr.requirement_id = r.id))`.as('mapped'),
    ])
    .groupBy('r.framework_id');
  let readinessQuery = tx
    .selectFrom('requirements as r')
    .innerJoin('control_requirements as cr', 'cr.requirement_id', 'r.id')
    .innerJoin('controls as c', 'c.id', 'cr.control_id')
    .select([
      'r.framework_id',
      sql<string>`count(DISTINCT c.id)`.as('total'),
      sql<string>`count(DISTINCT c.id) FILTER (WHERE c.status = 'passing')`.as('passing'),
    ])
    .where('c.archived_at', 'is', null)
    .where('c.implementation_status', '<>', 'not_applicable')
    .groupBy('r.framework_id');
  if (frameworkId !== undefined) {
    requirementQuery = requirementQuery.where('r.framework_id', '=', frameworkId);
    readinessQuery = readinessQuery.where('r.framework_id', '=', frameworkId);
  }
  const [requirements, readiness] = await Promise.all([
    requirementQuery.execute(),
    readinessQuery.execute(),
  ]);
  const result = new Map<string, FrameworkCounts>();
  for (const row of requirements) {
    result.set(row.framework_id, {
      requirements: Number(row.requirements),
      mappedRequirements: Number(row.mapped),
      passing: 0,
      total: 0,
    });
  }
  for (const row of readiness) {
    const counts = result.get(row.framework_id);
    if (!counts) continue;
    counts.passing = Number(row.passing);
    counts.total = Number(row.total);
  }
  return result;
}

/** A requirement row. */
export interface RequirementRow {
  id: string;
  framework_id: string;
  ref: string;
  label: string;
  title: string;
  body: string;
  guidance: string;
  section: number | null;
  group_title: string | null;
  parent_ref: string | null;
  mappings: { framework: string; id: string }[];
}

const requirementColumns = [
  'id',
  'framework_id',
  'ref',
  'label',
  'title',
  'body',
  'guidance',
  'section',
  'group_title',
  'parent_ref',
  'mappings',
] as const;

/** A framework's requirements in document order. */
export async function findRequirements(tx: Tx, frameworkId: string): Promise<RequirementRow[]> {
  return tx
    .selectFrom('requirements')
    .select(requirementColumns)
    .where('framework_id', '=', frameworkId)
    .orderBy('sort_order')
    .execute();
}

/** One requirement, locked for the rest of the transaction. */
export async function lockRequirement(tx: Tx, id: string): Promise<RequirementRow | undefined> {
  return tx
    .selectFrom('requirements')
    .select(requirementColumns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** A control as a requirement lists it. */
export interface MappedControl {
  requirement_id: string;
  id: string;
  ref: string;
  title: string;
  status: string;
}

/** The controls mapped to the requirements of a framework, or to one requirement. */
export async function findMappedControls(
  tx: Tx,
  scope: { frameworkId: string } | { requirementId: string },
): Promise<Map<string, MappedControl[]>> {
  let query = tx
    .selectFrom('control_requirements as cr')
    .innerJoin('controls as c', 'c.id', 'cr.control_id')
    .select(['cr.requirement_id', 'c.id', 'c.ref', 'c.title', 'c.status'])
    .orderBy('c.ref');
  if ('frameworkId' in scope) {
    query = query
      .innerJoin('requirements as r', 'r.id', 'cr.requirement_id')
      .where('r.framework_id', '=', scope.frameworkId);
  } else {
    query = query.where('cr.requirement_id', '=', scope.requirementId);
  }
  const result = new Map<string, MappedControl[]>();
  for (const row of await query.execute()) {
    const list = result.get(row.requirement_id) ?? [];
    list.push(row);
    result.set(row.requirement_id, list);
  }
  return result;
}

/** The ids of the controls mapped to any requirement of a framework. */
export async function findFrameworkControlIds(tx: Tx, frameworkId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('control_requirements as cr')
    .innerJoin('requirements as r', 'r.id', 'cr.requirement_id')
    .select('cr.control_id')
    .distinct()
    .where('r.framework_id', '=', frameworkId)
    .execute();
  return rows.map((r) => r.control_id);
}

/** Insert a framework. */
export async function insertFramework(
  tx: Tx,
  values: {
    orgId: string;
    key: string;
    name: string;
    version: string;
    description: string;
    source: 'builtin' | 'oscal';
    oscalUuid: string | null;
    oscalVersion: string | null;
  },
): Promise<FrameworkRow> {
  return tx
    .insertInto('frameworks')
    .values({
      org_id: values.orgId,
      key: values.key,
      name: values.name,
      version: values.version,
      description: values.description,
      source: values.source,
      oscal_uuid: values.oscalUuid,
      oscal_version: values.oscalVersion,
    })
    .returning(frameworkColumns)
    .executeTakeFirstOrThrow();
}

/** A requirement to insert. */
export interface NewRequirement {
  ref: string;
  label: string;
  title: string;
  body: string;
  guidance: string;
  section: number | null;
  groupTitle: string | null;
  parentRef: string | null;
  sortOrder: number;
  mappings: readonly { framework: string; id: string }[];
}

/** Rows per multi-row insert: large enough to be few round trips, small enough for one packet. */
export const insertBatchSize = 500;

/** Insert a framework's requirements in batches; returns each one's id by ref. */
export async function insertRequirements(
  tx: Tx,
  orgId: string,
  frameworkId: string,
  requirements: readonly NewRequirement[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let i = 0; i < requirements.length; i += insertBatchSize) {
    const rows = await tx
      .insertInto('requirements')
      .values(
        requirements.slice(i, i + insertBatchSize).map((r) => ({
          org_id: orgId,
          framework_id: frameworkId,
          ref: r.ref,
          label: r.label,
          title: r.title,
          body: r.body,
          guidance: r.guidance,
          section: r.section,
          group_title: r.groupTitle,
          parent_ref: r.parentRef,
          sort_order: r.sortOrder,
          mappings: JSON.stringify(r.mappings),
        })),
      )
      .returning(['id', 'ref'])
      .execute();
    for (const row of rows) ids.set(row.ref, row.id);
  }
  return ids;
}

/** Delete a framework; its requirements and their control links go with it. */
export async function deleteFramework(tx: Tx, id: string): Promise<void> {
  await tx.deleteFrom('frameworks').where('id', '=', id).execute();
}

/** Link controls to requirements (pairs already linked are left alone), in batches. */
export async function insertRequirementLinks(
  tx: Tx,
  orgId: string,
  pairs: readonly { controlId: string; requirementId: string }[],
): Promise<void> {
  for (let i = 0; i < pairs.length; i += insertBatchSize) {
    await tx
      .insertInto('control_requirements')
      .values(
        pairs.slice(i, i + insertBatchSize).map((p) => ({
          org_id: orgId,
          control_id: p.controlId,
          requirement_id: p.requirementId,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** Unlink controls from a requirement. */
export async function deleteRequirementLinks(
  tx: Tx,
  requirementId: string,
  controlIds: readonly string[],
): Promise<void> {
  if (controlIds.length === 0) return;
  await tx
    .deleteFrom('control_requirements')
    .where('requirement_id', '=', requirementId)
    .where('control_id', 'in', controlIds)
    .execute();
}

/** Which of these ids are controls of the org. */
export async function findControlIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.selectFrom('controls').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * Live controls with the texts the similarity ranking reads: title, description, and the titles
 * and statements of the requirements each already satisfies (one query, aggregated).
 */
export async function findControlTexts(tx: Tx): Promise<{ id: string; text: string }[]> {
  const rows = await tx
    .selectFrom('controls as c')
    .leftJoin('control_requirements as cr', 'cr.control_id', 'c.id')
    .leftJoin('requirements as r', 'r.id', 'cr.requirement_id')
    .select([
      'c.id',
      'c.title',
      'c.description',
      sql<string>`coalesce(string_agg(r.title || '. ' || r.body, ' '), '')`.as('requirement_text'),
    ])
    .where('c.archived_at', 'is', null)
    .groupBy(['c.id', 'c.title', 'c.description'])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    text: `${r.title}. ${r.description} ${r.requirement_text}`,
  }));
}
