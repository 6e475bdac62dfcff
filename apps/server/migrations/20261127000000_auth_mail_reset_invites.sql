-- Invited accounts exist before their owner chooses a password; they cannot sign in until then.
ALTER TABLE users DROP CONSTRAINT users_status_check;
ALTER TABLE users ADD CONSTRAINT users_status_check
  CHECK (status IN ('active', 'disabled', 'invited'));

-- Emailed single-use links. Only the SHA-256 of the token is stored; the token itself lives in
-- the email (and briefly in the mail job) only.
CREATE TABLE password_resets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  user_id uuid NOT NULL REFERENCES users (id),
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (org_id, user_id);
ALTER TABLE password_resets ENABLE ROW LEVEL SECURITY;
CREATE POLICY password_resets_tenant ON password_resets USING (org_id = steward_current_org())
  WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE ON password_resets TO steward_app;

CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  user_id uuid NOT NULL REFERENCES users (id),
  token_hash bytea NOT NULL UNIQUE,
  invited_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX invitations_user_idx ON invitations (org_id, user_id);
-- At most one open invitation per user: inviting again replaces it.
CREATE UNIQUE INDEX invitations_open_key ON invitations (user_id)
  WHERE accepted_at IS NULL AND revoked_at IS NULL;
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
CREATE POLICY invitations_tenant ON invitations USING (org_id = steward_current_org())
  WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE ON invitations TO steward_app;

-- Cross-tenant lookups by token hash, needed before the holder's org is known.
CREATE FUNCTION auth_find_password_reset(p_token_hash bytea)
  RETURNS TABLE (id uuid, org_id uuid, user_id uuid, expires_at timestamptz, used_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT r.id, r.org_id, r.user_id, r.expires_at, r.used_at
      FROM password_resets r WHERE r.token_hash = p_token_hash
  $$;

CREATE FUNCTION auth_find_invitation(p_token_hash bytea)
  RETURNS TABLE (id uuid, org_id uuid, user_id uuid, expires_at timestamptz,
                 accepted_at timestamptz, revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT i.id, i.org_id, i.user_id, i.expires_at, i.accepted_at, i.revoked_at
      FROM invitations i WHERE i.token_hash = p_token_hash
  $$;

REVOKE ALL ON FUNCTION auth_find_password_reset(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION auth_find_invitation(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_find_password_reset(bytea) TO steward_app;
GRANT EXECUTE ON FUNCTION auth_find_invitation(bytea) TO steward_app;
