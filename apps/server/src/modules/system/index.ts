import { endpoints } from '@steward/contracts';
import { isDatabaseUp, type Db } from '../../platform/db/pools.ts';
import { defineRoute } from '../../platform/http/routes.ts';
import { defineModule, type StewardModule } from '../../platform/module.ts';

/** System: health for load balancers and monitors. */
export function createSystemModule(deps: { db: Db; version: string }): StewardModule {
  return defineModule({
    name: 'system',
    routes: [
      defineRoute(endpoints.health, async ({ reply }) => {
        const isUp = await isDatabaseUp(deps.db);
        if (!isUp) reply.status(503);
        return {
          status: isUp ? ('ok' as const) : ('degraded' as const),
          database: isUp ? ('ok' as const) : ('down' as const),
          version: deps.version,
        };
      }),
    ],
  });
}
