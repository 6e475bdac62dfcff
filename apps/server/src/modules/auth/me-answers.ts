import type { Me } from '@steward/contracts';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Identity } from '../../platform/authz/identity.ts';
import { changeFeedOf, type Db } from '../../platform/db/pools.ts';
import { markSharedResponse } from '../../platform/http/serializer.ts';
import { getMe } from './auth.service.ts';
import { PrincipalCache } from './principal-cache.ts';

/** Answers `GET /api/v1/me` for an identity. */
export type MeReader = (uow: UnitOfWork, identity: Identity) => Promise<Me>;

/**
 * `GET /api/v1/me` answered from the answers of the last few seconds. An answer depends only on
 * the identity (kept in its key) and on the user's and org's rows, whose every change is
 * announced on the change feed (see the `me_answers` migration): the org's answers are then
 * forgotten at once, exactly like its principals, and none is kept while nothing listens.
 */
export function createMeReader(db: Db): MeReader {
  const feed = changeFeedOf(db);
  const answers = new PrincipalCache<Me>(undefined, () => feed?.isListening === true);
  feed?.subscribe({
    onChange(orgId) {
      answers.forget(orgId);
    },
  });
  return async (uow, identity) => {
    const key = [
      identity.kind,
      identity.userId,
      identity.role,
      identity.csrfToken ?? '',
      identity.mfaEnrolmentRequired ? 'enrol' : '',
    ].join('\n');
    const now = Date.now();
    const kept = answers.get(key, now);
    if (kept) return kept;
    const ticket = answers.ticket();
    const me = await getMe(uow, identity);
    // Shared between requests and never changed: it is validated and written as JSON once.
    markSharedResponse(me);
    answers.set(key, identity.orgId, me, ticket, now);
    return me;
  };
}
