-- Servers keep the principal behind a credential for a few seconds instead of looking it up on
-- every request. Every change that could end or alter what a session or API token grants is
-- announced on the `steward_principals` channel (payload: the org id, or `*` for all) when its
-- transaction commits; each server listens on its connections and forgets the org's principals.
-- A session that is merely used (last_seen_at moving forward) or a token that is merely used
-- (last_used_at) announces nothing: neither shortens what the credential grants.
CREATE FUNCTION auth_announce_principal_change()
  RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = public, pg_temp
  AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('steward_principals', '*');
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM pg_notify('steward_principals', NEW.org_id::text);
  END IF;
  -- Deleted rows, and rows moved away from an org, concern the org they left.
  IF TG_OP = 'DELETE' OR NEW.org_id IS DISTINCT FROM OLD.org_id THEN
    PERFORM pg_notify('steward_principals', OLD.org_id::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER users_announce_principal_change
  AFTER UPDATE ON users FOR EACH ROW
  WHEN (to_jsonb(OLD) - 'last_sign_in_at' IS DISTINCT FROM to_jsonb(NEW) - 'last_sign_in_at')
  EXECUTE FUNCTION auth_announce_principal_change();
CREATE TRIGGER users_announce_principal_removal
  AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION auth_announce_principal_change();
CREATE TRIGGER users_announce_principal_truncate
  AFTER TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION auth_announce_principal_change();

CREATE TRIGGER sessions_announce_principal_change
  AFTER UPDATE ON sessions FOR EACH ROW
  WHEN (to_jsonb(OLD) - 'last_seen_at' IS DISTINCT FROM to_jsonb(NEW) - 'last_seen_at'
        OR NEW.last_seen_at < OLD.last_seen_at)
  EXECUTE FUNCTION auth_announce_principal_change();
CREATE TRIGGER sessions_announce_principal_removal
  AFTER DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION auth_announce_principal_change();
CREATE TRIGGER sessions_announce_principal_truncate
  AFTER TRUNCATE ON sessions FOR EACH STATEMENT EXECUTE FUNCTION auth_announce_principal_change();

CREATE TRIGGER api_tokens_announce_principal_change
  AFTER UPDATE ON api_tokens FOR EACH ROW
  WHEN (to_jsonb(OLD) - 'last_used_at' IS DISTINCT FROM to_jsonb(NEW) - 'last_used_at')
  EXECUTE FUNCTION auth_announce_principal_change();
CREATE TRIGGER api_tokens_announce_principal_removal
  AFTER DELETE ON api_tokens FOR EACH ROW EXECUTE FUNCTION auth_announce_principal_change();
CREATE TRIGGER api_tokens_announce_principal_truncate
  AFTER TRUNCATE ON api_tokens FOR EACH STATEMENT EXECUTE FUNCTION auth_announce_principal_change();

-- PL/pgSQL rather than SQL: a SECURITY DEFINER SQL function is planned again on every call,
-- while PL/pgSQL keeps its plan for the session. Same results as before; revoked credentials
-- are never returned.
CREATE OR REPLACE FUNCTION auth_find_session(p_token_hash bytea)
  RETURNS TABLE (id uuid, org_id uuid, user_id uuid, csrf_token text, auth_method text,
                 role text, user_email text, user_status text, last_seen_at timestamptz,
                 idle_timeout_minutes integer, expires_at timestamptz,
                 mfa_enrolment_required boolean)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  RETURN QUERY
    SELECT s.id, s.org_id, s.user_id, s.csrf_token, s.auth_method, u.role, u.email, u.status,
           s.last_seen_at, s.idle_timeout_minutes, s.expires_at, s.mfa_enrolment_required
      FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL;
END
$$;

CREATE OR REPLACE FUNCTION auth_find_api_token(p_token_hash bytea)
  RETURNS TABLE (id uuid, org_id uuid, user_id uuid, name text, role text, user_role text,
                 user_email text, user_status text, expires_at timestamptz, last_used_at timestamptz)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  RETURN QUERY
    SELECT t.id, t.org_id, t.user_id, t.name, t.role, u.role, u.email, u.status, t.expires_at,
           t.last_used_at
      FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = p_token_hash AND t.revoked_at IS NULL;
END
$$;
