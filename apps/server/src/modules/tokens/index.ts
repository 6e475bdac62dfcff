import { defineModule } from '../../platform/module.ts';
import { tokensRoutes } from './tokens.routes.ts';

export { createToken } from './tokens.service.ts';

/** API tokens: scoped, expiring bearer credentials for machines and the CLI. */
export const tokensModule = defineModule({ name: 'tokens', routes: tokensRoutes });
