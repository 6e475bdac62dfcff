-- The systems and accounts inventory: the systems the company runs or uses, the accounts each one
-- holds with their entitlements (roles, groups, privileges), the syncs that fed them (connectors,
-- CSV uploads, pushed snapshots, the SCIM directory) with a per-account change trail, the org's
-- settings for account flags, and role profiles (which entitlements a person's role allows).

CREATE TABLE systems (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text CHECK (length(description) <= 4000),
  owner_user_id uuid REFERENCES users (id),
  environment text NOT NULL CHECK (environment IN ('production', 'staging', 'development')),
  holds_customer_data boolean NOT NULL DEFAULT false,
  sign_in_method text NOT NULL CHECK (sign_in_method IN ('sso', 'local')),
  -- Whether the system could be put behind single sign-on (feeds the SSO coverage check).
  sso_supported boolean NOT NULL DEFAULT false,
  mfa_enforced boolean NOT NULL DEFAULT false,
  criticality text NOT NULL DEFAULT 'medium' CHECK (criticality IN ('low', 'medium', 'high', 'critical')),
  review_cadence_months integer NOT NULL DEFAULT 3 CHECK (review_cadence_months BETWEEN 1 AND 24),
  -- The most standing privileged accounts the owner accepts; null means no limit was set.
  admin_limit integer CHECK (admin_limit BETWEEN 0 AND 10000),
  connector_kind text CHECK (connector_kind IN ('postgresql', 'csv', 'push', 'scim')),
  -- Non-secret connector settings, e.g. {"host", "port", "database", "user", "sslmode"}.
  connector_settings jsonb NOT NULL DEFAULT '{}',
  -- The connector password sealed with the envelope scheme (purpose "system-connector:<id>").
  connector_secret_sealed text,
  -- Scheduled syncs: every N hours, or on demand only when null.
  sync_interval_hours integer CHECK (sync_interval_hours BETWEEN 1 AND 720),
  next_sync_at timestamptz,
  last_sync_at timestamptz,
  last_sync_status text CHECK (last_sync_status IN ('succeeded', 'failed')),
  retired_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id)
);
-- Names are unique per org, case-insensitively.
CREATE UNIQUE INDEX systems_name_key ON systems (org_id, lower(name));
CREATE INDEX systems_due_idx ON systems (next_sync_at)
  WHERE next_sync_at IS NOT NULL AND retired_at IS NULL;

CREATE TABLE system_syncs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  system_id uuid NOT NULL,
  source text NOT NULL CHECK (source IN ('postgresql', 'csv', 'push', 'scim')),
  trigger text NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'schedule', 'api')),
  actor_label text,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  -- {"received", "added", "changed", "unchanged", "disabled", "removed", "reactivated"}
  counts jsonb NOT NULL DEFAULT '{}',
  error text,
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, system_id) REFERENCES systems (org_id, id)
);
CREATE INDEX system_syncs_system_idx ON system_syncs (org_id, system_id, started_at DESC);

CREATE TABLE system_accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  system_id uuid NOT NULL,
  -- The account's identity in the system (role name, user id...); stable across syncs.
  external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 500),
  username text,
  email text CHECK (email = lower(email)),
  display_name text,
  -- 'service' accounts belong to a named owner instead of a person.
  account_type text NOT NULL DEFAULT 'user' CHECK (account_type IN ('user', 'service')),
  service_owner_user_id uuid REFERENCES users (id),
  person_id uuid,
  link_method text CHECK (link_method IN ('email', 'username', 'manual')),
  -- Set when someone unlinked the account by hand: matching leaves it alone afterwards.
  auto_link_disabled boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'removed')),
  is_privileged boolean NOT NULL DEFAULT false,
  -- Why a privileged account is allowed to stand (feeds the standing administrators check).
  privilege_justification text CHECK (length(privilege_justification) <= 2000),
  mfa_enabled boolean,
  last_sign_in_at timestamptz,
  -- Expiry of the credential where the system has one (PostgreSQL rolvaliduntil).
  valid_until timestamptz,
  -- Digest of the account as last received, so an identical snapshot changes nothing (the row
  -- is not written at all; an account not removed was in the latest successful sync).
  digest text NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  removed_at timestamptz,
  last_sync_id uuid,
  UNIQUE (org_id, id),
  UNIQUE (org_id, system_id, external_id),
  FOREIGN KEY (org_id, system_id) REFERENCES systems (org_id, id),
  FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id),
  CHECK (link_method IS NULL OR person_id IS NOT NULL),
  CHECK (status <> 'removed' OR removed_at IS NOT NULL)
);
CREATE INDEX system_accounts_person_idx ON system_accounts (org_id, person_id)
  WHERE person_id IS NOT NULL;
