import { endpoints } from '@steward/contracts';
import type { Identity } from '../../platform/authz/identity.ts';
import { defineRoute } from '../../platform/http/routes.ts';
import * as service from './tasks.service.ts';

/** The user and label a change is recorded under. */
export function supplierOf(identity: Identity): service.Supplier {
  return { userId: identity.userId, label: identity.label };
}

/** HTTP routes of the tasks module. */
export const tasksRoutes = [
  defineRoute(endpoints.listTasks, ({ uow, identity, query }) =>
    service.listTasks(uow, identity.userId, query),
  ),
  defineRoute(endpoints.createTask, ({ uow, body }) => service.createTask(uow, body)),
  defineRoute(endpoints.getTask, ({ uow, params }) => service.getTask(uow, params.id)),
  defineRoute(endpoints.updateTask, ({ uow, params, body }) =>
    service.updateTask(uow, params.id, body),
  ),
  defineRoute(endpoints.completeTask, ({ uow, identity, params, body }) =>
    service.completeTask(uow, supplierOf(identity), params.id, body),
  ),
];
