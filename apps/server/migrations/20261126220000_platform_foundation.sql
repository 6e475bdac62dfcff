-- Runtime role: the application connects as (or switches to) steward_app, which owns nothing
-- and cannot bypass row-level security. Migrations run as the database owner.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steward_app') THEN
    CREATE ROLE steward_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
END
$$;

DO $$
BEGIN
  EXECUTE format('GRANT steward_app TO %I', current_user);
EXCEPTION WHEN others THEN
  RAISE NOTICE 'could not grant steward_app to %: %', current_user, SQLERRM;
END
$$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO steward_app;

CREATE FUNCTION steward_current_org() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('steward.org_id', true), '')::uuid $$;

CREATE TABLE orgs (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE orgs ENABLE ROW LEVEL SECURITY;
CREATE POLICY orgs_tenant ON orgs USING (id = steward_current_org())
  WITH CHECK (id = steward_current_org());
GRANT SELECT, INSERT, UPDATE ON orgs TO steward_app;

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'security_manager', 'contributor', 'auditor', 'employee')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  password_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz
);
-- Sign-in is by email alone, so an email identifies one account across the installation.
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_org_idx ON users (org_id, name);
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_tenant ON users USING (org_id = steward_current_org())
  WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE ON users TO steward_app;

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  user_id uuid NOT NULL REFERENCES users (id),
  token_hash bytea NOT NULL UNIQUE,
  csrf_token text NOT NULL,
  auth_method text NOT NULL,
  ip text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  idle_timeout_minutes integer NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (org_id, user_id);
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY sessions_tenant ON sessions USING (org_id = steward_current_org())
  WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE ON sessions TO steward_app;

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  user_id uuid NOT NULL REFERENCES users (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'security_manager', 'contributor', 'auditor', 'employee')),
  prefix text NOT NULL,
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (org_id, user_id);
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY api_tokens_tenant ON api_tokens USING (org_id = steward_current_org())
  WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE ON api_tokens TO steward_app;

-- Audit log: append-only, hash-chained per org. The head row serialises appends per org.
CREATE TABLE audit_heads (
  org_id uuid PRIMARY KEY REFERENCES orgs (id),
  seq bigint NOT NULL DEFAULT 0,
  last_hash text NOT NULL
);
ALTER TABLE audit_heads ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_heads_tenant ON audit_heads USING (org_id = steward_current_org())
  WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE ON audit_heads TO steward_app;

CREATE TABLE audit_events (
  org_id uuid NOT NULL REFERENCES orgs (id),
  seq bigint NOT NULL,
  id uuid NOT NULL UNIQUE,
  occurred_at timestamptz NOT NULL,
  actor_type text NOT NULL,
  actor_id text,
  actor_label text,
  auth_method text NOT NULL,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text,
  request_id text,
  ip text,
  user_agent text,
  changes jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (org_id, seq)
);
CREATE INDEX audit_events_action_idx ON audit_events (org_id, action, seq DESC);
CREATE INDEX audit_events_target_idx ON audit_events (org_id, target_type, target_id, seq DESC);
CREATE INDEX audit_events_actor_idx ON audit_events (org_id, actor_label, seq DESC);
CREATE INDEX audit_events_time_idx ON audit_events (org_id, occurred_at DESC);
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_events_tenant ON audit_events USING (org_id = steward_current_org())
  WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT ON audit_events TO steward_app;

CREATE TABLE audit_checkpoints (
  org_id uuid NOT NULL REFERENCES orgs (id),
  seq bigint NOT NULL,
  event_hash text NOT NULL,
  signed_at timestamptz NOT NULL,
  key_id text NOT NULL,
  signature text NOT NULL,
  PRIMARY KEY (org_id, seq)
);
ALTER TABLE audit_checkpoints ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_checkpoints_tenant ON audit_checkpoints USING (org_id = steward_current_org())
  WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT ON audit_checkpoints TO steward_app;

CREATE FUNCTION steward_reject_audit_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  RAISE EXCEPTION 'audit records are append-only (% on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION steward_reject_audit_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION steward_reject_audit_change();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION steward_reject_audit_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION steward_reject_audit_change();

-- Narrow cross-tenant lookups needed before the caller's org is known. They run as the owner
-- (SECURITY DEFINER) and return only what authentication needs.
CREATE FUNCTION auth_is_set_up() RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT EXISTS (SELECT 1 FROM orgs) $$;

CREATE FUNCTION auth_find_user_by_email(p_email text)
  RETURNS TABLE (id uuid, org_id uuid, password_hash text, status text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT u.id, u.org_id, u.password_hash, u.status FROM users u WHERE u.email = lower(p_email) $$;

CREATE FUNCTION auth_find_session(p_token_hash bytea)
  RETURNS TABLE (id uuid, org_id uuid, user_id uuid, csrf_token text, auth_method text,
                 role text, user_email text, user_status text, last_seen_at timestamptz,
                 idle_timeout_minutes integer, expires_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT s.id, s.org_id, s.user_id, s.csrf_token, s.auth_method, u.role, u.email, u.status,
           s.last_seen_at, s.idle_timeout_minutes, s.expires_at
      FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL
  $$;

CREATE FUNCTION auth_find_api_token(p_token_hash bytea)
  RETURNS TABLE (id uuid, org_id uuid, user_id uuid, name text, role text, user_role text,
                 user_email text, user_status text, expires_at timestamptz, last_used_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT t.id, t.org_id, t.user_id, t.name, t.role, u.role, u.email, u.status, t.expires_at,
           t.last_used_at
      FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = p_token_hash AND t.revoked_at IS NULL
  $$;

REVOKE ALL ON FUNCTION auth_is_set_up() FROM PUBLIC;
REVOKE ALL ON FUNCTION auth_find_user_by_email(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION auth_find_session(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION auth_find_api_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_is_set_up() TO steward_app;
GRANT EXECUTE ON FUNCTION auth_find_user_by_email(text) TO steward_app;
GRANT EXECUTE ON FUNCTION auth_find_session(bytea) TO steward_app;
GRANT EXECUTE ON FUNCTION auth_find_api_token(bytea) TO steward_app;
GRANT EXECUTE ON FUNCTION steward_current_org() TO steward_app;

CREATE FUNCTION audit_orgs_due_for_checkpoint()
  RETURNS TABLE (org_id uuid, seq bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT h.org_id, h.seq FROM audit_heads h
     WHERE h.seq > COALESCE((SELECT max(c.seq) FROM audit_checkpoints c WHERE c.org_id = h.org_id), 0)
  $$;
REVOKE ALL ON FUNCTION audit_orgs_due_for_checkpoint() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_orgs_due_for_checkpoint() TO steward_app;
