/** Every error Steward returns, by stable dotted code, with its HTTP status and a title. */
export const errorCodes = {
  'request.malformed_json': { status: 400, title: 'The request body is not valid JSON' },
  'request.invalid': { status: 400, title: 'The request is not valid' },
  'request.unsupported_media_type': { status: 415, title: 'Unsupported content type' },
  'request.too_large': { status: 413, title: 'The request body is too large' },
  'request.rate_limited': { status: 429, title: 'Too many requests' },
  'request.csrf_failed': { status: 403, title: 'Cross-site request refused' },
  'route.not_found': { status: 404, title: 'No such route' },
  'auth.unauthenticated': { status: 401, title: 'Sign-in required' },
  'auth.invalid_credentials': { status: 401, title: 'Email or password is wrong' },
  'auth.forbidden': { status: 403, title: 'You are not allowed to do this' },
  'auth.weak_password': { status: 400, title: 'The password does not meet the policy' },
  'auth.link_invalid': { status: 400, title: 'This link is not valid' },
  'auth.link_expired': { status: 400, title: 'This link has expired' },
  'auth.link_used': { status: 400, title: 'This link has already been used' },
  'auth.mfa_code_invalid': { status: 401, title: 'The code is not valid' },
  'auth.mfa_challenge_invalid': {
    status: 401,
    title: 'This sign-in has expired or is not valid; sign in again',
  },
  'auth.mfa_enrolment_required': {
    status: 403,
    title: 'Set up two-factor authentication before continuing',
  },
  'mfa.browser_only': {
    status: 400,
    title: 'Two-factor authentication is managed from a signed-in browser, not with an API token',
  },
  'mfa.code_invalid': {
    status: 400,
    title: 'The code is not valid; check the time on your device and try again',
  },
  'mfa.already_enabled': { status: 409, title: 'Two-factor authentication is already on' },
  'mfa.not_enabled': { status: 409, title: 'Two-factor authentication is not on' },
  'mfa.enrolment_not_started': { status: 409, title: 'Start the enrolment first' },
  'mfa.required_by_policy': {
    status: 409,
    title: "Your organisation's policy requires two-factor authentication for your role",
  },
  'auth.passkey_invalid': { status: 401, title: 'The passkey could not be verified' },
  'auth.passkey_not_allowed': {
    status: 403,
    title: "Your organisation's policy does not allow signing in with a passkey; use your password",
  },
  'passkey.challenge_invalid': {
    status: 400,
    title: 'This passkey request has expired or was already used; start again',
  },
  'passkey.invalid_response': {
    status: 400,
    title: 'The authenticator answer could not be verified; try again',
  },
  'passkey.already_registered': { status: 409, title: 'This passkey is already registered' },
  'passkey.not_found': { status: 404, title: 'No such passkey' },
  'passkey.reauthentication_required': {
    status: 403,
    title: 'Confirm with your password, or sign in again, to remove a passkey',
  },
  'auth.sso_required': {
    status: 403,
    title: 'Your organisation requires signing in with SSO',
  },
  'auth.method_not_allowed': {
    status: 403,
    title: "Your organisation's policy does not allow this sign-in method",
  },
  'auth.sso_state_invalid': {
    status: 400,
    title: 'This SSO sign-in has expired or is not valid; start again',
  },
  'auth.sso_failed': {
    status: 401,
    title: "The identity provider's answer could not be verified; try again",
  },
  'auth.sso_email_unverified': {
    status: 403,
    title: 'Your identity provider has not verified your email address',
  },
  'auth.sso_user_unknown': {
    status: 403,
    title: 'There is no Steward account for your email; ask an admin to invite you',
  },
  'sso.not_configured': { status: 404, title: 'SSO is not set up for this organisation' },
  'sso.discovery_failed': {
    status: 502,
    title: 'The identity provider could not be reached or its configuration is not valid',
  },
  'sso.domain_taken': {
    status: 409,
    title: 'Another organisation already signs in with SSO for this domain',
  },
  'sso.required_by_policy': {
    status: 409,
    title: 'The security policy requires SSO; turn that off first',
  },
  'password.browser_only': {
    status: 400,
    title: 'Your password is changed from a signed-in browser, not with an API token',
  },
  'password.current_wrong': { status: 400, title: 'Your current password is wrong' },
  'password.not_set': {
    status: 409,
    title:
      'Your account has no password: sign in with SSO, or set one with “Forgot your password?”',
  },
  'password.unchanged': {
    status: 400,
    title: 'The new password must differ from your current one',
  },
  'setup.already_done': { status: 409, title: 'Steward is already set up' },
  'user.not_found': { status: 404, title: 'No such user' },
  'user.email_taken': { status: 409, title: 'A user with this email already exists' },
  'user.role_too_high': { status: 403, title: 'You cannot grant a role above your own' },
  'user.last_owner': { status: 409, title: 'The organisation must keep an active owner' },
  'user.invitation_pending': {
    status: 409,
    title: 'This user has not accepted their invitation yet; resend or revoke it instead',
  },
  'invitation.not_found': { status: 404, title: 'No such pending invitation' },
  'session.not_found': { status: 404, title: 'No such session' },
  'token.not_found': { status: 404, title: 'No such API token' },
  'token.role_too_high': { status: 403, title: 'A token cannot carry more than its creator' },
  'framework.not_found': { status: 404, title: 'No such framework' },
  'framework.builtin': { status: 409, title: 'The built-in framework cannot be removed' },
  'framework.exists': { status: 409, title: 'This catalog is already imported' },
  'oscal.invalid': { status: 400, title: 'The OSCAL document is not valid' },
  'requirement.not_found': { status: 404, title: 'No such requirement' },
  'control.not_found': { status: 404, title: 'No such control' },
  'control.ref_taken': { status: 409, title: 'Another control already has this reference' },
  'check.not_found': { status: 404, title: 'No such check' },
  'evidence.not_found': { status: 404, title: 'No such evidence' },
  'evidence.too_large': { status: 413, title: 'The file is larger than the evidence size limit' },
  'evidence.incomplete': { status: 400, title: 'The upload ended before the whole file arrived' },
  'evidence.file_missing': { status: 400, title: 'Attach a file, or give a link instead' },
  'evidence.in_retention': {
    status: 409,
    title: 'Evidence cannot be deleted inside the retention period',
  },
  'evidence.deleted': {
    status: 410,
    title: 'This evidence was deleted after its retention period',
  },
  'task.not_found': { status: 404, title: 'No such evidence task' },
  'annex.invalid': { status: 400, title: 'The annex could not be read' },
  'annex.not_found': { status: 404, title: 'No such annex' },
  'annex.default': { status: 409, title: 'The default annex cannot be removed' },
  'promise.not_found': { status: 404, title: 'No such promise' },
  'audit.event_not_recorded': { status: 500, title: 'The change was not audited' },
  'service.unavailable': { status: 503, title: 'Service unavailable' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

/** A stable error code. */
export type ErrorCode = keyof typeof errorCodes;
