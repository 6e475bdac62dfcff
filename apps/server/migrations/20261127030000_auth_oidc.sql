-- OpenID Connect sign-in: one IdP per org. The client secret is sealed with the envelope scheme
-- (AAD oidc:<org id>); allowed_domains also route an SSO sign-in started from a work email.
CREATE TABLE oidc_configs (
  org_id uuid PRIMARY KEY REFERENCES orgs (id),
  issuer text NOT NULL,
  client_id text NOT NULL,
  sealed_client_secret text NOT NULL,
  is_enabled boolean NOT NULL DEFAULT true,
  provisioning text NOT NULL CHECK (provisioning IN ('jit', 'invite_only')),
  default_role text NOT NULL CHECK (default_role <> 'owner'),
  allowed_domains text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE oidc_configs ENABLE ROW LEVEL SECURITY;
CREATE POLICY oidc_configs_tenant ON oidc_configs USING (org_id = steward_current_org())
  WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON oidc_configs TO steward_app;

-- A started SSO sign-in: state (hashed, the lookup key), nonce and PKCE verifier stay here; the
-- browser that started it holds a cookie whose hash must match (no login CSRF). Single use.
CREATE TABLE oidc_sign_in_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  state_hash bytea NOT NULL UNIQUE,
  browser_hash bytea NOT NULL,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  consumed_at timestamptz
);
CREATE INDEX oidc_sign_in_requests_org_idx ON oidc_sign_in_requests (org_id, created_at);
ALTER TABLE oidc_sign_in_requests ENABLE ROW LEVEL SECURITY;
CREATE POLICY oidc_sign_in_requests_tenant ON oidc_sign_in_requests
  USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE ON oidc_sign_in_requests TO steward_app;

-- What the IdP said about how the person authenticated, kept with the session.
ALTER TABLE sessions ADD COLUMN idp_amr text[];
ALTER TABLE sessions ADD COLUMN idp_acr text;

ALTER TABLE org_security_policies ADD COLUMN sso_required boolean NOT NULL DEFAULT false;
ALTER TABLE org_security_policies ADD COLUMN break_glass_user_id uuid REFERENCES users (id);

-- The callback knows only the state: which org's request is it?
CREATE FUNCTION auth_find_oidc_request(p_state_hash bytea)
  RETURNS TABLE (id uuid, org_id uuid, expires_at timestamptz, consumed_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT r.id, r.org_id, r.expires_at, r.consumed_at
      FROM oidc_sign_in_requests r WHERE r.state_hash = p_state_hash
  $$;

-- Which orgs sign in with SSO for these email domains (routing by work email, uniqueness check).
CREATE FUNCTION auth_find_oidc_domains(p_domains text[])
  RETURNS TABLE (org_id uuid, domain text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT c.org_id, d FROM oidc_configs c, unnest(c.allowed_domains) d WHERE d = ANY (p_domains)
  $$;

REVOKE ALL ON FUNCTION auth_find_oidc_request(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION auth_find_oidc_domains(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_find_oidc_request(bytea) TO steward_app;
GRANT EXECUTE ON FUNCTION auth_find_oidc_domains(text[]) TO steward_app;
