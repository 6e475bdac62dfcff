import { changePasswordSchema, passwordChangedSchema } from './account.ts';
import { idParamsSchema, okSchema } from './common.ts';
import type { Endpoint } from './endpoints.ts';
import {
  confirmTotpSchema,
  mfaStatusSchema,
  mfaVerifySchema,
  recoveryCodesSchema,
  regenerateRecoveryCodesSchema,
  removeTotpSchema,
  totpEnrolmentSchema,
} from './mfa.ts';
import {
  securityPolicySchema,
  updateSecurityPolicySchema,
  userSecurityListSchema,
  userSecuritySchema,
} from './security-policy.ts';
import { meSchema } from './users.ts';

function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

/**
 * Account-security endpoints: your password, MFA, the org security policy, lockouts. API tokens
 * are never in an MFA state (they are created by people who passed MFA), so MFA management and
 * password changes refuse them.
 */
export const securityEndpoints = {
  changePassword: endpoint({
    method: 'PUT',
    path: '/api/v1/me/password',
    summary: 'Change your password (needs the current one); signs out your other sessions',
    // Tagged auth so the sign-in rate limit applies: the current password is guessed here too.
    tag: 'auth',
    access: 'authenticated',
    audit: 'auth.password_changed',
    body: changePasswordSchema,
    response: passwordChangedSchema,
  }),
  verifyMfa: endpoint({
    method: 'POST',
    path: '/api/v1/auth/mfa',
    summary: 'Complete a password sign-in with a TOTP code or a recovery code',
    tag: 'auth',
    access: { public: 'the pending sign-in cookie set after a correct password is the credential' },
    audit: 'auth.signed_in',
    body: mfaVerifySchema,
    response: meSchema,
  }),
  getMfaStatus: endpoint({
    method: 'GET',
    path: '/api/v1/me/mfa',
    summary: 'Your second factors',
    tag: 'mfa',
    access: 'authenticated',
    duringMfaEnrolment: true,
    response: mfaStatusSchema,
  }),
  startTotpEnrolment: endpoint({
    method: 'POST',
    path: '/api/v1/me/mfa/totp',
    summary: 'Start TOTP enrolment: a new secret, its otpauth URI and QR code',
    tag: 'mfa',
    access: 'authenticated',
    audit: 'mfa.totp_enrolment_started',
    duringMfaEnrolment: true,
    response: totpEnrolmentSchema,
    successStatus: 201,
  }),
  confirmTotp: endpoint({
    method: 'POST',
    path: '/api/v1/me/mfa/totp/confirm',
    summary: 'Finish TOTP enrolment with the first code; returns recovery codes (shown once)',
    tag: 'mfa',
    access: 'authenticated',
    audit: 'mfa.totp_enrolled',
    duringMfaEnrolment: true,
    body: confirmTotpSchema,
    response: recoveryCodesSchema,
  }),
  removeTotp: endpoint({
    method: 'DELETE',
    path: '/api/v1/me/mfa/totp',
    summary: 'Remove TOTP and its recovery codes (needs your password or a current code)',
    tag: 'mfa',
    access: 'authenticated',
    audit: 'mfa.totp_removed',
    body: removeTotpSchema,
    response: okSchema,
  }),
  regenerateRecoveryCodes: endpoint({
    method: 'POST',
    path: '/api/v1/me/mfa/recovery-codes',
    summary: 'Replace your recovery codes (needs a current code; shown once)',
    tag: 'mfa',
    access: 'authenticated',
    audit: 'mfa.recovery_codes_generated',
    body: regenerateRecoveryCodesSchema,
    response: recoveryCodesSchema,
  }),
  getSecurityPolicy: endpoint({
    method: 'GET',
    path: '/api/v1/org/security-policy',
    summary: "The organisation's security policy",
    tag: 'org',
    access: 'org.read',
    response: securityPolicySchema,
  }),
  updateSecurityPolicy: endpoint({
    method: 'PUT',
    path: '/api/v1/org/security-policy',
    summary: "Replace the organisation's security policy",
    tag: 'org',
    access: 'org.manage',
    audit: 'org.security_policy_updated',
    body: updateSecurityPolicySchema,
    response: securityPolicySchema,
  }),
  listUserSecurity: endpoint({
    method: 'GET',
    path: '/api/v1/users/security',
    summary: 'MFA and sign-in locks of every user',
    tag: 'users',
    access: 'users.read',
    response: userSecurityListSchema,
  }),
  unlockUser: endpoint({
    method: 'POST',
    path: '/api/v1/users/:id/unlock',
    summary: 'Lift a sign-in lock and clear failed attempts',
    tag: 'users',
    access: 'users.manage',
    audit: 'user.unlocked',
    params: idParamsSchema,
    response: userSecuritySchema,
  }),
} as const;
