import type { FastifyRequest } from 'fastify';
import { recordInstallationEvent } from '../../platform/audit/installation-log.ts';
import type { ScimAuthenticator, ScimClient } from '../../platform/authz/identity.ts';
import { hashSecret } from '../../platform/crypto/tokens.ts';
import { withOrg, type Db } from '../../platform/db/pools.ts';
import * as repo from './scim-tokens.repo.ts';
import { scimTokenPrefix } from './scim-tokens.service.ts';

// Writing the last use on every request would turn each SCIM call into two writes.
const touchIntervalMs = 60_000;

function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
}

/** Resolve the identity provider connection of a SCIM request from its bearer token. */
export function createScimAuthenticator(db: Db): ScimAuthenticator {
  async function fromToken(secret: string): Promise<ScimClient | null> {
    if (!secret.startsWith(scimTokenPrefix)) return null;
    const token = await repo.findScimToken(db, hashSecret(secret));
    if (!token) return null;
    if (!token.last_used_at || Date.now() - token.last_used_at.getTime() > touchIntervalMs) {
      await withOrg(db, token.org_id, (tx) => repo.touchScimToken(tx, token.id));
    }
    return { orgId: token.org_id, tokenId: token.id, name: token.name };
  }

  return {
    async resolve(request) {
      const secret = bearerOf(request);
      if (secret === null) return null;
      const client = await fromToken(secret);
      if (!client) {
        // Unknown or revoked: no organisation can be told, the installation can.
        await recordInstallationEvent(db, {
          kind: 'auth.credential_refused',
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          requestId: request.id,
          detail: { credential: 'scim_token' },
        });
      }
      return client;
    },
  };
}
