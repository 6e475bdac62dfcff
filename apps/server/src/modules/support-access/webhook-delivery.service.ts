import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { recordSupportAccessChecks } from './support-access-checks.service.ts';
import {
  credentialPurpose,
  maxDeliveryAttempts,
  webhookPurpose,
  type SupportAccessDeps,
} from './support-access-deps.ts';
import * as repo from './support-access.repo.ts';
import { signWebhookBody, signatureHeader } from './webhook-signature.ts';

/** A webhook event of a request. */
export type DeliveryEvent = 'grant' | 'revoke';

/** What one delivery attempt came to. */
export type DeliveryOutcome = 'acknowledged' | 'retry' | 'gave_up' | 'skipped';

const responseLimit = 4000;

/** The JSON body of a grant or revoke event. */
export function buildEventBody(
  row: repo.RequestRow,
  event: DeliveryEvent,
  attempt: number,
  sentAt: Date,
): string {
  return JSON.stringify({
    type: `support_access.${event}`,
    deliveryId: `${row.id}:${event}:${String(attempt)}`,
    requestId: row.id,
    sentAt: sentAt.toISOString(),
    customer: { id: row.customer_id, key: row.customer_key, name: row.customer_name },
    system: { id: row.system_id, name: row.system_name },
    requester: { id: row.requester_user_id, name: row.requester_name, email: row.requester_email },
    level: row.level,
    reason: row.reason,
    ticketRef: row.ticket_ref,
    approvedBy: row.decided_by_label,
    expiresAt: row.expires_at?.toISOString() ?? null,
  });
}

/** Split an acknowledgement into what may be stored and the credential it carried, if any. */
export function splitAcknowledgement(text: string): {
  stored: string;
  credential: Record<string, unknown> | null;
} {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { stored: text.slice(0, responseLimit), credential: null };
  }
  if (typeof parsed !== 'object' || parsed === null || !('credential' in parsed)) {
    return { stored: text.slice(0, responseLimit), credential: null };
  }
  const { credential, ...rest } = parsed as Record<string, unknown>;
  const stored = JSON.stringify({ ...rest, credential: '[sealed]' }).slice(0, responseLimit);
  return {
    stored,
    credential:
      typeof credential === 'object' && credential !== null
        ? (credential as Record<string, unknown>)
        : { value: credential },
  };
}

/**
 * Call the system's webhook once for a grant or revoke: signed, with the attempt recorded and
 * audited. A 2xx acknowledges it (a grant becomes active; a credential in the answer is sealed
 * for the requester's one reveal); otherwise `retry` until the last attempt, which gives up
 * (a grant is marked failed for the approvers to see).
 */
export async function deliverEvent(
  deps: SupportAccessDeps,
  uow: UnitOfWork,
  requestId: string,
  event: DeliveryEvent,
  now = new Date(),
): Promise<DeliveryOutcome> {
  const loaded = await uow.read(async (tx) => {
    const row = await repo.findRequest(tx, requestId);
    if (!row) return null;
    const [system] = await repo.findSystemsWithTargets(tx, row.system_id);
    return {
      row,
      target: system?.target ?? null,
      attempts: await repo.countAttempts(tx, requestId, event),
    };
  });
  if (!loaded || loaded.row.mechanism !== 'webhook') return 'skipped';
  const { row, target } = loaded;
  if (event === 'grant' && row.status !== 'approved') return 'skipped';
  if (event === 'revoke' && row.revoked_on_system_at !== null) return 'skipped';
  const attempt = loaded.attempts + 1;
  let statusCode: number | null = null;
  let responseText: string | null = null;
  let error: string | null = null;
  if (target?.mode !== 'webhook' || !target.webhook_url || !target.webhook_secret_sealed) {
    error = 'The system has no webhook configured';
  } else {
    const secret = await deps.secrets.openSecret(
      webhookPurpose(row.system_id),
      target.webhook_secret_sealed,
    );
    const body = buildEventBody(row, event, attempt, now);
    try {
      const response = await fetch(target.webhook_url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Steward support access',
          [signatureHeader]: signWebhookBody(secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      statusCode = response.status;
      responseText = (await response.text()).slice(0, 64_000);
    } catch (cause) {
      error = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    }
  }
  const acknowledged = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const split = responseText === null ? null : splitAcknowledgement(responseText);
  const sealed =
    acknowledged && event === 'grant' && split?.credential
      ? await deps.secrets.sealSecret(
          credentialPurpose(requestId),
          JSON.stringify({ username: null, password: null, details: split.credential }),
        )
      : null;
  const givingUp = !acknowledged && attempt >= maxDeliveryAttempts;
  await uow.write(async (scope) => {
    const { tx, audit } = scope;
    await repo.findRequest(tx, requestId, true);
    await repo.insertDelivery(tx, {
      org_id: uow.orgId,
      request_id: requestId,
      event,
      attempt,
      attempted_at: now,
      status_code: statusCode,
      acknowledged,
      response: split?.stored ?? null,
      error: error?.slice(0, 2000) ?? (acknowledged ? null : `HTTP ${String(statusCode)}`),
    });
    await audit({
      action: acknowledged ? 'support_access.webhook_delivered' : 'support_access.webhook_failed',
      targetType: 'support_access_request',
      targetId: requestId,
      changes: { event, attempt, statusCode, error },
    });
    const current = await repo.findRequest(tx, requestId);
    if (acknowledged && event === 'grant' && current?.status === 'approved') {
      await repo.updateRequest(tx, requestId, {
        status: 'active',
        granted_at: now,
        credential_sealed: sealed,
      });
      await audit({
        action: 'support_access.granted',
        targetType: 'support_access_request',
        targetId: requestId,
        changes: { mechanism: 'webhook', attempt, credential: sealed !== null },
      });
    } else if (acknowledged && event === 'revoke') {
      await repo.updateRequest(tx, requestId, { revoked_on_system_at: now, revoke_error: null });
      await audit({
        action: 'support_access.revoke_applied',
        targetType: 'support_access_request',
        targetId: requestId,
        changes: { mechanism: 'webhook', attempt },
      });
    } else if (givingUp && event === 'grant' && current?.status === 'approved') {
      const reason = `The webhook did not acknowledge the grant after ${String(attempt)} attempts`;
      await repo.updateRequest(tx, requestId, { status: 'failed', grant_error: reason });
      await audit({
        action: 'support_access.grant_failed',
        targetType: 'support_access_request',
        targetId: requestId,
        changes: { error: reason },
      });
    } else if (givingUp && event === 'revoke') {
      const reason = `The webhook did not acknowledge the revocation after ${String(attempt)} attempts`;
      await repo.updateRequest(tx, requestId, { revoke_error: reason });
      await audit({
        action: 'support_access.revoke_failed',
        targetType: 'support_access_request',
        targetId: requestId,
        changes: { error: reason },
      });
    }
    await recordSupportAccessChecks(scope, uow.orgId, now);
  });
  if (acknowledged) return 'acknowledged';
  return givingUp ? 'gave_up' : 'retry';
}
