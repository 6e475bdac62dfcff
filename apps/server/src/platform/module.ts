import type { JobDefinition } from './jobs/jobs.ts';
import type { RouteDefinition } from './http/routes.ts';

/** A module: one vertical slice of Steward, as the composition root sees it. */
export interface StewardModule {
  name: string;
  routes: RouteDefinition[];
  jobs?: JobDefinition[];
}

/** Declare a module's public face. */
export function defineModule(module: StewardModule): StewardModule {
  return module;
}
