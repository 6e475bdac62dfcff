-- The people directory: personnel (distinct from Steward sign-in users) pushed by identity
-- providers over SCIM, imported from CSV or entered by hand; SCIM groups and their members; the
-- bearer tokens of identity provider connections; and the append-only trail of directory
-- changes that joiner/mover/leaver events are derived from.

CREATE TABLE scim_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  -- The identity provider connection, e.g. "Okta production"; audit events name it.
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  prefix text NOT NULL,
  token_hash bytea NOT NULL UNIQUE,
  created_by text NOT NULL,
  created_by_user_id uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  UNIQUE (org_id, id)
);
CREATE INDEX scim_tokens_org_idx ON scim_tokens (org_id, created_at DESC);

CREATE TABLE people (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 300),
  given_name text,
  family_name text,
  -- The work email. Not unique: identity providers may hold several people with one address.
  email text CHECK (email = lower(email) AND length(email) <= 320),
  employee_number text,
  department text,
  title text,
  manager_id uuid,
  -- The manager as the source named them (SCIM id, external id, employee number or email), kept
  -- until a person of the directory matches it.
  manager_ref text,
  employment_type text CHECK (employment_type IN ('employee', 'contractor', 'intern', 'other')),
  start_date date,
  end_date date,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'on_leave', 'departed')),
  source text NOT NULL CHECK (source IN ('scim', 'csv', 'manual')),
  user_id uuid REFERENCES users (id),
  scim_user_name text,
  scim_external_id text,
  -- The identity provider connection that last wrote the person.
  scim_token_id uuid,
  -- The SCIM representation as last written (RFC 7643 attribute names), without the attributes
  -- Steward derives: id, meta, groups, active and its own extension.
  scim_resource jsonb,
  -- The identity provider deleted the user; the person stays in the directory, departed.
  scim_removed_at timestamptz,
  -- Lower-cased copies for case-insensitive lookups (SCIM caseExact false). Row-level security
  -- lets the planner use an index only for leakproof conditions, which lower(column) is not,
  -- while column = lower($1) is.
  scim_user_name_key text GENERATED ALWAYS AS (lower(scim_user_name)) STORED,
  department_key text GENERATED ALWAYS AS (lower(department)) STORED,
  employee_number_key text GENERATED ALWAYS AS (lower(employee_number)) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  -- People are never deleted (their history is the evidence), so references need no action.
  FOREIGN KEY (org_id, manager_id) REFERENCES people (org_id, id),
  FOREIGN KEY (org_id, scim_token_id) REFERENCES scim_tokens (org_id, id),
  CHECK (manager_id IS NULL OR manager_id <> id),
  CHECK (status <> 'departed' OR end_date IS NOT NULL),
  CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
  CHECK (source <> 'scim' OR (scim_user_name IS NOT NULL AND scim_resource IS NOT NULL))
);
-- userName is unique (case-insensitively, RFC 7643 caseExact false) among the users a SCIM
-- client can see; a removed user frees it.
CREATE UNIQUE INDEX people_scim_user_name_key ON people (org_id, scim_user_name_key)
  WHERE scim_user_name IS NOT NULL AND scim_removed_at IS NULL;
CREATE INDEX people_scim_order_idx ON people (org_id, created_at, id)
  WHERE scim_user_name IS NOT NULL AND scim_removed_at IS NULL;
CREATE INDEX people_scim_external_id_idx ON people (org_id, scim_external_id)
  WHERE scim_external_id IS NOT NULL;
CREATE INDEX people_name_idx ON people (org_id, display_name, id);
CREATE INDEX people_email_idx ON people (org_id, email) WHERE email IS NOT NULL;
CREATE INDEX people_department_idx ON people (org_id, department_key);
CREATE INDEX people_employee_number_idx ON people (org_id, employee_number_key)
  WHERE employee_number IS NOT NULL;
CREATE INDEX people_manager_idx ON people (org_id, manager_id) WHERE manager_id IS NOT NULL;
CREATE INDEX people_manager_ref_idx ON people (org_id, manager_ref)
  WHERE manager_ref IS NOT NULL AND manager_id IS NULL;

CREATE TABLE scim_groups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 300),
  external_id text,
  scim_token_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, scim_token_id) REFERENCES scim_tokens (org_id, id)
);
CREATE INDEX scim_groups_order_idx ON scim_groups (org_id, created_at, id);
CREATE INDEX scim_groups_name_idx ON scim_groups (org_id, lower(display_name));
CREATE INDEX scim_groups_external_id_idx ON scim_groups (org_id, external_id)
  WHERE external_id IS NOT NULL;

CREATE TABLE scim_group_members (
  org_id uuid NOT NULL,
  group_id uuid NOT NULL,
  person_id uuid NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, person_id),
  FOREIGN KEY (org_id, group_id) REFERENCES scim_groups (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id)
);
CREATE INDEX scim_group_members_person_idx ON scim_group_members (org_id, person_id);

-- Append-only: the app role may add entries, never change or remove them.
CREATE TABLE person_changes (
  seq bigserial PRIMARY KEY,
  org_id uuid NOT NULL,
  person_id uuid NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL CHECK (kind IN ('created', 'updated', 'deactivated', 'reactivated', 'removed')),
  source text NOT NULL CHECK (source IN ('scim', 'csv', 'manual')),
  actor_label text,
  -- {"department": {"from": "Sales", "to": "Finance"}, ...}
  changes jsonb NOT NULL DEFAULT '{}',
  FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id)
);
CREATE INDEX person_changes_person_idx ON person_changes (org_id, person_id, seq DESC);
CREATE INDEX person_changes_org_idx ON person_changes (org_id, seq);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['scim_tokens', 'people', 'scim_groups', 'scim_group_members',
    'person_changes']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org())', t || '_tenant', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT ON scim_tokens TO steward_app;
GRANT UPDATE (last_used_at, revoked_at) ON scim_tokens TO steward_app;
GRANT SELECT, INSERT, UPDATE ON people TO steward_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON scim_groups TO steward_app;
GRANT SELECT, INSERT, DELETE ON scim_group_members TO steward_app;
GRANT SELECT, INSERT ON person_changes TO steward_app;
GRANT USAGE ON SEQUENCE person_changes_seq_seq TO steward_app;

-- The only cross-tenant read of this module: which connection a SCIM bearer token belongs to,
-- before the caller's org is known. Revoked tokens are never returned.
CREATE FUNCTION scim_find_token(p_token_hash bytea)
  RETURNS TABLE (id uuid, org_id uuid, name text, last_used_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT t.id, t.org_id, t.name, t.last_used_at
      FROM scim_tokens t
     WHERE t.token_hash = p_token_hash AND t.revoked_at IS NULL
  $$;
REVOKE ALL ON FUNCTION scim_find_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION scim_find_token(bytea) TO steward_app;
