import { sql } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import { highRiskScore } from './risk-scoring.ts';

/**
 * Risks not closed whose current score (residual likelihood × impact when both are rated, else
 * inherent) is at least the high threshold, in the transaction's org.
 */
export async function countOpenHighRisks(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom('risks')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '<>', 'closed')
    .where(
      sql<number>`CASE WHEN residual_likelihood IS NOT NULL AND residual_impact IS NOT NULL
        THEN residual_likelihood * residual_impact
        ELSE inherent_likelihood * inherent_impact END`,
      '>=',
      highRiskScore,
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
