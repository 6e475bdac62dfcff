import { endpoints } from '@steward/contracts';
import { defineRoute } from '../../platform/http/routes.ts';
import * as report from './access-report.service.ts';
import * as config from './support-access-config.service.ts';
import type { SupportAccessDeps } from './support-access-deps.ts';
import * as service from './support-access.service.ts';

/** HTTP routes of customers and support access. */
export function createSupportAccessRoutes(deps: SupportAccessDeps) {
  return [
    defineRoute(endpoints.listCustomers, ({ uow }) => config.listCustomers(uow)),
    defineRoute(endpoints.createCustomer, ({ uow, body }) => config.createCustomer(uow, body)),
    defineRoute(endpoints.getCustomer, ({ uow, params }) =>
      uow.read(async (tx) => config.toCustomer(await config.readCustomer(tx, params.id))),
    ),
    defineRoute(endpoints.updateCustomer, ({ uow, params, body }) =>
      config.updateCustomer(uow, params.id, body),
    ),
    defineRoute(endpoints.getCustomerAccessReport, ({ uow, params }) =>
      report.getReport(uow, params.id),
    ),
    defineRoute(endpoints.exportCustomerAccessReport, async ({ uow, params, reply }) => {
      const csv = await report.exportReport(uow, params.id);
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="support-access-report.csv"');
      return csv;
    }),
    defineRoute(endpoints.saveCustomerAccessReport, ({ uow, identity, params }) =>
      report.saveReport(deps, uow, identity, params.id),
    ),
    defineRoute(endpoints.getSupportAccessSettings, ({ uow }) => config.getSettings(uow)),
    defineRoute(endpoints.updateSupportAccessSettings, ({ uow, body }) =>
      config.updateSettings(uow, body),
    ),
    defineRoute(endpoints.listSupportAccessSystems, ({ uow }) => config.listSystems(uow)),
    defineRoute(endpoints.getSupportAccessSystem, ({ uow, params }) =>
      config.getSystem(uow, params.id),
    ),
    defineRoute(endpoints.updateSupportAccessSystem, ({ uow, params, body }) =>
      config.configureSystem(deps, uow, params.id, body),
    ),
    defineRoute(endpoints.listSupportAccessRules, ({ uow }) => config.listRules(uow)),
    defineRoute(endpoints.createSupportAccessRule, ({ uow, body }) =>
      config.saveRule(uow, null, body),
    ),
    defineRoute(endpoints.updateSupportAccessRule, ({ uow, params, body }) =>
      config.saveRule(uow, params.id, body),
    ),
    defineRoute(endpoints.deleteSupportAccessRule, ({ uow, params }) =>
      config.deleteRule(uow, params.id),
    ),
    defineRoute(endpoints.listSupportAccessRequests, ({ uow, identity, query }) =>
      service.listRequests(uow, identity, query),
    ),
    defineRoute(endpoints.createSupportAccessRequest, ({ uow, identity, body }) =>
      service.createRequest(deps, uow, identity, body),
    ),
    defineRoute(endpoints.getSupportAccessRequest, ({ uow, params }) =>
      service.getRequest(uow, params.id),
    ),
    defineRoute(endpoints.approveSupportAccessRequest, ({ uow, identity, params }) =>
      service.approveRequest(deps, uow, identity, params.id),
    ),
    defineRoute(endpoints.denySupportAccessRequest, ({ uow, identity, params, body }) =>
      service.denyRequest(uow, identity, params.id, body.reason),
    ),
    defineRoute(endpoints.cancelSupportAccessRequest, ({ uow, identity, params }) =>
      service.cancelRequest(uow, identity, params.id),
    ),
    defineRoute(endpoints.releaseSupportAccessRequest, async ({ uow, identity, params, body }) => {
      await service.endAccess(deps, uow, params.id, 'released', {
        userId: identity.userId,
        label: identity.label,
        reason: body.reason ?? null,
      });
      return service.getRequest(uow, params.id);
    }),
    defineRoute(endpoints.revokeSupportAccessRequest, async ({ uow, identity, params, body }) => {
      await service.endAccess(deps, uow, params.id, 'revoked', {
        userId: identity.userId,
        label: identity.label,
        reason: body.reason ?? null,
      });
      return service.getRequest(uow, params.id);
    }),
    defineRoute(
      endpoints.revealSupportAccessCredential,
      async ({ uow, identity, params, reply }) => {
        const credential = await service.revealCredential(deps, uow, identity, params.id);
        // Shown once: no cache along the way may keep a copy.
        void reply.header('cache-control', 'no-store');
        return credential;
      },
    ),
  ];
}
