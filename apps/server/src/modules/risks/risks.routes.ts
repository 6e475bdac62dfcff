import { endpoints } from '@steward/contracts';
import type { Identity } from '../../platform/authz/identity.ts';
import { defineRoute } from '../../platform/http/routes.ts';
import * as acceptances from './risk-acceptances.service.ts';
import * as reviews from './register-reviews.service.ts';
import * as risks from './risks.service.ts';

function actorOf(identity: Identity): risks.RiskActor & { userId: string } {
  return { userId: identity.userId, label: identity.label };
}

/** HTTP routes of the risk register. */
export function createRisksRoutes(deps: { publicUrl: URL }) {
  return [
    defineRoute(endpoints.listRisks, ({ uow, query }) => risks.listRisks(uow, query)),
    defineRoute(endpoints.createRisk, ({ uow, identity, body }) =>
      risks.createRisk(uow, actorOf(identity), body),
    ),
    defineRoute(endpoints.getRiskHeatMap, ({ uow }) => risks.getHeatMap(uow)),
    defineRoute(endpoints.exportRisksCsv, async ({ uow, query, reply }) => {
      const csv = await risks.exportRisksCsv(uow, query);
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="risk-register.csv"');
      return csv;
    }),
    defineRoute(endpoints.getRiskSettings, ({ uow }) => risks.getSettings(uow)),
    defineRoute(endpoints.updateRiskSettings, ({ uow, body }) => risks.updateSettings(uow, body)),
    defineRoute(endpoints.listRiskRegisterAcceptances, async ({ uow, query }) => ({
      items: await acceptances.listAcceptances(uow, query.status),
    })),
    defineRoute(endpoints.approveRiskRegisterAcceptance, ({ uow, identity, params, body }) =>
      acceptances.decideAcceptance(uow, actorOf(identity), params.id, 'approved', body.note),
    ),
    defineRoute(endpoints.rejectRiskRegisterAcceptance, ({ uow, identity, params, body }) =>
      acceptances.decideAcceptance(uow, actorOf(identity), params.id, 'rejected', body.note),
    ),
    defineRoute(endpoints.listRiskRegisterReviews, async ({ uow }) => ({
      items: await reviews.listRegisterReviews(uow),
    })),
    defineRoute(endpoints.recordRiskRegisterReview, ({ uow, identity, body }) =>
      reviews.recordRegisterReview(uow, actorOf(identity), deps.publicUrl, body),
    ),
    defineRoute(endpoints.getRisk, ({ uow, params }) => risks.getRisk(uow, params.id)),
    defineRoute(endpoints.updateRisk, ({ uow, identity, params, body }) =>
      risks.updateRisk(uow, actorOf(identity), params.id, body),
    ),
    defineRoute(endpoints.linkRiskControls, ({ uow, identity, params, body }) =>
      risks.linkControls(uow, actorOf(identity), params.id, body.controlIds),
    ),
    defineRoute(endpoints.unlinkRiskControl, ({ uow, identity, params }) =>
      risks.unlinkControl(uow, actorOf(identity), params.id, params.controlId),
    ),
    defineRoute(endpoints.reviewRisk, ({ uow, identity, params, body }) =>
      risks.reviewRisk(uow, actorOf(identity), params.id, body.note),
    ),
    defineRoute(endpoints.requestRiskRegisterAcceptance, ({ uow, identity, params, body }) =>
      acceptances.requestAcceptance(uow, actorOf(identity), params.id, body),
    ),
  ];
}
