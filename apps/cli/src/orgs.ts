import type { Db } from '@steward/server';
import { CliError } from './cli-context.ts';

/** The organisation a command acts on: the one given, or the only one there is. */
export async function resolveOrgId(owner: Db, given: string | undefined): Promise<string> {
  const orgs = await owner
    .selectFrom('orgs')
    .select(['id', 'name'])
    .orderBy('created_at')
    .execute();
  if (orgs.length === 0) throw new CliError('Steward is not set up yet; run steward setup first');
  if (given) {
    if (!orgs.some((o) => o.id === given))
      throw new CliError(`--org: no organisation with id ${given}`, 2);
    return given;
  }
  const [only, ...others] = orgs;
  if (!only || others.length > 0) {
    throw new CliError(
      `--org is required: there are ${orgs.length} organisations (${orgs.map((o) => `${o.id} ${o.name}`).join(', ')})`,
      2,
    );
  }
  return only.id;
}
