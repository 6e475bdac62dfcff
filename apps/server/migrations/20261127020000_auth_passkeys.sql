-- Passkeys (WebAuthn credentials): several per user. The public key is not secret; the counter
-- detects cloned authenticators (a value that does not grow is refused).
CREATE TABLE passkeys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  user_id uuid NOT NULL REFERENCES users (id),
  credential_id text NOT NULL UNIQUE
    CHECK (length(credential_id) BETWEEN 16 AND 1366 AND credential_id ~ '^[A-Za-z0-9_-]+$'),
  public_key bytea NOT NULL,
  counter bigint NOT NULL DEFAULT 0 CHECK (counter >= 0),
  transports text[] NOT NULL DEFAULT '{}',
  aaguid text NOT NULL,
  device_type text NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
  is_backed_up boolean NOT NULL DEFAULT false,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX passkeys_user_idx ON passkeys (org_id, user_id);
ALTER TABLE passkeys ENABLE ROW LEVEL SECURITY;
CREATE POLICY passkeys_tenant ON passkeys USING (org_id = steward_current_org())
  WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON passkeys TO steward_app;

-- WebAuthn challenges: installation-wide because a usernameless sign-in has no org yet. Each is
-- bound to what asked for it (a session, a pending sign-in, or a browser cookie), lives 5
-- minutes and is taken once; the app role reaches the table only through the functions below.
CREATE TABLE passkey_challenges (
  binding text PRIMARY KEY,
  challenge text NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE FUNCTION auth_passkey_challenge_issue(p_binding text, p_challenge text, p_minutes integer)
  RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    DELETE FROM passkey_challenges WHERE expires_at < now();
    INSERT INTO passkey_challenges (binding, challenge, expires_at)
    VALUES (p_binding, p_challenge, now() + make_interval(mins => p_minutes))
    ON CONFLICT (binding) DO UPDATE SET challenge = EXCLUDED.challenge,
                                        expires_at = EXCLUDED.expires_at;
  $$;

CREATE FUNCTION auth_passkey_challenge_take(p_binding text) RETURNS text
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    DELETE FROM passkey_challenges WHERE binding = p_binding
    RETURNING CASE WHEN expires_at > now() THEN challenge END
  $$;

-- The one cross-tenant read a passkey sign-in needs: whose credential is this?
CREATE FUNCTION auth_find_passkey(p_credential_id text)
  RETURNS TABLE (id uuid, org_id uuid, user_id uuid, user_email text, user_status text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT p.id, p.org_id, p.user_id, u.email, u.status
      FROM passkeys p JOIN users u ON u.id = p.user_id
     WHERE p.credential_id = p_credential_id
  $$;

REVOKE ALL ON FUNCTION auth_passkey_challenge_issue(text, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION auth_passkey_challenge_take(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION auth_find_passkey(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_passkey_challenge_issue(text, text, integer) TO steward_app;
GRANT EXECUTE ON FUNCTION auth_passkey_challenge_take(text) TO steward_app;
GRANT EXECUTE ON FUNCTION auth_find_passkey(text) TO steward_app;
