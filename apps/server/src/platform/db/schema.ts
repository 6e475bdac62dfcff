import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** Row of `orgs`. */
export interface OrgsTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}

/** Row of `users`. */
export interface UsersTable {
  id: Generated<string>;
  org_id: string;
  email: string;
  name: string;
  role: string;
  status: Generated<string>;
  password_hash: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  last_sign_in_at: Timestamp | null;
}

/** Row of `sessions`. */
export interface SessionsTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  token_hash: Buffer;
  csrf_token: string;
  auth_method: string;
  ip: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  last_seen_at: Generated<Date>;
  idle_timeout_minutes: number;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  mfa_enrolment_required: Generated<boolean>;
  idp_amr: string[] | null;
  idp_acr: string | null;
}

/** Row of `api_tokens`. */
export interface ApiTokensTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  name: string;
  role: string;
  prefix: string;
  token_hash: Buffer;
  created_at: CreatedAt;
  expires_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** Row of `audit_heads`. */
export interface AuditHeadsTable {
  org_id: string;
  seq: ColumnType<string, number | string, number | string>;
  last_hash: string;
}

/** Row of `audit_events`. */
export interface AuditEventsTable {
  org_id: string;
  seq: ColumnType<string, number | string, never>;
  id: string;
  occurred_at: ColumnType<Date, Date, never>;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  auth_method: string;
  action: string;
  target_type: string;
  target_id: string | null;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  changes: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
}

/** Row of `audit_checkpoints`. */
export interface AuditCheckpointsTable {
  org_id: string;
  seq: ColumnType<string, number | string, never>;
  event_hash: string;
  signed_at: ColumnType<Date, Date, never>;
  key_id: string;
  signature: string;
}

/** Row of `password_resets`. */
export interface PasswordResetsTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  token_hash: Buffer;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** Row of `invitations`. */
export interface InvitationsTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  token_hash: Buffer;
  invited_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** Row of `crypto_data_keys` (installation-wide). */
export interface CryptoDataKeysTable {
  id: string;
  master_key_id: string;
  wrapped_key: string;
  is_active: Generated<boolean>;
  created_at: CreatedAt;
  rewrapped_at: Timestamp | null;
}

/** Row of `mfa_totp`. */
export interface MfaTotpTable {
  user_id: string;
  org_id: string;
  sealed_secret: string;
  confirmed_at: Timestamp | null;
  last_used_step: ColumnType<string | null, number | string | null, number | string | null>;
  created_at: CreatedAt;
}

/** Row of `mfa_recovery_codes`. */
export interface MfaRecoveryCodesTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  code_hash: Buffer;
  created_at: CreatedAt;
  used_at: Timestamp | null;
}

/** Row of `sign_in_challenges`. */
export interface SignInChallengesTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  token_hash: Buffer;
  ip: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
  first_factor: FirstFactor;
}

/** The factor a pending sign-in was started with. */
export type FirstFactor = 'password' | 'sso';

/** Row of `org_security_policies`. */
export interface OrgSecurityPoliciesTable {
  org_id: string;
  mfa_required_roles: string[];
  session_idle_minutes: number;
  session_max_hours: number;
  allowed_sign_in_methods: string[];
  updated_at: Timestamp;
  sso_required: Generated<boolean>;
  break_glass_user_id: string | null;
}

/** Row of `oidc_configs`. */
export interface OidcConfigsTable {
  org_id: string;
  issuer: string;
  client_id: string;
  sealed_client_secret: string;
  is_enabled: boolean;
  provisioning: string;
  default_role: string;
  allowed_domains: string[];
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Row of `oidc_sign_in_requests`. */
export interface OidcSignInRequestsTable {
  id: Generated<string>;
  org_id: string;
  state_hash: Buffer;
  browser_hash: Buffer;
  nonce: string;
  code_verifier: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
}

/** Row of `user_lockouts`. */
export interface UserLockoutsTable {
  user_id: string;
  org_id: string;
  failures: Generated<number>;
  lock_level: Generated<number>;
  locked_until: Timestamp | null;
  last_failure_at: Timestamp | null;
}

/** Row of `passkeys`. */
export interface PasskeysTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  credential_id: string;
  public_key: Buffer;
  counter: ColumnType<string, number | string, number | string>;
  transports: string[];
  aaguid: string;
  device_type: string;
  is_backed_up: boolean;
  name: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
}

/** Row of `program_settings`. */
export interface ProgramSettingsTable {
  org_id: string;
  evidence_retention_days: Generated<number>;
  task_due_window_days: Generated<number>;
  is_digest_enabled: Generated<boolean>;
  updated_at: Generated<Date>;
}

/** Row of `frameworks`. */
export interface FrameworksTable {
  id: Generated<string>;
  org_id: string;
  key: string;
  name: string;
  version: Generated<string>;
  description: Generated<string>;
  source: 'builtin' | 'oscal';
  oscal_uuid: string | null;
  oscal_version: string | null;
  created_at: CreatedAt;
}

