-- Data keys for secrets at rest. Installation-wide (not tenant data): each is wrapped by the
-- master key, which never reaches the database. The app role may read the wrapped keys; only the
-- owner connection (start-up, `steward keys rotate`) creates or re-wraps them.
CREATE TABLE crypto_data_keys (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9]{8,32}$'),
  master_key_id text NOT NULL,
  wrapped_key text NOT NULL,
  is_active boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  rewrapped_at timestamptz
);
CREATE UNIQUE INDEX crypto_data_keys_one_active ON crypto_data_keys (is_active) WHERE is_active;
GRANT SELECT ON crypto_data_keys TO steward_app;

-- TOTP: one authenticator per user; the seed is sealed with the data key (AAD totp:<user id>).
-- confirmed_at is null while enrolment awaits its first valid code.
CREATE TABLE mfa_totp (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  org_id uuid NOT NULL REFERENCES orgs (id),
  sealed_secret text NOT NULL,
  confirmed_at timestamptz,
  last_used_step bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mfa_totp_org_idx ON mfa_totp (org_id);
ALTER TABLE mfa_totp ENABLE ROW LEVEL SECURITY;
CREATE POLICY mfa_totp_tenant ON mfa_totp USING (org_id = steward_current_org())
  WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON mfa_totp TO steward_app;

-- Recovery codes: 80-bit random codes, so SHA-256 suffices; single use.
CREATE TABLE mfa_recovery_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  user_id uuid NOT NULL REFERENCES users (id),
  code_hash bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at timestamptz,
  UNIQUE (user_id, code_hash)
);
ALTER TABLE mfa_recovery_codes ENABLE ROW LEVEL SECURITY;
CREATE POLICY mfa_recovery_codes_tenant ON mfa_recovery_codes USING (org_id = steward_current_org())
  WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON mfa_recovery_codes TO steward_app;

-- A sign-in whose password was right and which now awaits its second factor (5 minutes).
-- Kept apart from sessions so no session lookup can ever accept it.
CREATE TABLE sign_in_challenges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  user_id uuid NOT NULL REFERENCES users (id),
  token_hash bytea NOT NULL UNIQUE,
  ip text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz
);
CREATE INDEX sign_in_challenges_user_idx ON sign_in_challenges (org_id, user_id);
ALTER TABLE sign_in_challenges ENABLE ROW LEVEL SECURITY;
CREATE POLICY sign_in_challenges_tenant ON sign_in_challenges USING (org_id = steward_current_org())
  WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE ON sign_in_challenges TO steward_app;

-- A session of a user whose role needs MFA but who has none may only reach enrolment.
ALTER TABLE sessions ADD COLUMN mfa_enrolment_required boolean NOT NULL DEFAULT false;

CREATE TABLE org_security_policies (
  org_id uuid PRIMARY KEY REFERENCES orgs (id),
  mfa_required_roles text[] NOT NULL,
  session_idle_minutes integer NOT NULL CHECK (session_idle_minutes BETWEEN 5 AND 1440),
  session_max_hours integer NOT NULL CHECK (session_max_hours BETWEEN 1 AND 720),
  allowed_sign_in_methods text[] NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE org_security_policies ENABLE ROW LEVEL SECURITY;
CREATE POLICY org_security_policies_tenant ON org_security_policies
  USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE ON org_security_policies TO steward_app;

-- Per-account failure counters and locks (sign-in, MFA and recovery attempts).
CREATE TABLE user_lockouts (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  org_id uuid NOT NULL REFERENCES orgs (id),
  failures integer NOT NULL DEFAULT 0,
  lock_level integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_failure_at timestamptz
);
CREATE INDEX user_lockouts_org_idx ON user_lockouts (org_id);
ALTER TABLE user_lockouts ENABLE ROW LEVEL SECURITY;
CREATE POLICY user_lockouts_tenant ON user_lockouts USING (org_id = steward_current_org())
  WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON user_lockouts TO steward_app;

-- Per-IP failure counters: installation-wide, reached only through the functions below.
CREATE TABLE ip_throttles (
  ip text PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  lock_level integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_failure_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION auth_ip_locked_until(p_ip text) RETURNS timestamptz
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT locked_until FROM ip_throttles WHERE ip = p_ip AND locked_until > now() $$;

-- Counts a failure from an IP; after p_threshold failures within 15 minutes the IP is locked for
-- the next step of p_lock_minutes. Returns the lock's end, or null.
CREATE FUNCTION auth_record_ip_failure(p_ip text, p_threshold integer, p_lock_minutes integer[])
  RETURNS timestamptz
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  r ip_throttles;
BEGIN
  INSERT INTO ip_throttles AS t (ip, failures, last_failure_at) VALUES (p_ip, 1, now())
  ON CONFLICT (ip) DO UPDATE SET
    failures = CASE WHEN t.last_failure_at < now() - interval '15 minutes' THEN 1
                    ELSE t.failures + 1 END,
    lock_level = CASE WHEN t.last_failure_at < now() - interval '1 day' THEN 0
                      ELSE t.lock_level END,
    last_failure_at = now()
  RETURNING * INTO r;
  IF r.failures >= p_threshold THEN
    UPDATE ip_throttles SET
      failures = 0,
      lock_level = r.lock_level + 1,
      locked_until = now() + make_interval(
        mins => p_lock_minutes[least(r.lock_level + 1, array_length(p_lock_minutes, 1))])
    WHERE ip = p_ip
    RETURNING * INTO r;
    RETURN r.locked_until;
  END IF;
  RETURN NULL;
END
$$;

DROP FUNCTION auth_find_session(bytea);
CREATE FUNCTION auth_find_session(p_token_hash bytea)
  RETURNS TABLE (id uuid, org_id uuid, user_id uuid, csrf_token text, auth_method text,
                 role text, user_email text, user_status text, last_seen_at timestamptz,
                 idle_timeout_minutes integer, expires_at timestamptz,
                 mfa_enrolment_required boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT s.id, s.org_id, s.user_id, s.csrf_token, s.auth_method, u.role, u.email, u.status,
           s.last_seen_at, s.idle_timeout_minutes, s.expires_at, s.mfa_enrolment_required
      FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL
  $$;

CREATE FUNCTION auth_find_sign_in_challenge(p_token_hash bytea)
  RETURNS TABLE (id uuid, org_id uuid, user_id uuid, user_email text, user_status text,
                 expires_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT c.id, c.org_id, c.user_id, u.email, u.status, c.expires_at
      FROM sign_in_challenges c JOIN users u ON u.id = c.user_id
     WHERE c.token_hash = p_token_hash AND c.consumed_at IS NULL
  $$;

REVOKE ALL ON FUNCTION auth_ip_locked_until(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION auth_record_ip_failure(text, integer, integer[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION auth_find_session(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION auth_find_sign_in_challenge(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_ip_locked_until(text) TO steward_app;
GRANT EXECUTE ON FUNCTION auth_record_ip_failure(text, integer, integer[]) TO steward_app;
GRANT EXECUTE ON FUNCTION auth_find_session(bytea) TO steward_app;
GRANT EXECUTE ON FUNCTION auth_find_sign_in_challenge(bytea) TO steward_app;
