import { z } from 'zod';

/** Every audit event action Steward records, as dotted `<target>.<past-tense verb>`. */
export const auditActions = [
  'org.created',
  'user.created',
  'user.updated',
  'auth.signed_in',
  'auth.sign_in_failed',
  'auth.signed_out',
  'token.created',
  'token.revoked',
  'auth.mfa_challenged',
  'auth.mfa_failed',
  'auth.account_locked',
  'mfa.totp_enrolment_started',
  'mfa.totp_enrolled',
  'mfa.totp_removed',
  'mfa.recovery_codes_generated',
  'org.security_policy_updated',
  'user.unlocked',
  'keys.rotated',
  'auth.password_reset_requested',
  'auth.password_reset',
  'auth.password_reset_failed',
  'user.invited',
  'user.invitation_accepted',
  'user.invitation_failed',
  'user.invitation_revoked',
  'session.revoked',
  'user.sessions_revoked',
  'org.sso_updated',
  'org.sso_removed',
  'auth.sso_started',
  'passkey.registered',
  'passkey.renamed',
  'passkey.removed',
  'auth.passkey_failed',
  'auth.password_changed',
  'auth.password_change_failed',
  'program.seeded',
  'program.settings_updated',
  'framework.imported',
  'framework.deleted',
  'control.created',
  'control.updated',
  'control.archived',
  'control.requirements_updated',
  'control.checks_updated',
  'control.status_changed',
  'program.status_recorded',
  'check.created',
  'check.result_recorded',
  'evidence.added',
  'evidence.linked',
  'evidence.deleted',
  'task.created',
  'task.updated',
  'task.completed',
  'task.reminded',
  'annex.imported',
  'annex.deleted',
  'promise.mapping_updated',
  'asset.created',
  'asset.updated',
  'scan.imported',
  'scan.import_failed',
  'finding.state_changed',
  'finding.risk_acceptance_requested',
  'finding.risk_acceptance_decided',
  'finding.risk_acceptance_expired',
  'sla.policy_updated',
  'kev.imported',
  'pentest.created',
  'pentest.updated',
  'pentest.completed',
  'person.created',
  'person.updated',
  'person.deactivated',
  'group.created',
  'group.updated',
  'group.deleted',
  'scim_token.created',
  'scim_token.revoked',
  'people.csv_imported',
  'policy.created',
  'policy.updated',
  'policy.version_created',
  'policy.version_updated',
  'policy.submitted',
  'policy.approved',
  'policy.published',
  'policy.retired',
  'policy.acknowledged',
  'policy.reviewed',
  'policy.acknowledgements_requested',
] as const;

/** An audit event action. */
export type AuditAction = (typeof auditActions)[number];

/** Who performed an audited action. */
export const actorTypes = ['user', 'token', 'system', 'anonymous'] as const;

/** How the actor authenticated. */
export const authMethods = [
  'password',
  'session',
  'token',
  'cli',
  'system',
  'none',
  'email_link',
  'password+totp',
  'password+recovery_code',
  'sso',
  'sso+totp',
  'sso+recovery_code',
  'passkey',
  'password+passkey',
  'sso+passkey',
  'scim_token',
] as const;

/** How an actor authenticated. */
export type AuthMethod = (typeof authMethods)[number];

/** Whether a text is a known authentication method. */
export function isAuthMethod(value: string): value is AuthMethod {
  return (authMethods as readonly string[]).includes(value);
}

/** An audit event as the API returns it. */
export const auditEventSchema = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  occurredAt: z.iso.datetime(),
  actorType: z.enum(actorTypes),
  actorId: z.string().nullable(),
  actorLabel: z.string().nullable(),
  authMethod: z.enum(authMethods),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  changes: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

/** An audit event. */
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** Filters and keyset pagination for the audit log. */
export const auditEventQuerySchema = z.strictObject({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A page of audit events, newest first; `nextBefore` fetches the next page. */
export const auditEventPageSchema = z.object({
  items: z.array(auditEventSchema),
  nextBefore: z.number().int().nullable(),
});

/** The public half of the audit checkpoint signing key. */
export const auditPublicKeySchema = z.object({
  keyId: z.string(),
  algorithm: z.literal('Ed25519'),
  publicKeyPem: z.string(),
});