/** Row of `requirements`. */
export interface RequirementsTable {
  id: Generated<string>;
  org_id: string;
  framework_id: string;
  ref: string;
  label: string;
  title: string;
  body: Generated<string>;
  guidance: Generated<string>;
  section: number | null;
  group_title: string | null;
  parent_ref: string | null;
  sort_order: number;
  mappings: ColumnType<{ framework: string; id: string }[], string | undefined, string>;
}

/** Row of `controls`. */
export interface ControlsTable {
  id: Generated<string>;
  org_id: string;
  ref: string;
  title: string;
  description: Generated<string>;
  owner_id: string | null;
  section: number | null;
  implementation_status: Generated<string>;
  status: Generated<string>;
  status_reason: Generated<string>;
  status_changed_at: Generated<Date>;
  archived_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `control_requirements`. */
export interface ControlRequirementsTable {
  org_id: string;
  control_id: string;
  requirement_id: string;
}

/** Row of `checks`. */
export interface ChecksTable {
  id: Generated<string>;
  org_id: string;
  key: string;
  name: string;
  description: Generated<string>;
  latest_status: 'pass' | 'fail' | null;
  latest_summary: string | null;
  latest_observed_at: Timestamp | null;
  created_at: CreatedAt;
}

/** Row of `control_checks`. */
export interface ControlChecksTable {
  org_id: string;
  control_id: string;
  check_id: string;
}

/** Row of `check_results`. */
export interface CheckResultsTable {
  id: Generated<string>;
  org_id: string;
  check_id: string;
  status: 'pass' | 'fail';
  summary: Generated<string>;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  observed_at: Timestamp;
  created_at: CreatedAt;
}

/** Row of `evidence_tasks`. */
export interface EvidenceTasksTable {
  id: Generated<string>;
  org_id: string;
  control_id: string;
  key: string | null;
  title: string;
  description: Generated<string>;
  owner_id: string | null;
  cadence_months: number;
  grace_days: Generated<number>;
  next_due_on: string;
  state: Generated<string>;
  last_completed_at: Timestamp | null;
  last_reminded_on: string | null;
  is_active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `evidence_files`. */
export interface EvidenceFilesTable {
  org_id: string;
  sha256: string;
  size_bytes: ColumnType<string, string | number, never>;
  media_type: string;
  storage: 'local' | 's3';
  created_at: CreatedAt;
  purged_at: Timestamp | null;
}

/** Row of `evidence`. */
export interface EvidenceTable {
  id: Generated<string>;
  org_id: string;
  lineage_id: string;
  version: number;
  kind: 'file' | 'link' | 'check_result';
  title: string;
  description: Generated<string>;
  file_sha256: string | null;
  file_name: string | null;
  media_type: string | null;
  size_bytes: ColumnType<string | null, string | number | null, never>;
  url: string | null;
  check_result_id: string | null;
  collected_at: Timestamp;
  effective_from: string;
  effective_to: string;
  supplied_by_user_id: string | null;
  supplied_by: string;
  task_id: string | null;
  created_at: CreatedAt;
  deleted_at: Timestamp | null;
  deleted_by_user_id: string | null;
}

/** Row of `evidence_controls`. */
export interface EvidenceControlsTable {
  org_id: string;
  evidence_id: string;
  control_id: string;
}

/** Row of `task_completions`. */
export interface TaskCompletionsTable {
  id: Generated<string>;
  org_id: string;
  task_id: string;
  due_on: string;
  completed_at: Generated<Date>;
  completed_by_user_id: string | null;
  completed_by: string;
  evidence_ids: string[];
  note: Generated<string>;
}

/** Row of `annexes`. */
export interface AnnexesTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  source: 'default' | 'paste' | 'upload';
  file_name: string | null;
  sha256: string;
  content: string;
  is_default: Generated<boolean>;
  created_at: CreatedAt;
}

/** Row of `promises`. */
export interface PromisesTable {
  id: Generated<string>;
  org_id: string;
  annex_id: string;
  ref: string;
  section_number: number;
  section_title: string;
  body: string;
  line: number | null;
  sort_order: number;
  is_mapping_confirmed: Generated<boolean>;
}

/** Row of `promise_controls`. */
export interface PromiseControlsTable {
  org_id: string;
  promise_id: string;
  control_id: string;
  score: Generated<number>;
  is_confirmed: Generated<boolean>;
}

/** Row of `control_status_days`. */
export interface ControlStatusDaysTable {
  org_id: string;
  control_id: string;
  day: string;
  status: string;
  reason: Generated<string>;
}

/** Row of `readiness_days`. */
export interface ReadinessDaysTable {
  org_id: string;
  day: string;
  scope: string;
  passing: number;
  total: number;
}

/** Row of `assets`. */
export interface AssetsTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  kind: Generated<string>;
  environment: Generated<string>;
  owner_id: string | null;
  criticality: Generated<string>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `scan_imports`. */
export interface ScanImportsTable {
  id: Generated<string>;
  org_id: string;
  asset_id: string;
  tool: string;
  format: string;
  file_name: string | null;
  file_sha256: string | null;
  file_size_bytes: ColumnType<string | null, string | number | null, never>;
  close_missing: boolean;
  status: 'completed' | 'failed';
  error: string | null;
  results_count: Generated<number>;
  findings_count: Generated<number>;
  created_count: Generated<number>;
  matched_count: Generated<number>;
  reactivated_count: Generated<number>;
  closed_count: Generated<number>;
  updated_count: Generated<number>;
  tools: Generated<string[]>;
  warnings: ColumnType<{ message: string }[], string | undefined, never>;
  duration_ms: number | null;
  imported_by: string;
  imported_by_user_id: string | null;
  started_at: Timestamp;
  finished_at: Generated<Date>;
}

/** Row of `findings`. */
export interface FindingsTable {
  id: Generated<string>;
  org_id: string;
  asset_id: string;
  tool: string;
  identity_version: number;
  identity_key: string;
  category: string;
  title: string;
  severity: string;
  rule_id: string | null;
  vulnerability_ids: Generated<string[]>;
  cwes: Generated<number[]>;
  cvss_v3_vector: string | null;
  cvss_v3_score: ColumnType<string | null, number | string | null, number | string | null>;
  cvss_v4_vector: string | null;
  cvss_v4_score: ColumnType<string | null, number | string | null, number | string | null>;
  package_name: string | null;
  package_version: string | null;
  purl: string | null;
  fix_version: string | null;
  is_fix_available: boolean | null;
  description: string | null;
  remediation: string | null;
  references: Generated<string[]>;
  locations: ColumnType<unknown[], string | undefined, string>;
  occurrences: Generated<number>;
  report_digest: string | null;
  state: Generated<string>;
  state_reason: string | null;
  state_changed_at: Generated<Date>;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  sla_started_at: Timestamp;
  due_at: Timestamp | null;
  fixed_at: Timestamp | null;
  canonical_id: string | null;
  dependency_key: string | null;
  is_kev: Generated<boolean>;
  retest_status: 'not_retested' | 'fixed_verified' | 'still_present' | null;
  retested_at: Timestamp | null;
  pentest_id: string | null;
  first_import_id: string | null;
  last_import_id: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `finding_events`. */
export interface FindingEventsTable {
  id: Generated<string>;
  org_id: string;
  finding_id: string;
  at: Generated<Date>;
  actor: string;
  actor_user_id: string | null;
  kind: string;
  from_state: string | null;
  to_state: string | null;
  reason: string | null;
  import_id: string | null;
}

/** Row of `sla_policies`. */
export interface SlaPoliciesTable {
  org_id: string;
  critical_days: Generated<number>;
  high_days: Generated<number>;
  medium_days: Generated<number>;
  low_days: Generated<number>;
  info_days: number | null;
  production_days: ColumnType<Record<string, number>, string | undefined, string>;
  critical_asset_days: ColumnType<Record<string, number>, string | undefined, string>;
  kev_days: number | null;
  restart_on_reopen: Generated<boolean>;
  within_sla_target_percent: ColumnType<string, number | string | undefined, number | string>;
  scan_freshness_days: Generated<number>;
  updated_at: Generated<Date>;
}

/** Row of `risk_acceptances`. */
export interface RiskAcceptancesTable {
  id: Generated<string>;
  org_id: string;
  finding_id: string;
  requested_by_user_id: string | null;
  requested_by: string;
  justification: string;
  expires_on: string;
  status: Generated<'pending' | 'approved' | 'rejected' | 'expired' | 'revoked'>;
  decided_by_user_id: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  created_at: CreatedAt;
}

/** Row of `kev_entries` (installation-wide, public data). */
export interface KevEntriesTable {
  cve_id: string;
  vendor: string | null;
  product: string | null;
  name: string | null;
  date_added: string | null;
  due_date: string | null;
  known_ransomware: Generated<boolean>;
  imported_at: Generated<Date>;
}

/** Row of `pentests`. */
export interface PentestsTable {
  id: Generated<string>;
  org_id: string;
  title: string;
  tester: string;
  scope: Generated<string>;
  starts_on: string;
  ends_on: string;
  status: Generated<'planned' | 'in_progress' | 'completed'>;
  asset_id: string | null;
  report_evidence_id: string | null;
  completed_at: Timestamp | null;
  notes: Generated<string>;
  created_by: Generated<string>;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `finding_reminders`: a deadline reminder or new-critical notice sent once. */
export interface FindingRemindersTable {
  id: Generated<string>;
  org_id: string;
  finding_id: string;
  stage: 'new_critical' | 'due_in_7_days' | 'due_in_1_day' | 'breached';
  due_at: Timestamp | null;
  recipient_user_id: string | null;
  sent_at: Generated<Date>;
}

/** Row of `scim_tokens`. */
export interface ScimTokensTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  prefix: string;
  token_hash: Buffer;
  created_by: string;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** Row of `people`. */
export interface PeopleTable {
  id: Generated<string>;
  org_id: string;
  display_name: string;
  given_name: string | null;
  family_name: string | null;
  email: string | null;
  employee_number: string | null;
  department: string | null;
  title: string | null;
  manager_id: string | null;
  manager_ref: string | null;
  employment_type: string | null;
  start_date: string | null;
  end_date: string | null;
  status: Generated<string>;
  source: string;
  user_id: string | null;
  scim_user_name: string | null;
  scim_external_id: string | null;
  scim_token_id: string | null;
  scim_resource: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  scim_removed_at: Timestamp | null;
  scim_user_name_key: GeneratedAlways<string | null>;
  department_key: GeneratedAlways<string | null>;
  employee_number_key: GeneratedAlways<string | null>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `scim_groups`. */
export interface ScimGroupsTable {
  id: Generated<string>;
  org_id: string;
  display_name: string;
  external_id: string | null;
  scim_token_id: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `scim_group_members`. */
export interface ScimGroupMembersTable {
  org_id: string;
  group_id: string;
  person_id: string;
  added_at: CreatedAt;
}

/** Row of `person_changes` (append-only). */
export interface PersonChangesTable {
  seq: ColumnType<string, never, never>;
  org_id: string;
  person_id: string;
  occurred_at: CreatedAt;
  kind: string;
  source: string;
  actor_label: string | null;
  changes: ColumnType<Record<string, unknown>, string, never>;
}

/** Row of `systems`. */
export interface SystemsTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  description: string | null;
  owner_user_id: string | null;
  environment: string;
  holds_customer_data: Generated<boolean>;
  sign_in_method: string;
  sso_supported: Generated<boolean>;
  mfa_enforced: Generated<boolean>;
  criticality: Generated<string>;
  review_cadence_months: Generated<number>;
  admin_limit: number | null;
  connector_kind: string | null;
  connector_settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  connector_secret_sealed: string | null;
  sync_interval_hours: number | null;
  next_sync_at: Timestamp | null;
  last_sync_at: Timestamp | null;
  last_sync_status: string | null;
  retired_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `system_syncs`. */
export interface SystemSyncsTable {
  id: Generated<string>;
  org_id: string;
  system_id: string;
  source: string;
  trigger: Generated<string>;
  actor_label: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  status: string;
  counts: ColumnType<Record<string, number>, string | undefined, string>;
  error: string | null;
}

/** Row of `system_accounts`. */
export interface SystemAccountsTable {
  id: Generated<string>;
  org_id: string;
  system_id: string;
  external_id: string;
  username: string | null;
  email: string | null;
  display_name: string | null;
  account_type: Generated<string>;
  service_owner_user_id: string | null;
  person_id: string | null;
  link_method: string | null;
  auto_link_disabled: Generated<boolean>;
  status: Generated<string>;
  is_privileged: Generated<boolean>;
  privilege_justification: string | null;
  mfa_enabled: boolean | null;
  last_sign_in_at: Timestamp | null;
  valid_until: Timestamp | null;
  digest: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  disabled_at: Timestamp | null;
  removed_at: Timestamp | null;
  last_sync_id: string | null;
}

/** Row of `account_entitlements`. */
export interface AccountEntitlementsTable {
  id: Generated<string>;
  org_id: string;
  account_id: string;
  system_id: string;
  kind: string;
  name: string;
  is_privileged: Generated<boolean>;
  first_seen_at: Timestamp;
}

/** Row of `system_account_changes` (append-only). */
export interface SystemAccountChangesTable {
  seq: ColumnType<string, never, never>;
  org_id: string;
  system_id: string;
  account_id: string;
  sync_id: string | null;
  occurred_at: Timestamp;
  kind: string;
  changes: ColumnType<Record<string, unknown>, string, never>;
}

/** Row of `system_settings`. */
export interface SystemSettingsTable {
  org_id: string;
  dormant_days: Generated<number>;
  updated_at: Generated<Date>;
}

/** Row of `access_profiles`. */
export interface AccessProfilesTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  description: string | null;
  match_department: string | null;
  match_title: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `access_profile_entitlements`. */
export interface AccessProfileEntitlementsTable {
  id: Generated<string>;
  org_id: string;
  profile_id: string;
  system_id: string;
  kind: string;
  name: string;
}

/** Row of `access_profile_people`. */
export interface AccessProfilePeopleTable {
  org_id: string;
  profile_id: string;
  person_id: string;
}

/** Row of `policies`. */
export interface PoliciesTable {
  id: Generated<string>;
  org_id: string;
  key: string;
  title: string;
  owner_id: string | null;
  approver_ids: ColumnType<string[], string[] | undefined, string[]>;
  audience: Generated<string>;
  audience_values: ColumnType<string[], string[] | undefined, string[]>;
  review_cadence_months: Generated<number>;
  next_review_on: string | null;
  template_key: string | null;
  retired_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `policy_controls`. */
export interface PolicyControlsTable {
  org_id: string;
  policy_id: string;
  control_id: string;
}

/** One approval of a policy version. */
export interface PolicyApprovalRecord {
  userId: string;
  name: string;
  approvedAt: string;
}

/** Row of `policy_versions`. */
export interface PolicyVersionsTable {
  id: Generated<string>;
  org_id: string;
  policy_id: string;
  number: number;
  status: Generated<string>;
  body: Generated<string>;
  evidence_id: string | null;
  file_format: string | null;
  change_summary: Generated<string>;
  is_material: boolean | null;
  approvals: ColumnType<PolicyApprovalRecord[], string | undefined, string>;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  submitted_at: Timestamp | null;
  published_at: Timestamp | null;
  published_by_user_id: string | null;
  ended_at: Timestamp | null;
}

/** Row of `policy_acknowledgements`. */
export interface PolicyAcknowledgementsTable {
  id: Generated<string>;
  org_id: string;
  policy_id: string;
  version_id: string;
  user_id: string;
  requested_at: Generated<Date>;
  due_on: string;
  acknowledged_at: Timestamp | null;
  method: string | null;
}

/** Row of `policy_acknowledgement_notices`. */
export interface PolicyAcknowledgementNoticesTable {
  id: Generated<string>;
  org_id: string;
  acknowledgement_id: string;
  stage: string;
  recipient_email: string;
  manager_person_id: string | null;
  sent_at: Generated<Date>;
}

/** Row of `policy_coverage_counts` (kept by triggers on `policy_acknowledgements`). */
export interface PolicyCoverageCountsTable {
  org_id: string;
  version_id: string;
  due_on: string;
  requested: number;
  acknowledged: number;
  on_time: number;
}

/** Row of `policy_reviews`. */
export interface PolicyReviewsTable {
  id: Generated<string>;
  org_id: string;
  policy_id: string;
  version_id: string | null;
  reviewed_on: string;
  reviewer_id: string | null;
  outcome: Generated<string>;
  note: Generated<string>;
  created_at: CreatedAt;
}

/** Row of `risk_settings`. */
export interface RiskSettingsTable {
  org_id: string;
  review_cadence_months: Generated<number>;
  updated_at: Generated<Date>;
}

/** Row of `risks`. */
export interface RisksTable {
  id: Generated<string>;
  org_id: string;
  number: number;
  ref: string;
  title: string;
  description: Generated<string>;
  category: string;
  owner_user_id: string | null;
  inherent_likelihood: number;
  inherent_impact: number;
  treatment: Generated<'mitigate' | 'accept' | 'transfer' | 'avoid'>;
  treatment_plan: Generated<string>;
  treatment_due_on: string | null;
  treatment_completed_on: string | null;
  residual_likelihood: number | null;
  residual_impact: number | null;
  review_on: string;
  last_reviewed_on: string | null;
  status: Generated<'open' | 'accepted' | 'closed'>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `risk_controls`. */
export interface RiskControlsTable {
  org_id: string;
  risk_id: string;
  control_id: string;
  linked_at: CreatedAt;
}

/** Row of `risk_changes` (append-only). */
export interface RiskChangesTable {
  id: Generated<string>;
  org_id: string;
  risk_id: string;
  kind: string;
  changes: ColumnType<Record<string, unknown>, string | undefined, never>;
  note: Generated<string>;
  actor_user_id: string | null;
  actor: string;
  changed_at: CreatedAt;
}

/** Row of `risk_register_acceptances`. */
export interface RiskRegisterAcceptancesTable {
  id: Generated<string>;
  org_id: string;
  risk_id: string;
  requested_by_user_id: string;
  justification: string;
  expires_on: string;
  status: Generated<'pending' | 'approved' | 'rejected' | 'expired'>;
  decided_by_user_id: string | null;
  decided_at: Timestamp | null;
  decision_note: Generated<string>;
  requested_at: CreatedAt;
}

/** Row of `risk_register_reviews`. */
export interface RiskRegisterReviewsTable {
  id: Generated<string>;
  org_id: string;
  kind: 'register_review' | 'annual_assessment';
  reviewed_on: string;
  reviewer_user_id: string | null;
  note: Generated<string>;
  snapshot: ColumnType<Record<string, unknown>, string, never>;
  evidence_id: string | null;
  created_at: CreatedAt;
}

/** Row of `training_modules`. */
export interface TrainingModulesTable {
  id: Generated<string>;
  org_id: string;
  key: string;
  title: string;
  summary: Generated<string>;
  kind: Generated<'content' | 'external'>;
  category: Generated<'awareness' | 'secure_development' | 'other'>;
  audience: Generated<string>;
  audience_values: ColumnType<string[], string[] | undefined, string[]>;
  onboarding_days: Generated<number>;
  cadence_months: Generated<number>;
  estimated_minutes: Generated<number>;
  external_url: string | null;
  template_key: string | null;
  archived_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** A quiz as stored with a training version (correct answers included). */
export interface StoredQuiz {
  passPercent: number;
  questions: {
    key: string;
    text: string;
    choices: { key: string; text: string }[];
    correctChoiceKeys: string[];
    explanation: string;
  }[];
}

/** Row of `training_module_versions`. */
export interface TrainingModuleVersionsTable {
  id: Generated<string>;
  org_id: string;
  module_id: string;
  number: number;
  status: Generated<'draft' | 'published' | 'superseded'>;
  body: Generated<string>;
  quiz: ColumnType<StoredQuiz | null, string | null | undefined, string | null>;
  change_summary: Generated<string>;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  published_at: Timestamp | null;
  published_by_user_id: string | null;
  ended_at: Timestamp | null;
}

/** Row of `training_assignments`. */
export interface TrainingAssignmentsTable {
  id: Generated<string>;
  org_id: string;
  module_id: string;
  person_id: string | null;
  user_id: string | null;
  subject_id: GeneratedAlways<string>;
  reason: 'onboarding' | 'periodic' | 'manual';
  assigned_at: Generated<Date>;
  due_on: string;
  completed_at: Timestamp | null;
  completion_id: string | null;
  last_reminded_on: string | null;
  escalated_on: string | null;
}

/** Row of `training_attempts` (append-only). */
export interface TrainingAttemptsTable {
  id: Generated<string>;
  org_id: string;
  module_id: string;
  version_id: string;
  assignment_id: string | null;
  user_id: string;
  answers: ColumnType<Record<string, string[]>, string, never>;
  score: number;
  is_passed: boolean;
  attempted_at: Generated<Date>;
}

/** Row of `training_completions` (append-only evidence). */
export interface TrainingCompletionsTable {
  id: Generated<string>;
  org_id: string;
  module_id: string;
  version_id: string;
  person_id: string | null;
  user_id: string | null;
  subject_id: GeneratedAlways<string>;
  assignment_id: string | null;
  completed_at: Timestamp;
  score: number | null;
  method: 'quiz' | 'read' | 'upload' | 'csv' | 'api';
  evidence_id: string | null;
  external_ref: string | null;
  recorded_by: string;
  recorded_by_user_id: string | null;
  recorded_at: Generated<Date>;
}

/** Row of `lifecycle_settings`. */
export interface LifecycleSettingsTable {
  org_id: string;
  leaver_deadline_hours: Generated<number>;
  mover_deadline_hours: Generated<number>;
  joiner_deadline_hours: Generated<number>;
  updated_at: Generated<Date>;
}

/** Row of `lifecycle_templates`. */
export interface LifecycleTemplatesTable {
  id: Generated<string>;
  org_id: string;
  kind: string;
  name: string;
  items: ColumnType<unknown[], string, string>;
  is_customised: Generated<boolean>;
  updated_at: Generated<Date>;
}

/** Row of `lifecycle_events` (append-only). */
export interface LifecycleEventsTable {
  id: Generated<string>;
  org_id: string;
  person_id: string;
  kind: string;
  change_seq: string | null;
  reason: string;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  occurred_at: Generated<Date>;
}

/** Row of `lifecycle_checklists`. */
export interface LifecycleChecklistsTable {
  id: Generated<string>;
  org_id: string;
  event_id: string;
  person_id: string;
  kind: string;
  status: Generated<string>;
  opened_at: Generated<Date>;
  due_at: Timestamp;
  closed_at: Timestamp | null;
  cancel_reason: string | null;
  overdue_notified_at: Timestamp | null;
}

/** Row of `lifecycle_items`. */
/** A directory change waiting for the lifecycle deriver. */
export interface LifecyclePendingTable {
  id: GeneratedAlways<string>;
  org_id: string;
  person_id: string;
  kind: string;
  changes: ColumnType<Record<string, { from: unknown; to: unknown }>, string, never>;
  queued_at: Generated<Date>;
}

export interface LifecycleItemsTable {
  id: Generated<string>;
  org_id: string;
  checklist_id: string;
  position: number;
  item_type: string;
  title: string;
  description: Generated<string>;
  system_id: string | null;
  account_id: string | null;
  status: Generated<string>;
  closed_at: Timestamp | null;
  closed_by_user_id: string | null;
  closed_by: string | null;
  closed_via: string | null;
  evidence_id: string | null;
  sync_id: string | null;
  note: string | null;
}

/** An attendee of a management review as stored. */
export interface ReviewAttendeeRecord {
  userId: string | null;
  personId: string | null;
  name: string;
  role: string;
}

/** Row of `management_review_settings`. */
export interface ManagementReviewSettingsTable {
  org_id: string;
  cadence_months: number;
  updated_at: Generated<Date>;
}

/** Row of `management_reviews` (immutable once held). */
export interface ManagementReviewsTable {
  id: Generated<string>;
  org_id: string;
  title: string;
  meeting_on: string;
  status: Generated<string>;
  attendees: ColumnType<ReviewAttendeeRecord[], string, string>;
  agenda: ColumnType<Record<string, unknown>, string, never>;
  minutes: Generated<string>;
  decisions: Generated<string[]>;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  held_at: Timestamp | null;
  held_by_user_id: string | null;
  evidence_id: string | null;
}

/** Row of `management_review_actions`. */
export interface ManagementReviewActionsTable {
  id: Generated<string>;
  org_id: string;
  review_id: string;
  title: string;
  owner_id: string | null;
  due_on: string;
  status: Generated<string>;
  completed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `management_review_notes` (append-only). */
export interface ManagementReviewNotesTable {
  id: Generated<string>;
  org_id: string;
  review_id: string;
  body: string;
  author_user_id: string | null;
  created_at: CreatedAt;
}

/** Row of `screening_settings`. */
export interface ScreeningSettingsTable {
  org_id: string;
  is_required_for_everyone: Generated<boolean>;
  role_rules: ColumnType<
    { department?: string; titleContains?: string; employmentType?: string }[],
    string,
    string
  >;
  restricted_countries: ColumnType<{ country: string; reason: string }[], string, string>;
  updated_at: Generated<Date>;
}

/** Row of `screening_records`: outcome and dates only. */
export interface ScreeningRecordsTable {
  org_id: string;
  person_id: string;
  country: string | null;
  override: string | null;
  override_reason: Generated<string>;
  status: Generated<string>;
  completed_on: string | null;
  provider: Generated<string>;
  updated_at: Generated<Date>;
  updated_by_user_id: string | null;
}

/** Row of `screening_audits` (append-only). */
export interface ScreeningAuditsTable {
  id: Generated<string>;
  org_id: string;
  quarter: string;
  hired: number;
  covered: number;
  note: Generated<string>;
  entries: ColumnType<Record<string, unknown>[], string, never>;
  recorded_at: CreatedAt;
  recorded_by_user_id: string | null;
  evidence_id: string | null;
}

/** Row of `access_review_campaigns`. */
export interface AccessReviewCampaignsTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  owner_user_id: string;
  reviewer_rule: string;
  due_on: string;
  status: Generated<string>;
  launched_at: Generated<Timestamp>;
  launched_by_label: string;
  item_count: Generated<number>;
  closed_at: Timestamp | null;
  report_evidence_id: string | null;
  report_pdf_evidence_id: string | null;
}

/** Row of `access_review_campaign_systems`. */
export interface AccessReviewCampaignSystemsTable {
  org_id: string;
  campaign_id: string;
  system_id: string;
  system_name: string;
}

/** Row of `access_review_items`: an account as it was at launch, and its review. */
export interface AccessReviewItemsTable {
  id: Generated<string>;
  org_id: string;
  campaign_id: string;
  system_id: string;
  account_id: string;
  external_id: string;
  username: string | null;
  email: string | null;
  display_name: string | null;
  person_id: string | null;
  person_name: string | null;
  account_status: string;
  is_privileged: boolean;
  mfa_enabled: boolean | null;
  last_sign_in_at: Timestamp | null;
  entitlements: Generated<unknown>;
  reviewer_user_id: string;
  reviewer_source: string;
  decision: string | null;
  reason: string | null;
  decided_by_user_id: string | null;
  decided_by_label: string | null;
  decided_at: Timestamp | null;
  verification: Generated<string>;
  verified_at: Timestamp | null;
  verified_by: string | null;
  verification_sync_id: string | null;
  verification_evidence_id: string | null;
}

/** Row of `access_review_reminders`. */
export interface AccessReviewRemindersTable {
  org_id: string;
  campaign_id: string;
  user_id: string;
  kind: string;
  sent_on: string;
}

/** Row of `customers`. */
export interface CustomersTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  key: string;
  notes: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `support_access_settings`. */
export interface SupportAccessSettingsTable {
  org_id: string;
  default_duration_minutes: Generated<number>;
  max_duration_minutes: Generated<number>;
  updated_at: Generated<Date>;
}

/** Row of `support_access_systems`. */
export interface SupportAccessSystemsTable {
  org_id: string;
  system_id: string;
  mode: string;
  grant_user: string | null;
  grant_secret_sealed: string | null;
  connection_limit: Generated<number>;
  webhook_url: string | null;
  webhook_secret_sealed: string | null;
  updated_at: Generated<Date>;
}

/** Row of `support_access_mappings`. */
export interface SupportAccessMappingsTable {
  org_id: string;
  system_id: string;
  customer_id: string;
  schema_name: string | null;
  read_role: string | null;
  write_role: string | null;
}

/** Row of `support_access_rules`. */
export interface SupportAccessRulesTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  user_ids: string[];
  system_ids: Generated<string[]>;
  max_level: string;
  max_duration_minutes: number;
  enabled: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `support_access_requests`. */
export interface SupportAccessRequestsTable {
  id: Generated<string>;
  org_id: string;
  customer_id: string;
  system_id: string;
  requester_user_id: string;
  reason: string;
  ticket_ref: string;
  level: string;
  duration_minutes: number;
  mechanism: string;
  status: Generated<string>;
  decided_by_user_id: string | null;
  decided_by_label: string | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
  auto_rule_id: string | null;
  auto_rule_name: string | null;
  granted_at: Timestamp | null;
  expires_at: Timestamp | null;
  ended_at: Timestamp | null;
  ended_by_label: string | null;
  end_reason: string | null;
  grant_username: string | null;
  grant_error: string | null;
  revoked_on_system_at: Timestamp | null;
  revoke_error: string | null;
  credential_sealed: string | null;
  credential_revealed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Row of `support_access_deliveries`. */
export interface SupportAccessDeliveriesTable {
  id: Generated<string>;
  org_id: string;
  request_id: string;
  event: string;
  attempt: number;
  attempted_at: Generated<Date>;
  status_code: number | null;
  acknowledged: boolean;
  response: string | null;
  error: string | null;
}

/** The database as Kysely sees it. */
/** Row of `training_latest_completions` (kept by a trigger on `training_completions`). */
export interface TrainingLatestCompletionsTable {
  org_id: string;
  module_id: string;
  subject_id: string;
  last_completed_on: string;
}

/** The distinct titles of an organisation's findings (kept by a trigger), searched by text. */
export interface FindingTitlesTable {
  org_id: string;
  title: string;
}

export interface Database {
  access_review_campaigns: AccessReviewCampaignsTable;
  access_review_campaign_systems: AccessReviewCampaignSystemsTable;
  access_review_items: AccessReviewItemsTable;
  access_review_reminders: AccessReviewRemindersTable;
  orgs: OrgsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_heads: AuditHeadsTable;
  audit_events: AuditEventsTable;
  audit_checkpoints: AuditCheckpointsTable;
  password_resets: PasswordResetsTable;
  invitations: InvitationsTable;
  crypto_data_keys: CryptoDataKeysTable;
  mfa_totp: MfaTotpTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  sign_in_challenges: SignInChallengesTable;
  org_security_policies: OrgSecurityPoliciesTable;
  user_lockouts: UserLockoutsTable;
  oidc_configs: OidcConfigsTable;
  oidc_sign_in_requests: OidcSignInRequestsTable;
  passkeys: PasskeysTable;
  program_settings: ProgramSettingsTable;
  frameworks: FrameworksTable;
  requirements: RequirementsTable;
  controls: ControlsTable;
  control_requirements: ControlRequirementsTable;
  checks: ChecksTable;
  control_checks: ControlChecksTable;
  check_results: CheckResultsTable;
  evidence_tasks: EvidenceTasksTable;
  evidence_files: EvidenceFilesTable;
  evidence: EvidenceTable;
  evidence_controls: EvidenceControlsTable;
  task_completions: TaskCompletionsTable;
  annexes: AnnexesTable;
  promises: PromisesTable;
  promise_controls: PromiseControlsTable;
  control_status_days: ControlStatusDaysTable;
  readiness_days: ReadinessDaysTable;
  assets: AssetsTable;
  scan_imports: ScanImportsTable;
  findings: FindingsTable;
  finding_events: FindingEventsTable;
  sla_policies: SlaPoliciesTable;
  risk_acceptances: RiskAcceptancesTable;
  kev_entries: KevEntriesTable;
  pentests: PentestsTable;
  finding_reminders: FindingRemindersTable;
  scim_tokens: ScimTokensTable;
  people: PeopleTable;
  scim_groups: ScimGroupsTable;
  scim_group_members: ScimGroupMembersTable;
  person_changes: PersonChangesTable;
  policies: PoliciesTable;
  policy_controls: PolicyControlsTable;
  policy_versions: PolicyVersionsTable;
  policy_acknowledgements: PolicyAcknowledgementsTable;
  policy_reviews: PolicyReviewsTable;
  policy_acknowledgement_notices: PolicyAcknowledgementNoticesTable;
  policy_coverage_counts: PolicyCoverageCountsTable;
  systems: SystemsTable;
  system_syncs: SystemSyncsTable;
  system_accounts: SystemAccountsTable;
  account_entitlements: AccountEntitlementsTable;
  system_account_changes: SystemAccountChangesTable;
  system_settings: SystemSettingsTable;
  access_profiles: AccessProfilesTable;
  access_profile_entitlements: AccessProfileEntitlementsTable;
  access_profile_people: AccessProfilePeopleTable;
  risk_settings: RiskSettingsTable;
  risks: RisksTable;
  risk_controls: RiskControlsTable;
  risk_changes: RiskChangesTable;
  risk_register_acceptances: RiskRegisterAcceptancesTable;
  risk_register_reviews: RiskRegisterReviewsTable;
  training_modules: TrainingModulesTable;
  training_module_versions: TrainingModuleVersionsTable;
  training_assignments: TrainingAssignmentsTable;
  training_attempts: TrainingAttemptsTable;
  training_completions: TrainingCompletionsTable;
  lifecycle_settings: LifecycleSettingsTable;
  lifecycle_templates: LifecycleTemplatesTable;
  lifecycle_events: LifecycleEventsTable;
  lifecycle_checklists: LifecycleChecklistsTable;
  lifecycle_items: LifecycleItemsTable;
  management_review_settings: ManagementReviewSettingsTable;
  management_reviews: ManagementReviewsTable;
  management_review_actions: ManagementReviewActionsTable;
  management_review_notes: ManagementReviewNotesTable;
  screening_settings: ScreeningSettingsTable;
  screening_records: ScreeningRecordsTable;
  screening_audits: ScreeningAuditsTable;
  customers: CustomersTable;
  support_access_settings: SupportAccessSettingsTable;
  support_access_systems: SupportAccessSystemsTable;
  support_access_mappings: SupportAccessMappingsTable;
  support_access_rules: SupportAccessRulesTable;
  support_access_requests: SupportAccessRequestsTable;
  support_access_deliveries: SupportAccessDeliveriesTable;
  training_latest_completions: TrainingLatestCompletionsTable;
  finding_titles: FindingTitlesTable;
  lifecycle_pending: LifecyclePendingTable;
}
