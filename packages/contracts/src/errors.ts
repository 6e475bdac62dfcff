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
  'check.key_taken': { status: 409, title: 'Another check already has this key' },
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
  'export.empty': {
    status: 409,
    title: 'There is nothing to put in this export yet',
  },
  'promise.not_found': { status: 404, title: 'No such promise' },
  'asset.not_found': { status: 404, title: 'No such asset' },
  'asset.name_taken': { status: 409, title: 'Another asset already has this name' },
  'finding.not_found': { status: 404, title: 'No such finding' },
  'finding.transition_invalid': {
    status: 409,
    title: 'The finding cannot move to this state from its current one',
  },
  'scan.invalid_report': {
    status: 400,
    title: 'The report cannot be read; the detail names the problem and where it is',
  },
  'scan.format_unknown': {
    status: 400,
    title: 'The report format could not be recognised; give it in `format`',
  },
  'scan.format_mismatch': {
    status: 400,
    title: 'The report is not in the format given',
  },
  'scan.tool_error': {
    status: 422,
    title: 'The report is the scanner’s own error output, not results',
  },
  'scan.too_large': { status: 413, title: 'The report is larger than the import size limit' },
  'pentest.not_found': { status: 404, title: 'No such penetration test' },
  'pentest.completed': {
    status: 409,
    title: 'This penetration test is completed; its details can no longer change',
  },
  'pentest.asset_required': {
    status: 409,
    title: 'Choose the asset of this penetration test before adding findings',
  },
  'pentest.report_missing': {
    status: 409,
    title: 'Upload the tester’s report before completing the penetration test',
  },
  'pentest.finding_not_found': {
    status: 404,
    title: 'No such finding in this penetration test',
  },
  'risk_acceptance.not_found': { status: 404, title: 'No such risk acceptance' },
  'risk_acceptance.finding_not_open': {
    status: 409,
    title: 'Only an open finding can have its risk accepted',
  },
  'risk_acceptance.already_requested': {
    status: 409,
    title: 'This finding already has a pending or current risk acceptance',
  },
  'risk_acceptance.expiry_invalid': {
    status: 400,
    title: 'The expiry must be after today and at most a year away',
  },
  'risk_acceptance.self_approval': {
    status: 403,
    title: 'A risk acceptance must be decided by someone other than its requester',
  },
  'risk_acceptance.not_pending': { status: 409, title: 'This request has already been decided' },
  'person.not_found': { status: 404, title: 'No such person' },
  'person.email_taken': {
    status: 409,
    title: 'Another person of the directory already has this email',
  },
  'person.managed_by_scim': {
    status: 409,
    title: 'The identity provider manages this field; change it there',
  },
  'person.manager_invalid': { status: 400, title: 'The manager is not a person of the directory' },
  'people.import_invalid': {
    status: 400,
    title: 'The file cannot be imported; the errors name each row and column',
  },
  'scim_token.not_found': { status: 404, title: 'No such SCIM token' },
  'scim.not_found': { status: 404, title: 'No such resource' },
  'scim.uniqueness': { status: 409, title: 'The value is already taken' },
  'scim.invalid_filter': { status: 400, title: 'The filter is not valid' },
  'scim.invalid_value': { status: 400, title: 'A value is missing or of the wrong type' },
  'scim.invalid_path': { status: 400, title: 'The attribute path is not valid' },
  'scim.invalid_syntax': { status: 400, title: 'The request does not follow the SCIM schema' },
  'scim.no_target': { status: 400, title: 'The path matches no value' },
  'scim.mutability': { status: 400, title: 'The attribute cannot be changed' },
  'policy.not_found': { status: 404, title: 'No such policy' },
  'policy_version.not_found': { status: 404, title: 'No such policy version' },
  'policy.key_taken': { status: 409, title: 'Another policy already has this key' },
  'policy.version_state': {
    status: 409,
    title: 'The policy version is not in a state that allows this',
  },
  'policy.version_open': {
    status: 409,
    title: 'The policy already has a version being written or reviewed',
  },
  'policy.not_next_approver': {
    status: 403,
    title: 'You are not the next approver of this policy version',
  },
  'policy.own_draft': { status: 403, title: 'An approver cannot approve their own draft' },
  'policy.version_superseded': {
    status: 409,
    title: 'This policy version is no longer in force; acknowledge the current version',
  },
  'policy.retired': { status: 409, title: 'The policy is retired' },
  'policy.file_invalid': {
    status: 400,
    title: 'The document is not an acceptable PDF or DOCX (macros are refused)',
  },
  'policy.file_missing': { status: 404, title: 'This policy version has no uploaded document' },
  'management_review.not_found': { status: 404, title: 'No such management review' },
  'management_review.held': {
    status: 409,
    title: 'A held management review cannot change; add a note instead',
  },
  'management_review.action_not_found': { status: 404, title: 'No such action item' },
  'screening.not_found': { status: 404, title: 'No such screening record' },
  'system.not_found': { status: 404, title: 'No such system' },
  'system.name_taken': { status: 409, title: 'Another system already has this name' },
  'system.retired': { status: 409, title: 'The system is retired' },
  'system.connector_invalid': {
    status: 400,
    title: 'The connector settings are incomplete or not valid',
  },
  'system.source_mismatch': {
    status: 409,
    title: 'The system takes its accounts from another source',
  },
  'system.connection_failed': {
    status: 422,
    title: 'The connector could not connect to the system',
  },
  'system.connector_privileges': {
    status: 422,
    title: 'The connector lacks the privileges to read the accounts',
  },
  'system.snapshot_invalid': { status: 400, title: 'The account snapshot is not valid' },
  'systems.import_invalid': {
    status: 400,
    title: 'The file cannot be imported; the errors name each row and column',
  },
  'account.not_found': { status: 404, title: 'No such account' },
  'access_profile.not_found': { status: 404, title: 'No such role profile' },
  'access_profile.name_taken': { status: 409, title: 'Another role profile already has this name' },
  'lifecycle.checklist_not_found': { status: 404, title: 'No such checklist' },
  'lifecycle.item_not_found': { status: 404, title: 'No such checklist item' },
  'lifecycle.item_closed': { status: 409, title: 'The checklist item is already closed' },
  'lifecycle.evidence_required': {
    status: 400,
    title: 'An account item closes with evidence from the system owner, or by the next sync',
  },
  'lifecycle.not_system_owner': {
    status: 403,
    title: 'Only the owner of the system may close this account item',
  },
  'risk.not_found': { status: 404, title: 'No such risk' },
  'risk.closed': { status: 409, title: 'The risk is closed; reopen it first' },
  'risk.acceptance_pending': {
    status: 409,
    title: 'This risk already has an acceptance request waiting for a decision',
  },
  'training.module_not_found': { status: 404, title: 'No such training module' },
  'training.version_not_found': { status: 404, title: 'No such training module version' },
  'training.assignment_not_found': { status: 404, title: 'No such training assignment of yours' },
  'training.key_taken': { status: 409, title: 'Another training module already has this key' },
  'training.version_state': {
    status: 409,
    title: 'The training version is not in a state that allows this',
  },
  'training.archived': { status: 409, title: 'The training module is archived' },
  'training.quiz_invalid': { status: 400, title: 'The quiz is not valid' },
  'training.quiz_required': {
    status: 409,
    title: 'This module has a quiz: pass it to complete the training',
  },
  'training.no_quiz': { status: 409, title: 'This module has no quiz to answer' },
  'training.not_external': {
    status: 409,
    title: 'Only an external module’s completions are recorded by upload or import',
  },
  'training.already_completed': { status: 409, title: 'You have already completed this training' },
  'training.external_completion': {
    status: 409,
    title:
      'This module is taken in an external learning system; its completion is recorded from there',
  },
  'training.import_invalid': {
    status: 400,
    title: 'The completions cannot be recorded; the errors name each row and column',
  },
  'audit.event_not_recorded': { status: 500, title: 'The change was not audited' },
  'service.unavailable': { status: 503, title: 'Service unavailable' },
  internal: { status: 500, title: 'Internal error' },
  'access_review.not_found': { status: 404, title: 'No such access review campaign' },
  'access_review.item_not_found': { status: 404, title: 'No such account in this campaign' },
  'access_review.closed': { status: 409, title: 'This campaign is closed' },
  'access_review.not_reviewer': {
    status: 403,
    title: 'Only the assigned reviewer or the campaign owner decides on this account',
  },
  'access_review.self_review': {
    status: 403,
    title: 'Nobody may review their own access',
  },
  'access_review.not_ready': {
    status: 409,
    title: 'Every decision must be made and every revocation verified first',
  },
  'access_review.no_accounts': {
    status: 409,
    title: 'The chosen systems have no accounts to review',
  },
  'access_review.not_pending': {
    status: 409,
    title: 'This account has no revocation or change waiting for verification',
  },
  'customer.not_found': { status: 404, title: 'No such customer' },
  'customer.key_taken': { status: 409, title: 'Another customer already has this name or key' },
  'support_access.not_found': { status: 404, title: 'No such support access request' },
  'support_access.rule_not_found': { status: 404, title: 'No such on-call rule' },
  'support_access.not_configured': {
    status: 400,
    title: 'Support access is not configured for this system and customer',
  },
  'support_access.config_invalid': {
    status: 400,
    title: 'The support access configuration is not valid; the errors name each field',
  },
  'support_access.duration_exceeded': {
    status: 400,
    title: "The duration exceeds the organisation's maximum",
  },
  'support_access.self_approval': {
    status: 403,
    title: 'Nobody may approve their own support access request',
  },
  'support_access.not_requester': {
    status: 403,
    title: 'Only the person who requested this access may do this',
  },
  'support_access.wrong_state': {
    status: 409,
    title: 'The request is not in a state that allows this',
  },
  'support_access.credential_gone': {
    status: 410,
    title: 'The credential was already revealed or the access has ended',
  },
} as const satisfies Record<string, { status: number; title: string }>;

/** A stable error code. */
export type ErrorCode = keyof typeof errorCodes;
