import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import type { Config } from './config.ts';
import { createAuditWriter, type AuditWriter } from './platform/audit/audit-writer.ts';
import type { CheckpointSigner } from './platform/audit/signing.ts';
import { openSecretBox, type LazySecretBox } from './platform/crypto/data-keys.ts';
import type { DatabasePools } from './platform/db/pools.ts';
import { AppError } from './platform/errors/app-error.ts';
import { createHttpServer } from './platform/http/server.ts';
import { createLateBoundJobQueue, type LateBoundJobQueue } from './platform/jobs/job-queue.ts';
import type { JobDefinition } from './platform/jobs/jobs.ts';
import { createMailOutbox, createSendMailJob } from './platform/mail/mail.jobs.ts';
import { createMailer } from './platform/mail/mailer.ts';
import type { Logger } from './platform/logger/logger.ts';
import type { StewardModule } from './platform/module.ts';
import { createAccountModule } from './modules/account/index.ts';
import { createAuditLogModule } from './modules/audit-log/index.ts';
import { createAuthModule, createAuthenticator, signIn } from './modules/auth/index.ts';
import { createInvitationsModule } from './modules/invitations/index.ts';
import { createPasswordResetModule } from './modules/password-reset/index.ts';
import { sessionsModule } from './modules/sessions/index.ts';
import { createLockoutModule } from './modules/lockout/index.ts';
import { createMfaModule, isTotpEnabled, mfaEnabledUserIds } from './modules/mfa/index.ts';
import {
  createPasskeysModule,
  hasPasskey,
  passkeyUserIds,
  relyingPartyFor,
} from './modules/passkeys/index.ts';
import { createSecurityPolicyModule } from './modules/security-policy/index.ts';
import { createOidcClient, createSsoModule, isSsoConfigured } from './modules/sso/index.ts';
import { createSystemModule } from './modules/system/index.ts';
import { createSystemsModule } from './modules/systems/index.ts';
import { tokensModule } from './modules/tokens/index.ts';
import { usersModule } from './modules/users/index.ts';
import { createFrameworksModule } from './modules/frameworks/index.ts';
import { createControlsModule } from './modules/controls/index.ts';
import { createEvidenceModule } from './modules/evidence/index.ts';
import { createTasksModule } from './modules/tasks/index.ts';
import { createPromisesModule } from './modules/promises/index.ts';
import { createProgramModule, seedNewOrgProgram } from './modules/program/index.ts';
import { createFindingsModule } from './modules/findings/index.ts';
import { createEvidenceBlobStore } from './platform/storage/index.ts';
import { createPeopleModule } from './modules/people/index.ts';
import {
  createLifecycleDeriver,
  type LifecycleDeriver,
  createLifecycleModule,
  deriveFromPersonChanges,
  onAccountsSynced as updateLeaverItems,
} from './modules/lifecycle/index.ts';
import { createPoliciesModule } from './modules/policies/index.ts';
import { createTrainingModule } from './modules/training/index.ts';
import { createRisksModule } from './modules/risks/index.ts';
import { createAccessReviewsModule, verifyAfterSync } from './modules/access-reviews/index.ts';
import { createManagementReviewsModule } from './modules/management-reviews/index.ts';
import { createScreeningModule } from './modules/screening/index.ts';
import { createScimAuthenticator, createScimModule } from './modules/scim/index.ts';
import { createSupportAccessModule } from './modules/support-access/index.ts';
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
  /** Secrets at rest; the runtime calls `ready()` so a wrong master key stops the start. */
  secrets: LazySecretBox;
  /** Where modules queue jobs; the runtime binds the started job runner to it. */
  jobQueue: LateBoundJobQueue;
  /** Derives queued directory changes in the background; `idle()` waits for it (shutdown). */
  lifecycleDeriver: LifecycleDeriver;
}

