import { errorCodes, scimTypeOfError, scimUrns, type ErrorCode } from '@steward/contracts';
import type { FastifyReply } from 'fastify';

/** Media type of SCIM messages (RFC 7644 §3.1). */
export const scimMediaType = 'application/scim+json; charset=utf-8';

/**
 * Send an error the SCIM way (RFC 7644 §3.12): `status` as a string and, for client mistakes the
 * protocol names, a `scimType`. Identity providers read these bodies, not problem+json.
 */
export function sendScimProblem(
  reply: FastifyReply,
  code: ErrorCode,
  detail?: string,
): FastifyReply {
  const { status, title } = errorCodes[code];
  const scimType = scimTypeOfError[code];
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="SCIM"');
  return reply
    .status(status)
    .type(scimMediaType)
    .send({
      schemas: [scimUrns.error],
      status: String(status),
      ...(scimType ? { scimType } : {}),
      detail: detail ?? title,
    });
}
