import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { createAuditWriter, type AuditWriter } from './platform/audit/audit-writer.ts';
import type { CheckpointSigner } from './platform/audit/signing.ts';
import type { DatabasePools } from './platform/db/pools.ts';
import { createHttpServer } from './platform/http/server.ts';
import type { JobDefinition } from './platform/jobs/jobs.ts';
import type { Logger } from './platform/logger/logger.ts';
import type { StewardModule } from './platform/module.ts';
import { createAuditLogModule } from './modules/audit-log/index.ts';
import { createAuthModule, createAuthenticator } from './modules/auth/index.ts';
import { createSystemModule } from './modules/system/index.ts';
import { tokensModule } from './modules/tokens/index.ts';
import { usersModule } from './modules/users/index.ts';
import { version } from './version.ts';

/** What the composition root is built from. */
export interface AppDeps {
  config: Readonly<Config>;
  logger: Logger;
  pools: DatabasePools;
  signer: CheckpointSigner;
}

/** The composed application: its modules, HTTP server and jobs. */
export interface App {
  modules: StewardModule[];
  http: FastifyInstance;
  jobs: JobDefinition[];
  auditWriter: AuditWriter;
}

/** Compose Steward: the list of modules, wired with explicit dependencies. */
export async function createApp(deps: AppDeps): Promise<App> {
  const db = deps.pools.app;
  const auditWriter = createAuditWriter(deps.signer);
  const modules: StewardModule[] = [
    createSystemModule({ db, version }),
    createAuthModule({
      db,
      auditWriter,
      session: deps.config.session,
      isHttps: deps.config.isHttps,
    }),
    usersModule,
    tokensModule,
    createAuditLogModule({ db, auditWriter }),
  ];
  const http = await createHttpServer({
    logger: deps.logger,
    db,
    auditWriter,
    authenticator: createAuthenticator(db),
    routes: modules.flatMap((m) => m.routes),
    publicOrigin: deps.config.publicUrl.origin,
    isHttps: deps.config.isHttps,
    trustProxy: deps.config.trustProxy,
    bodyLimitBytes: deps.config.bodyLimitBytes,
    rateLimitPerMinute: deps.config.rateLimitPerMinute,
    authRateLimitPerMinute: deps.config.authRateLimitPerMinute,
    webDir: deps.config.webDir,
    version,
  });
  return { modules, http, jobs: modules.flatMap((m) => m.jobs ?? []), auditWriter };
}