/** Compose Steward: the list of modules, wired with explicit dependencies. */
export async function createApp(deps: AppDeps): Promise<App> {
  const db = deps.pools.app;
  const auditWriter = createAuditWriter(deps.signer);
  const jobQueue = createLateBoundJobQueue();
  const outbox = createMailOutbox(jobQueue);
  const publicUrl = deps.config.publicUrl;
  const secrets = openSecretBox({
    owner: deps.pools.owner,
    app: db,
    dataDir: deps.config.dataDir,
    masterKey: deps.config.masterKey,
  });
  const authDeps = {
    db,
    auditWriter,
    session: deps.config.session,
    secrets,
    onOrgCreated: seedNewOrgProgram,
  };
  const relyingParty = relyingPartyFor(publicUrl);
  const lifecycleDeriver = createLifecycleDeriver({
    db,
    auditWriter,
    onError: (error, orgId) => {
      deps.logger.error(
        { err: error, orgId },
        'deriving lifecycle events failed; the minute sweep retries',
      );
    },
  });
  const tempDir = join(deps.config.dataDir, 'tmp');
  const modules: StewardModule[] = [
    createSystemModule({ db, version }),
    createAuthModule({ ...authDeps, isHttps: deps.config.isHttps, relyingParty }),
    createMfaModule({ secrets, policyDefaults: deps.config.session }),
    createPasskeysModule({ db, relyingParty, policyDefaults: deps.config.session }),
    createSecurityPolicyModule({ ...deps.config.session, isSsoConfigured }),
    createSsoModule({
      ...authDeps,
      oidc: createOidcClient(),
      publicUrl,
      policyDefaults: deps.config.session,
      isHttps: deps.config.isHttps,
    }),
    createLockoutModule({
      mfaEnabledUserIds: async (tx) =>
        new Set([...(await mfaEnabledUserIds(tx)), ...(await passkeyUserIds(tx))]),
      isMfaEnabled: async (tx, userId) =>
        (await isTotpEnabled(tx, userId)) || (await hasPasskey(tx, userId)),
    }),
    usersModule,
    tokensModule,
    createAuditLogModule({ db, auditWriter }),
    sessionsModule,
    createAccountModule({ db }),
    createPasswordResetModule({ db, auditWriter, outbox, publicUrl }),
    createInvitationsModule({
      db,
      auditWriter,
      outbox,
      publicUrl,
      isHttps: deps.config.isHttps,
      signIn: async (actor, credentials) => {
        const outcome = await signIn(authDeps, actor, credentials, () => undefined);
        // A just-accepted invitation has no second factor yet, so a challenge cannot arise.
        if (outcome.kind !== 'session') throw new AppError('auth.mfa_challenge_invalid');
        return outcome.session;
      },
    }),
    createFrameworksModule({ tempDir }),
    createControlsModule(),
    createEvidenceModule({ dataDir: deps.config.dataDir, tempDir, ...deps.config.evidence }),
    createTasksModule({ db, auditWriter, outbox, publicUrl }),
    createPromisesModule({ tempDir }),
    createProgramModule({ db, auditWriter, version, publicUrl }),
    createFindingsModule({
      db,
      auditWriter,
      tempDir,
      maxReportBytes: deps.config.scans.maxBytes,
      maxEvidenceBytes: deps.config.evidence.maxBytes,
      version,
      blobStore: createEvidenceBlobStore({
        dataDir: deps.config.dataDir,
        s3: deps.config.evidence.s3,
      }),
      outbox,
      publicUrl,
    }),
    // Changes made in Steward (by hand, CSV) are derived in their own transaction.
    createPeopleModule({
      tempDir,
      onPersonChanges: async (scope, orgId, changes) => {
        await deriveFromPersonChanges(scope, orgId, changes);
      },
    }),
    // An identity provider's changes are queued and derived in batches after they commit.
    createScimModule({ publicUrl, onPersonChanges: lifecycleDeriver.queue }),
    createLifecycleModule({ db, auditWriter, outbox, publicUrl, deriver: lifecycleDeriver }),
    createPoliciesModule({
      db,
      auditWriter,
      outbox,
      publicUrl,
      dataDir: deps.config.dataDir,
      tempDir,
      evidence: deps.config.evidence,
    }),
    createTrainingModule({
      db,
      auditWriter,
      outbox,
      publicUrl,
      dataDir: deps.config.dataDir,
      tempDir,
      ...deps.config.evidence,
    }),
    createRisksModule({ db, auditWriter, publicUrl }),
    createAccessReviewsModule({
      db,
      auditWriter,
      outbox,
      publicUrl,
      tempDir,
      blobStore: createEvidenceBlobStore({
        dataDir: deps.config.dataDir,
        s3: deps.config.evidence.s3,
      }),
    }),
    createManagementReviewsModule({ db, auditWriter, publicUrl }),
    createScreeningModule({ db, auditWriter, publicUrl }),
    createSystemsModule({
      db,
      auditWriter,
      secrets,
      tempDir,
      // A sync may close leaver checklist items and verify access review revocations.
      onAccountsSynced: async (scope, event) => {
        await updateLeaverItems(scope, event);
        await verifyAfterSync(scope, event);
      },
    }),
    createSupportAccessModule({
      db,
      auditWriter,
      secrets,
      jobs: jobQueue,
      tempDir,
      blobStore: createEvidenceBlobStore({
        dataDir: deps.config.dataDir,
        s3: deps.config.evidence.s3,
      }),
    }),
  ];
  const platformJobs = [
    createSendMailJob(createMailer({ smtp: deps.config.smtp, logger: deps.logger })),
  ];
  const http = await createHttpServer({
    logger: deps.logger,
    db,
    auditWriter,
    authenticator: createAuthenticator(db),
    scimAuthenticator: createScimAuthenticator(db),
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
  return {
    modules,
    http,
    jobs: [...platformJobs, ...modules.flatMap((m) => m.jobs ?? [])],
    auditWriter,
    jobQueue,
    secrets,
    lifecycleDeriver,
  };
}
