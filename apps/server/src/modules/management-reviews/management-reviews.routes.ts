import { endpoints } from '@steward/contracts';
import { defineRoute } from '../../platform/http/routes.ts';
import * as service from './management-reviews.service.ts';

/** HTTP routes of management reviews. */
export function createManagementReviewRoutes(deps: service.ReviewServiceDeps) {
  return [
    defineRoute(endpoints.listManagementReviews, ({ uow, query }) =>
      service.listReviews(uow, query.status),
    ),
    defineRoute(endpoints.createManagementReview, ({ uow, identity, body }) =>
      service.createReview(uow, identity.userId, body),
    ),
    defineRoute(endpoints.getManagementReviewSettings, ({ uow }) => service.getSettings(uow)),
    defineRoute(endpoints.updateManagementReviewSettings, ({ uow, body }) =>
      service.updateSettings(uow, body.cadenceMonths),
    ),
    defineRoute(endpoints.getManagementReview, ({ uow, params }) =>
      service.getReview(uow, params.id),
    ),
    defineRoute(endpoints.exportManagementReview, async ({ uow, params, reply }) => {
      const markdown = await service.exportReview(uow, params.id);
      void reply
        .type('text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="management-review-${params.id}.md"`);
      return markdown;
    }),
    defineRoute(endpoints.updateManagementReview, ({ uow, params, body }) =>
      service.updateReview(uow, params.id, body),
    ),
    defineRoute(endpoints.holdManagementReview, ({ uow, identity, params }) =>
      service.holdReview(deps, uow, { userId: identity.userId, label: identity.label }, params.id),
    ),
    defineRoute(endpoints.addManagementReviewNote, ({ uow, identity, params, body }) =>
      service.addNote(uow, identity.userId, params.id, body.body),
    ),
    defineRoute(endpoints.addManagementReviewAction, ({ uow, params, body }) =>
      service.addAction(uow, params.id, body),
    ),
    defineRoute(endpoints.updateManagementReviewAction, ({ uow, params, body }) =>
      service.updateAction(uow, params.actionId, body),
    ),
    defineRoute(endpoints.listMyReviewActions, ({ uow, identity }) =>
      service.listMyActions(uow, identity.userId),
    ),
  ];
}
