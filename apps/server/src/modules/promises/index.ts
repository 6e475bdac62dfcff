import { defineModule, type StewardModule } from '../../platform/module.ts';

/** What the promises module needs. */
export interface PromisesDeps {
  tempDir: string;
}

/** Customer annexes split into promises, mapped to controls, with live status. */
export function createPromisesModule(_deps: PromisesDeps): StewardModule {
  return defineModule({ name: 'promises', routes: [] });
}
