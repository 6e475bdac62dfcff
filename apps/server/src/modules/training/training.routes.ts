import { endpoints } from '@steward/contracts';
import { readFile } from 'node:fs/promises';
import { createOrgReadMemo } from '../../platform/audit/org-read-memo.ts';
import { replyMemoised } from '../../platform/http/memoised-reply.ts';
import { readMultipart } from '../../platform/http/multipart.ts';
import { takeOneFile } from '../../platform/http/upload-helpers.ts';
import { defineRoute } from '../../platform/http/routes.ts';
import type { BlobStore } from '../../platform/storage/index.ts';
import { readCompletion, parseCompletionsCsv } from './training-csv.ts';
import { recordCampaign } from './training-campaign.service.ts';
import * as completions from './training-completions.service.ts';
import * as service from './training.service.ts';

/** Largest completions CSV accepted. */
export const maxCompletionsCsvBytes = 20 * 1024 * 1024;

/** What the training routes need. */
export interface TrainingRouteDeps {
  blobStore: BlobStore;
  tempDir: string;
  maxEvidenceBytes: number;
}

/** HTTP routes of the training module. */
export function createTrainingRoutes(deps: TrainingRouteDeps) {
  const lists = createOrgReadMemo<service.ModuleList>(8);
  const details = createOrgReadMemo<service.ModuleDetail>(64);
  const reports = createOrgReadMemo<service.CoverageReport>(8);
  return [
    defineRoute(endpoints.listTrainingTemplates, () =>
      Promise.resolve({ items: service.listTemplates() }),
    ),
    defineRoute(endpoints.listTrainingModules, async ({ uow, request, reply }) =>
      replyMemoised(
        reply,
        await service.listModulesMemoised(uow, lists, request.headers['if-none-match']),
      ),
    ),
    defineRoute(endpoints.createTrainingModule, ({ uow, identity, body }) =>
      service.createModule(uow, identity.userId, body),
    ),
    defineRoute(endpoints.getTrainingModule, async ({ uow, params, request, reply }) =>
      replyMemoised(
        reply,
        await service.getModuleMemoised(uow, details, params.id, request.headers['if-none-match']),
      ),
    ),
    defineRoute(endpoints.updateTrainingModule, ({ uow, params, body }) =>
      service.updateModule(uow, params.id, body),
    ),
    defineRoute(endpoints.archiveTrainingModule, ({ uow, params }) =>
      service.archiveModule(uow, params.id),
    ),
    defineRoute(endpoints.createTrainingVersion, ({ uow, identity, params, body }) =>
      service.createVersion(uow, identity.userId, params.id, body),
    ),
    defineRoute(endpoints.getTrainingVersion, ({ uow, params }) =>
      service.getVersion(uow, params.versionId),
    ),
    defineRoute(endpoints.updateTrainingVersion, ({ uow, params, body }) =>
      service.updateVersion(uow, params.versionId, body),
    ),
    defineRoute(endpoints.publishTrainingVersion, ({ uow, identity, params }) =>
      service.publishVersion(uow, identity.userId, params.versionId),
    ),
    defineRoute(endpoints.assignTrainingModule, ({ uow, params }) =>
      service.assignNow(uow, params.id),
    ),
    defineRoute(endpoints.listTrainingAssignments, async ({ uow, params, query }) => ({
      items: await service.listAssignments(uow, params.id, query.state),
    })),
    defineRoute(endpoints.listTrainingCompletions, async ({ uow, params }) => ({
      items: await service.listCompletions(uow, params.id),
    })),
    defineRoute(endpoints.uploadTrainingCompletion, async ({ uow, identity, params, request }) => {
      const e = endpoints.uploadTrainingCompletion;
      const body = await readMultipart(request, e.body, e.multipart.files, {
        maxFileBytes: deps.maxEvidenceBytes,
        tooLargeCode: 'evidence.too_large',
        tempDir: deps.tempDir,
      });
      try {
        return await completions.uploadCompletion(
          { blobStore: deps.blobStore },
          uow,
          { userId: identity.userId, label: identity.label },
          params.id,
          body.fields,
          takeOneFile(body.files),
        );
      } finally {
        await body.cleanUp();
      }
    }),
    defineRoute(endpoints.importTrainingCompletions, async ({ uow, identity, request }) => {
      const e = endpoints.importTrainingCompletions;
      const body = await readMultipart(request, e.body, e.multipart.files, {
        maxFileBytes: maxCompletionsCsvBytes,
        tempDir: deps.tempDir,
      });
      try {
        const file = takeOneFile(body.files);
        const inputs = parseCompletionsCsv(await readFile(file.path));
        return await completions.importCompletions(
          uow,
          { userId: identity.userId, label: identity.label },
          inputs,
          {
            preview: body.fields.preview,
            method: 'csv',
            fileName: file.fileName,
            sha256: file.sha256,
          },
        );
      } finally {
        await body.cleanUp();
      }
    }),
    defineRoute(endpoints.recordTrainingCompletions, ({ uow, identity, body }) => {
      const now = new Date();
      const inputs = body.completions.map((c, i) =>
        readCompletion(
          i + 1,
          {
            email: c.email,
            moduleKey: c.moduleKey,
            completedAt: c.completedAt,
            score: c.score === undefined ? '' : String(c.score),
            externalRef: c.externalRef ?? '',
          },
          now,
        ),
      );
      return completions.importCompletions(
        uow,
        { userId: identity.userId, label: identity.label },
        inputs,
        { preview: false, method: 'api' },
      );
    }),
    defineRoute(endpoints.recordTrainingCampaign, ({ uow, identity, params }) =>
      recordCampaign(
        { blobStore: deps.blobStore, tempDir: deps.tempDir },
        uow,
        { userId: identity.userId, label: identity.label },
        params.id,
      ),
    ),
    defineRoute(endpoints.getTrainingCoverage, async ({ uow, request, reply }) =>
      replyMemoised(
        reply,
        await service.getCoverageMemoised(uow, reports, request.headers['if-none-match']),
      ),
    ),
    defineRoute(endpoints.listMyTraining, async ({ uow, identity }) => ({
      items: await completions.listMyTraining(uow, identity.userId),
    })),
    defineRoute(endpoints.getMyTraining, ({ uow, identity, params }) =>
      completions.getMyTraining(uow, identity.userId, params.assignmentId),
    ),
    defineRoute(endpoints.submitMyTrainingQuiz, ({ uow, identity, params, body }) =>
      completions.submitQuiz(
        uow,
        identity.userId,
        identity.label,
        params.assignmentId,
        body.answers,
      ),
    ),
    defineRoute(endpoints.completeMyTraining, ({ uow, identity, params }) =>
      completions.completeMyTraining(uow, identity.userId, identity.label, params.assignmentId),
    ),
  ];
}
