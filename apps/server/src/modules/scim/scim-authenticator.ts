import type { FastifyRequest } from 'fastify';
import { recordInstallationEvent } from '../../platform/audit/installation-log.ts';
import type { ScimAuthenticator, ScimClient } from '../../platform/authz/identity.ts';
import { hashSecret } from '../../platform/crypto/tokens.ts';
import { withOrg, type Db } from '../../platform/db/pools.ts';
import { registerTokenCache, scimTokenCacheMs, type CachedToken } from './scim-token-cache.ts';
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
  const cache = registerTokenCache();

  async function lookUp(tokenHash: Buffer, key: string): Promise<CachedToken | null> {
    const generation = cache.generation;
    const token = await repo.findScimToken(db, tokenHash);
    if (!token) {
      cache.entries.delete(key);
      return null;
    }
    const entry: CachedToken = {
      client: { orgId: token.org_id, tokenId: token.id, name: token.name },
      lastUsedAt: token.last_used_at,
      expiresAt: Date.now() + scimTokenCacheMs,
    };
    if (cache.generation === generation) cache.entries.set(key, entry);
    return entry;
  }

  async function fromToken(secret: string): Promise<ScimClient | null> {
    if (!secret.startsWith(scimTokenPrefix)) return null;
    const tokenHash = hashSecret(secret);
    const key = tokenHash.toString('base64');
    const cached = cache.entries.get(key);
    const entry = cached && cached.expiresAt > Date.now() ? cached : await lookUp(tokenHash, key);
    if (!entry) return null;
    if (!entry.lastUsedAt || Date.now() - entry.lastUsedAt.getTime() > touchIntervalMs) {
      entry.lastUsedAt = new Date();
      await withOrg(db, entry.client.orgId, (tx) => repo.touchScimToken(tx, entry.client.tokenId));
    }
    return entry.client;
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
