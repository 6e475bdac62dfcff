import type { ControlSortKey } from '@steward/contracts';
import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type { ControlFilters } from './controls.repo.ts';

/** How a sort column's value is written in a cursor and read back as a parameter. */
type KeyType = 'int' | 'bigint' | 'text' | 'uuid';

interface SortColumn {
  expr: RawBuilder<unknown>;
  type: KeyType;
}

/** One page of the control list: ids in order, the total, and the sort key of the last row. */
export interface ControlPage {
  ids: string[];
  total: number;
  /** The sort key of the last row when more rows follow; undefined on the last page. */
  nextKey: string[] | undefined;
}

/** What a page is asked for. */
export interface ControlPageQuery {
  filters: ControlFilters;
  sort: ControlSortKey;
  order: 'asc' | 'desc';
  limit: number;
  /** The sort key of the previous page's last row. */
  after?: readonly string[] | undefined;
}

const natural = (expr: RawBuilder<unknown>) => sql`(${expr}) COLLATE steward_natural`;
const sectionKey: SortColumn = { expr: sql`coalesce(c.section, 99)`, type: 'int' };
const refKey: SortColumn = { expr: natural(sql`c.ref`), type: 'text' };
const idKey: SortColumn = { expr: sql`c.id`, type: 'uuid' };

/** The status a row shows: the recorded one of the `asOf` day (from the lateral `d`), or now. */
function shownStatus(asOf: string | undefined): RawBuilder<unknown> {
  return asOf === undefined ? sql`c.status` : sql`coalesce(d.status, 'not_proved')`;
}

/** The columns each order sorts by; the id last, so the order is total and pages never overlap. */
function sortColumns(sort: ControlSortKey, asOf: string | undefined): SortColumn[] {
  switch (sort) {
    case 'section':
      return [sectionKey, refKey, idKey];
    case 'ref':
      return [refKey, idKey];
    case 'title':
      return [{ expr: natural(sql`c.title`), type: 'text' }, idKey];
    case 'status':
      return [
        {
          // Worst first: what needs attention leads the list.
          expr: sql`CASE ${shownStatus(asOf)} WHEN 'failing' THEN 0 WHEN 'due' THEN 1
            WHEN 'not_proved' THEN 2 ELSE 3 END`,
          type: 'int',
        },
        sectionKey,
        refKey,
        idKey,
      ];
    case 'owner':
      return [{ expr: natural(sql`coalesce(u.name, '')`), type: 'text' }, refKey, idKey];
    case 'changed':
      // Microseconds since the epoch: exact, and safe to read back from a cursor.
      return [
        { expr: sql`(extract(epoch FROM c.status_changed_at) * 1000000)::bigint`, type: 'bigint' },
        idKey,
      ];
  }
}

/** How many key values a cursor of this order carries. */
export function sortKeyLength(sort: ControlSortKey): number {
  return sortColumns(sort, undefined).length;
}

const keyPatterns: Record<KeyType, (value: string) => boolean> = {
  int: (v) => /^-?\d{1,9}$/.test(v),
  bigint: (v) => /^-?\d{1,18}$/.test(v),
  // PostgreSQL text holds no NUL.
  text: (v) => v.length <= 1000 && !v.includes('\u0000'),
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
};

/** Whether `values` can be the sort key of a row in this order (a cursor is client input). */
export function isValidSortKey(sort: ControlSortKey, values: readonly unknown[]): boolean {
  const columns = sortColumns(sort, undefined);
  return (
    values.length === columns.length &&
    values.every((v, i) => typeof v === 'string' && keyPatterns[columns[i]?.type ?? 'text'](v))
  );
}

function dayAfter(day: string): Date {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

/** Escape LIKE wildcards so a search matches the text literally. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function conditionsOf(f: ControlFilters): RawBuilder<unknown>[] {
  const asOf = f.asOf;
  const where: RawBuilder<unknown>[] = [];
  if (asOf !== undefined) {
    // A control created after the day did not exist then; one archived later was still live.
    const end = dayAfter(asOf);
    where.push(sql`c.created_at < ${end}`);
    if (f.includeArchived !== true) {
      where.push(sql`(c.archived_at IS NULL OR c.archived_at >= ${end})`);
    }
  } else if (f.includeArchived !== true) {
    where.push(sql`c.archived_at IS NULL`);
  }
  if (f.status !== undefined) where.push(sql`${shownStatus(asOf)} = ${f.status}`);
  if (f.section !== undefined) where.push(sql`c.section = ${f.section}`);
  if (f.ownerId !== undefined) where.push(sql`c.owner_id = ${f.ownerId}::uuid`);
  if (f.frameworkId !== undefined) {
    where.push(sql`EXISTS (
      SELECT 1 FROM control_requirements fr JOIN requirements r ON r.id = fr.requirement_id
       WHERE fr.control_id = c.id AND r.framework_id = ${f.frameworkId}::uuid)`);
  }
  if (f.q !== undefined && f.q !== '') {
    const pattern = likePattern(f.q);
    where.push(
      sql`(c.ref ILIKE ${pattern} OR c.title ILIKE ${pattern} OR c.description ILIKE ${pattern})`,
    );
  }
  return where;
}

/**
 * One page of controls matching the filters, in the asked order, after the row whose sort key is
 * `after` (keyset paging: a page stays where it is when rows are added before it). The page holds
 * ids only; the caller reads the rows of those ids.
 */
export async function findControlPage(tx: Tx, q: ControlPageQuery): Promise<ControlPage> {
  const asOf = q.filters.asOf;
  const from = sql`controls c LEFT JOIN users u ON u.id = c.owner_id ${
    asOf === undefined
      ? sql``
      : sql`LEFT JOIN LATERAL (SELECT d.status FROM control_status_days d
          WHERE d.control_id = c.id AND d.day <= ${asOf}::date
          ORDER BY d.day DESC LIMIT 1) d ON true`
  }`;
  const conditions = conditionsOf(q.filters);
  const matching = conditions.length === 0 ? sql`true` : sql.join(conditions, sql` AND `);
  const columns = sortColumns(q.sort, asOf);
  const direction = q.order === 'desc' ? sql`DESC` : sql`ASC`;
  let page = matching;
  if (q.after !== undefined) {
    const values = q.after.map((v, i) => {
      const type = columns[i]?.type ?? 'text';
      const param = sql`${v}::${sql.raw(type)}`;
      return type === 'text' ? natural(param) : param;
    });
    const tuple = sql.join(columns.map((c) => c.expr));
    page = sql`${matching} AND (${tuple}) ${q.order === 'desc' ? sql`<` : sql`>`} (${sql.join(values)})`;
  }
  const keys = columns.map((c, i) => sql`(${c.expr})::text AS ${sql.ref(`k${String(i)}`)}`);
  const order = sql.join(columns.map((c) => sql`${c.expr} ${direction}`));
  const [rows, count] = await Promise.all([
    sql<Record<string, string>>`
      SELECT c.id, ${sql.join(keys)} FROM ${from} WHERE ${page}
      ORDER BY ${order} LIMIT ${q.limit + 1}`.execute(tx),
    sql<{ n: string }>`SELECT count(*) AS n FROM ${from} WHERE ${matching}`.execute(tx),
  ]);
  const shown = rows.rows.slice(0, q.limit);
  const last = shown.at(-1);
  return {
    ids: shown.map((r) => r.id ?? ''),
    total: Number(count.rows[0]?.n ?? 0),
    nextKey:
      rows.rows.length > q.limit && last
        ? columns.map((_c, i) => last[`k${String(i)}`] ?? '')
        : undefined,
  };
}
