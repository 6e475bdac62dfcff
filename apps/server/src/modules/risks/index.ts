import { defineModule, type StewardModule } from '../../platform/module.ts';
import { createRisksJobs, type RiskJobDeps } from './risks.jobs.ts';
import { createRisksRoutes } from './risks.routes.ts';

export { countOpenHighRisks } from './risk-metrics.repo.ts';
export { runRiskDay } from './risks.jobs.ts';
export { recordRiskChecks, riskCheckKeys } from './risk-checks.service.ts';
export { currentScoreOf, highRiskScore } from './risk-scoring.ts';

/** What the risk register needs. */
export interface RisksDeps extends RiskJobDeps {
  publicUrl: URL;
}

/** The risk register: risks, heat map, history, reviews, executive acceptances and checks. */
export function createRisksModule(deps: RisksDeps): StewardModule {
  return defineModule({
    name: 'risks',
    routes: createRisksRoutes({ publicUrl: deps.publicUrl }),
    jobs: createRisksJobs(deps),
  });
}
