import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/harness.ts';

// A table that grows from empty is planned as empty until it is analysed; plans cached meanwhile
// (foreign-key checks, prepared statements) may narrow a key lookup by org only and scan every
// row of the org. The embedded cluster looks for tables to analyse every few seconds.
describe('the embedded PostgreSQL keeps statistics of growing tables fresh', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: await createTestDatabase() });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
  });

  it('analyses a table filled from empty within seconds, and key lookups then use the key', async () => {
    await client.query(`
      CREATE TABLE growing (
        org_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        department text,
        UNIQUE (org_id, id)
      )`);
    await client.query('CREATE INDEX growing_department_idx ON growing (org_id, department)');
    const org = '00000000-0000-4000-8000-000000000001';
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO growing (org_id, department)
       SELECT $1, 'Engineering' FROM generate_series(1, 5000) RETURNING id`,
      [org],
    );
    await expect
      .poll(
        async () => {
          const analysed = await client.query<{ last_autoanalyze: Date | null }>(
            "SELECT last_autoanalyze FROM pg_stat_user_tables WHERE relname = 'growing'",
          );
          return analysed.rows[0]?.last_autoanalyze ?? null;
        },
        { timeout: 45_000, interval: 500 },
      )
      .not.toBeNull();
    await client.query('SET plan_cache_mode = force_generic_plan');
    await client.query(
      'PREPARE lookup (uuid, uuid) AS SELECT 1 FROM growing WHERE org_id = $1 AND id = $2',
    );
    const plan = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN EXECUTE lookup('${org}', '${rows[0]?.id ?? ''}')`,
    );
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('growing_org_id_id_key');
    expect(text).not.toContain('growing_department_idx');
  }, 60_000);
});
