import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createPromisesRoutes } from './promises.routes.ts';

export {
  derivePromiseStatus,
  type ConfirmedControl,
  type PromiseStatus,
  type PromiseVerdict,
} from './promise-status.ts';
export { promiseStatusCounts } from './promises.service.ts';
export { defaultAnnexName, seedDefaultAnnex } from './promises.seed.ts';

/** What the promises module needs. */
export interface PromisesDeps {
  /** Where multipart uploads are staged. */
  tempDir: string;
}

/** Customer annexes split into promises, mapped to controls, with live status. */
export function createPromisesModule(deps: PromisesDeps): StewardModule {
  return defineModule({ name: 'promises', routes: createPromisesRoutes(deps) });
}
