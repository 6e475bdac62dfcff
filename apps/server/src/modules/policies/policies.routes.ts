import { endpoints } from '@steward/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createOrgReadMemo } from '../../platform/audit/org-read-memo.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { replyWithStoredFile } from '../../platform/http/file-reply-helpers.ts';
import { replyMemoised } from '../../platform/http/memoised-reply.ts';
import { readMultipart } from '../../platform/http/multipart.ts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import { supplierOf } from '../tasks/index.ts';
import * as service from './policies.service.ts';

/** What the policy routes need. */
export interface PolicyRouteDeps extends service.PolicyFileDeps {
  tempDir: string;
  /** Largest policy document accepted, in bytes. */
  maxFileBytes: number;
}

function sendFile(
  file: service.PolicyFileDownload,
  disposition: 'inline' | 'attachment',
  request: FastifyRequest,
  reply: FastifyReply,
) {
  // Only a PDF is ever shown in the browser, sandboxed: an uploaded file must not run as the app.
  const kind = disposition === 'inline' && file.format === 'pdf' ? 'inline' : 'attachment';
  return replyWithStoredFile(request, reply, file, {
    kind,
    fallbackName: 'policy',
    sandboxed: true,
  });
}

/** HTTP routes of the policies module. */
export function createPoliciesRoutes(deps: PolicyRouteDeps): RouteDefinition[] {
  const attach = endpoints.attachPolicyVersionFile;
  const lists = createOrgReadMemo<service.PolicyList>(8);
  const details = createOrgReadMemo<service.PolicyDetail>(64);
  return [
    defineRoute(endpoints.listPolicyTemplates, () =>
      Promise.resolve({ items: service.listTemplates() }),
    ),
    defineRoute(endpoints.listPolicies, async ({ uow, request, reply }) =>
      replyMemoised(
        reply,
        await service.listPoliciesMemoised(uow, lists, request.headers['if-none-match']),
      ),
    ),
    defineRoute(endpoints.createPolicy, ({ uow, identity, body }) =>
      service.createPolicy(uow, identity.userId, body),
    ),
    defineRoute(endpoints.getPolicy, async ({ uow, params, request, reply }) =>
      replyMemoised(
        reply,
        await service.getPolicyMemoised(uow, details, params.id, request.headers['if-none-match']),
      ),
    ),
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
    defineRoute(attach, async ({ uow, identity, params, request }) => {
      const body = await readMultipart(request, attach.body, attach.multipart.files, {
        maxFileBytes: deps.maxFileBytes,
        tempDir: deps.tempDir,
        tooLargeCode: 'evidence.too_large',
      });
      try {
        const [file, ...more] = body.files;
        if (!file || more.length > 0) {
          const message = 'Attach exactly one PDF or DOCX document in the field "file"';
          throw new AppError('request.invalid', message, [{ path: 'file', message }]);
        }
        return await service.attachFile(
          deps,
          uow,
          supplierOf(identity),
          params.versionId,
          file,
          body.fields.changeSummary,
        );
      } finally {
        await body.cleanUp();
      }
    }),
    defineRoute(endpoints.removePolicyVersionFile, ({ uow, params }) =>
      service.removeFile(uow, params.versionId),
    ),
    defineRoute(
      endpoints.downloadPolicyVersionFile,
      async ({ uow, params, query, request, reply }) =>
        sendFile(
          await service.openFile(deps, uow, params.versionId),
          query.disposition,
          request,
          reply,
        ),
    ),
    defineRoute(
      endpoints.downloadMyPolicyFile,
      async ({ uow, identity, params, query, request, reply }) =>
        sendFile(
          await service.openFile(deps, uow, params.versionId, identity.userId),
          query.disposition,
          request,
          reply,
        ),
    ),
  ];
}
