import { endpoints } from '@steward/contracts';
import { defineRoute } from '../../platform/http/routes.ts';
import * as service from './policies.service.ts';

/** HTTP routes of the policies module. */
export const policiesRoutes = [
  defineRoute(endpoints.listPolicyTemplates, () =>
    Promise.resolve({ items: service.listTemplates() }),
  ),
  defineRoute(endpoints.listPolicies, async ({ uow }) => ({
    items: await service.listPolicies(uow),
  })),
  defineRoute(endpoints.createPolicy, ({ uow, identity, body }) =>
    service.createPolicy(uow, identity.userId, body),
  ),
  defineRoute(endpoints.getPolicy, ({ uow, params }) => service.getPolicy(uow, params.id)),
  defineRoute(endpoints.updatePolicy, ({ uow, params, body }) =>
    service.updatePolicy(uow, params.id, body),
  ),
  defineRoute(endpoints.retirePolicy, ({ uow, params }) => service.retirePolicy(uow, params.id)),
  defineRoute(endpoints.reviewPolicy, ({ uow, identity, params, body }) =>
    service.reviewPolicy(uow, identity.userId, params.id, body.note),
  ),
  defineRoute(endpoints.createPolicyVersion, ({ uow, identity, params, body }) =>
    service.createVersion(uow, identity.userId, params.id, body),
  ),
  defineRoute(endpoints.getPolicyVersion, ({ uow, params }) =>
    service.getVersion(uow, params.versionId),
  ),
  defineRoute(endpoints.updatePolicyVersion, ({ uow, params, body }) =>
    service.updateVersion(uow, params.versionId, body),
  ),
  defineRoute(endpoints.submitPolicyVersion, ({ uow, params }) =>
    service.submitVersion(uow, params.versionId),
  ),
  defineRoute(endpoints.approvePolicyVersion, ({ uow, identity, params, body }) =>
    service.approveVersion(uow, identity.userId, params.versionId, body.isMaterial),
  ),
  defineRoute(endpoints.publishPolicyVersion, ({ uow, identity, params }) =>
    service.publishVersion(uow, identity.userId, params.versionId),
  ),
  defineRoute(endpoints.diffPolicyVersion, ({ uow, params, query }) =>
    service.diffVersion(uow, params.versionId, query.against),
  ),
  defineRoute(endpoints.listPolicyApprovals, async ({ uow, identity }) => ({
    items: await service.listApprovals(uow, identity.userId),
  })),
  defineRoute(endpoints.listMyPolicies, async ({ uow, identity }) => ({
    items: await service.listMyPolicies(uow, identity.userId),
  })),
  defineRoute(endpoints.acknowledgePolicy, ({ uow, identity, params }) =>
    service.acknowledge(uow, identity.userId, params.versionId),
  ),
];
