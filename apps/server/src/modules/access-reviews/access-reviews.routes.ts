import { endpoints } from '@steward/contracts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import * as service from './access-reviews.service.ts';

/** Routes of access review campaigns. */
export function createAccessReviewRoutes(deps: service.AccessReviewDeps): RouteDefinition[] {
  return [
    defineRoute(endpoints.listAccessReviews, ({ uow, identity }) =>
      service.listCampaigns(uow, identity),
    ),
    defineRoute(endpoints.launchAccessReview, ({ uow, identity, body }) =>
      service.launchCampaign(uow, identity, body),
    ),
    defineRoute(endpoints.getAccessReview, ({ uow, identity, params }) =>
      service.getCampaign(uow, identity, params.id),
    ),
    defineRoute(endpoints.listAccessReviewItems, ({ uow, identity, params, query }) =>
      service.listItems(uow, identity, params.id, query),
    ),
    defineRoute(endpoints.decideAccessReviewItems, ({ uow, identity, params, body }) =>
      service.decideItems(uow, identity, params.id, body),
    ),
    defineRoute(endpoints.verifyAccessReviewItem, ({ uow, identity, params, body }) =>
      service.verifyItemByEvidence(uow, identity, params.id, params.itemId, body.evidenceId),
    ),
    defineRoute(endpoints.closeAccessReview, ({ uow, identity, params }) =>
      service.closeCampaign(deps, uow, identity, params.id),
    ),
    defineRoute(endpoints.exportAccessReview, async ({ uow, params, reply }) => {
      const csv = await service.exportReport(uow, params.id);
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="access-review.csv"');
      return csv;
    }),
    defineRoute(endpoints.exportAccessReviewPdf, async ({ uow, params, reply }) => {
      const pdf = await service.exportReportPdf(uow, params.id);
      void reply
        .type('application/pdf')
        .header('content-disposition', 'attachment; filename="access-review.pdf"')
        .header('x-content-type-options', 'nosniff');
      return pdf;
    }),
  ];
}
