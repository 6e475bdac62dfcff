import { endpoints } from '@steward/contracts';
import { AppError } from '../../platform/errors/app-error.ts';
import { readMultipart } from '../../platform/http/multipart.ts';
import { takeOneFile } from '../../platform/http/upload-helpers.ts';
import { defineRoute } from '../../platform/http/routes.ts';
import * as profiles from './access-profiles.service.ts';
import * as sync from './account-sync.service.ts';
import * as accounts from './accounts.service.ts';
import type { SystemsDeps } from './systems-deps.ts';
import * as service from './systems.service.ts';
import * as repo from './systems.repo.ts';

/** Largest accounts CSV accepted. */
export const maxAccountsCsvBytes = 20 * 1024 * 1024;

/** HTTP routes of the systems and accounts inventory. */
export function createSystemsRoutes(deps: SystemsDeps) {
  return [
    defineRoute(endpoints.listSystems, ({ uow, query }) => service.listSystems(uow, query)),
    defineRoute(endpoints.createSystem, ({ uow, body }) => service.createSystem(deps, uow, body)),
    defineRoute(endpoints.getSystem, ({ uow, params }) => service.getSystem(uow, params.id)),
    defineRoute(endpoints.updateSystem, ({ uow, params, body }) =>
      service.updateSystem(deps, uow, params.id, body),
    ),
    defineRoute(endpoints.retireSystem, ({ uow, params }) => service.retireSystem(uow, params.id)),
    defineRoute(endpoints.testSystemConnection, ({ uow, params }) =>
      service.testConnection(deps, uow, params.id),
    ),
    defineRoute(endpoints.syncSystem, ({ uow, params }) =>
      sync.syncSystem(deps, uow, params.id, 'manual'),
    ),
    defineRoute(endpoints.listSystemSyncs, ({ uow, params }) =>
      uow.read(async (tx) => {
        if ((await repo.findSystemIds(tx, [params.id])).size === 0) {
          throw new AppError('system.not_found');
        }
        return { items: (await repo.findSyncs(tx, params.id)).map(sync.toSync) };
      }),
    ),
    defineRoute(endpoints.getSystemSync, ({ uow, params }) =>
      uow.read(async (tx) => {
        const [row] = await repo.findSyncs(tx, params.id, params.syncId);
        if (!row) throw new AppError('system.not_found', 'No such sync of this system');
        const changes = await repo.findChanges(tx, { syncId: row.id });
        return {
          ...sync.toSync(row),
          changes: changes.map((c) => ({
            accountId: c.account_id,
            externalId: c.external_id,
            kind: c.kind as 'added',
            occurredAt: c.occurred_at.toISOString(),
            changes: c.changes,
          })),
        };
      }),
    ),
    defineRoute(endpoints.pushSystemAccounts, ({ uow, params, body }) =>
      sync.pushAccounts(deps, uow, params.id, body.accounts),
    ),
    defineRoute(endpoints.importSystemAccounts, async ({ uow, params, request }) => {
      const e = endpoints.importSystemAccounts;
      const body = await readMultipart(request, e.body, e.multipart.files, {
        maxFileBytes: maxAccountsCsvBytes,
        tempDir: deps.tempDir,
      });
      try {
        const file = takeOneFile(body.files, 'CSV file');
        return await sync.importAccountsCsv(
          deps,
          uow,
          params.id,
          { path: file.path, fileName: file.fileName, sha256: file.sha256 },
          body.fields.preview,
        );
      } finally {
        await body.cleanUp();
      }
    }),
    defineRoute(endpoints.listSystemEntitlements, ({ uow, params }) =>
      accounts.listSystemEntitlements(uow, params.id),
    ),
    defineRoute(endpoints.listAccounts, ({ uow, query }) => accounts.listAccounts(uow, query)),
    defineRoute(endpoints.getAccount, ({ uow, params }) => accounts.getAccount(uow, params.id)),
    defineRoute(endpoints.updateAccount, ({ uow, params, body }) =>
      accounts.updateAccount(uow, params.id, body),
    ),
    defineRoute(endpoints.linkAccount, ({ uow, params, body }) =>
      accounts.linkAccount(uow, params.id, body.personId),
    ),
    defineRoute(endpoints.unlinkAccount, ({ uow, params }) =>
      accounts.unlinkAccount(uow, params.id),
    ),
    defineRoute(endpoints.getSystemSettings, ({ uow }) => service.getSettings(uow)),
    defineRoute(endpoints.updateSystemSettings, ({ uow, body }) =>
      service.updateSettings(uow, body),
    ),
    defineRoute(endpoints.listAccessProfiles, ({ uow }) => profiles.listProfiles(uow)),
    defineRoute(endpoints.createAccessProfile, ({ uow, body }) =>
      profiles.createProfile(uow, body),
    ),
    defineRoute(endpoints.getAccessProfile, ({ uow, params }) =>
      profiles.getProfile(uow, params.id),
    ),
    defineRoute(endpoints.updateAccessProfile, ({ uow, params, body }) =>
      profiles.updateProfile(uow, params.id, body),
    ),
    defineRoute(endpoints.deleteAccessProfile, ({ uow, params }) =>
      profiles.deleteProfile(uow, params.id),
    ),
  ];
}
