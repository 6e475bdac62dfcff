import { endpoints } from '@steward/contracts';
import { defineRoute } from '../../platform/http/routes.ts';
import * as service from './lifecycle.service.ts';

/** HTTP routes of joiner/mover/leaver checklists, templates and settings. */
export const lifecycleRoutes = [
  defineRoute(endpoints.listChecklists, ({ uow, query }) => service.listChecklists(uow, query)),
  defineRoute(endpoints.getChecklist, ({ uow, identity, params }) =>
    service.getChecklist(uow, identity, params.id),
  ),
  defineRoute(endpoints.completeChecklistItem, ({ uow, identity, params, body }) =>
    service.completeItem(uow, identity, params.id, body),
  ),
  defineRoute(endpoints.getLifecycleSummary, ({ uow }) => service.getSummary(uow)),
  defineRoute(endpoints.listLifecycleTemplates, ({ uow }) => service.listTemplates(uow)),
  defineRoute(endpoints.updateLifecycleTemplate, ({ uow, params, body }) =>
    service.updateTemplate(uow, params.kind, body),
  ),
  defineRoute(endpoints.getLifecycleSettings, ({ uow }) => service.getSettings(uow)),
  defineRoute(endpoints.updateLifecycleSettings, ({ uow, body }) =>
    service.updateSettings(uow, body),
  ),
  defineRoute(endpoints.getPersonLifecycle, ({ uow, params }) =>
    service.getPersonLifecycle(uow, params.id),
  ),
];
