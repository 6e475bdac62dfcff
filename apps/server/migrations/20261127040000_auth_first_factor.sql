-- The first factor of a pending sign-in, so completing it records `sso+totp` rather than
-- `password+totp`. Rows pending when this runs predate SSO second factors being told apart and
-- live five minutes; they count as password. New rows must say which.
ALTER TABLE sign_in_challenges
  ADD COLUMN first_factor text NOT NULL DEFAULT 'password'
    CHECK (first_factor IN ('password', 'sso'));
ALTER TABLE sign_in_challenges ALTER COLUMN first_factor DROP DEFAULT;

DROP FUNCTION auth_find_sign_in_challenge(bytea);
CREATE FUNCTION auth_find_sign_in_challenge(p_token_hash bytea)
  RETURNS TABLE (id uuid, org_id uuid, user_id uuid, user_email text, user_status text,
                 expires_at timestamptz, first_factor text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT c.id, c.org_id, c.user_id, u.email, u.status, c.expires_at, c.first_factor
      FROM sign_in_challenges c JOIN users u ON u.id = c.user_id
     WHERE c.token_hash = p_token_hash AND c.consumed_at IS NULL
  $$;
REVOKE ALL ON FUNCTION auth_find_sign_in_challenge(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_find_sign_in_challenge(bytea) TO steward_app;