CREATE INDEX system_accounts_email_idx ON system_accounts (org_id, email) WHERE email IS NOT NULL;
CREATE INDEX system_accounts_list_idx ON system_accounts (org_id, system_id, status, external_id);

CREATE TABLE account_entitlements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  account_id uuid NOT NULL,
  system_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('role', 'group', 'privilege')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  is_privileged boolean NOT NULL DEFAULT false,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, kind, name),
  FOREIGN KEY (org_id, account_id) REFERENCES system_accounts (org_id, id),
  FOREIGN KEY (org_id, system_id) REFERENCES systems (org_id, id)
);
CREATE INDEX account_entitlements_system_idx ON account_entitlements (org_id, system_id, kind, name);

-- Append-only trail of what each sync or link changed on an account.
CREATE TABLE system_account_changes (
  seq bigserial PRIMARY KEY,
  org_id uuid NOT NULL,
  system_id uuid NOT NULL,
  account_id uuid NOT NULL,
  sync_id uuid,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL CHECK (kind IN ('added', 'changed', 'disabled', 'reactivated', 'removed', 'linked', 'unlinked')),
  -- {"status": {"from": "active", "to": "disabled"}, "entitlements": {"added": [...], "removed": [...]}}
  changes jsonb NOT NULL DEFAULT '{}',
  FOREIGN KEY (org_id, account_id) REFERENCES system_accounts (org_id, id),
  FOREIGN KEY (org_id, sync_id) REFERENCES system_syncs (org_id, id)
);
CREATE INDEX system_account_changes_account_idx ON system_account_changes (org_id, account_id, seq DESC);
CREATE INDEX system_account_changes_sync_idx ON system_account_changes (org_id, sync_id);

CREATE TABLE system_settings (
  org_id uuid PRIMARY KEY REFERENCES orgs (id),
  -- An account without a sign-in for this many days is dormant.
  dormant_days integer NOT NULL DEFAULT 90 CHECK (dormant_days BETWEEN 1 AND 3650),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Role profiles: what a person's role allows on each system. A person holds a profile by
-- explicit assignment or because their department (and title, when set) matches.
CREATE TABLE access_profiles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text CHECK (length(description) <= 4000),
  match_department text,
  match_title text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  CHECK (match_title IS NULL OR match_department IS NOT NULL)
);
CREATE UNIQUE INDEX access_profiles_name_key ON access_profiles (org_id, lower(name));

CREATE TABLE access_profile_entitlements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  profile_id uuid NOT NULL,
  system_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('role', 'group', 'privilege')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  UNIQUE (profile_id, system_id, kind, name),
  FOREIGN KEY (org_id, profile_id) REFERENCES access_profiles (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, system_id) REFERENCES systems (org_id, id)
);
CREATE INDEX access_profile_entitlements_system_idx ON access_profile_entitlements (org_id, system_id);

CREATE TABLE access_profile_people (
  org_id uuid NOT NULL REFERENCES orgs (id),
  profile_id uuid NOT NULL,
  person_id uuid NOT NULL,
  PRIMARY KEY (profile_id, person_id),
  FOREIGN KEY (org_id, profile_id) REFERENCES access_profiles (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id)
);
CREATE INDEX access_profile_people_person_idx ON access_profile_people (org_id, person_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['systems', 'system_syncs', 'system_accounts', 'account_entitlements',
    'system_account_changes', 'system_settings', 'access_profiles', 'access_profile_entitlements',
    'access_profile_people']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org())', t || '_tenant', t);
  END LOOP;
END $$;

-- Systems, accounts and syncs are evidence: never deleted (a system is retired, an account that
-- disappears is marked removed). Entitlements mirror the system's current state and go when the
-- system drops them; the change trail keeps what they were.
GRANT SELECT, INSERT, UPDATE ON systems, system_syncs, system_accounts TO steward_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON account_entitlements TO steward_app;
GRANT SELECT, INSERT ON system_account_changes TO steward_app;
GRANT USAGE ON SEQUENCE system_account_changes_seq_seq TO steward_app;
GRANT SELECT, INSERT, UPDATE ON system_settings TO steward_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON access_profiles, access_profile_entitlements,
  access_profile_people TO steward_app;
