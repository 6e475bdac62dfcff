import { endpoints } from '@steward/contracts';
import type { CheckpointSigner } from '../../platform/audit/signing.ts';
import { defineRoute, type RouteDefinition } from '../../platform/http/routes.ts';
import { createAuditPageMemo, searchAuditLog } from './audit-log.service.ts';

/** HTTP routes of the audit log. */
export function createAuditLogRoutes(signer: CheckpointSigner): RouteDefinition[] {
  const pages = createAuditPageMemo();
  return [
    defineRoute(endpoints.listAuditEvents, ({ uow, query }) => searchAuditLog(uow, query, pages)),
    defineRoute(endpoints.auditPublicKey, async () => {
      await Promise.resolve();
      return {
        keyId: signer.keyId,
        algorithm: 'Ed25519' as const,
        publicKeyPem: signer.publicKeyPem,
      };
    }),
  ];
}
