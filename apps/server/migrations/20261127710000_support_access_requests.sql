-- Just-in-time support access to customer data. Customers of the org; per system, how Steward
-- grants access (a PostgreSQL grant credential, or a signed webhook) and which schema or roles a
-- customer's data lives in; on-call rules that approve requests automatically; the org's duration
-- limits; and the access requests themselves with every webhook delivery attempt. Requests and
-- deliveries are the evidence of who reached which customer's data: never deleted.

CREATE TABLE customers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- A short stable identifier (slug) the systems know the customer by.
  key text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  notes text CHECK (length(notes) <= 4000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  UNIQUE (org_id, key)
);
CREATE UNIQUE INDEX customers_name_key ON customers (org_id, lower(name));

CREATE TABLE support_access_settings (
  org_id uuid PRIMARY KEY REFERENCES orgs (id),
  default_duration_minutes integer NOT NULL DEFAULT 240 CHECK (default_duration_minutes BETWEEN 1 AND 1440),
  max_duration_minutes integer NOT NULL DEFAULT 480 CHECK (max_duration_minutes BETWEEN 1 AND 1440),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (default_duration_minutes <= max_duration_minutes)
);

CREATE TABLE support_access_systems (
  org_id uuid NOT NULL REFERENCES orgs (id),
  system_id uuid NOT NULL,
  mode text NOT NULL CHECK (mode IN ('postgresql', 'webhook')),
  -- PostgreSQL: a role with CREATEROLE (and grant options on the customer schemas); its password
  -- sealed with the envelope scheme (purpose "support-access-grant:<system id>").
  grant_user text CHECK (length(grant_user) BETWEEN 1 AND 63),
  grant_secret_sealed text,
  connection_limit integer NOT NULL DEFAULT 2 CHECK (connection_limit BETWEEN 1 AND 20),
  -- Webhook: where grant and revoke events go, and the signing secret sealed
  -- (purpose "support-access-webhook:<system id>").
  webhook_url text CHECK (length(webhook_url) <= 2000),
  webhook_secret_sealed text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, system_id),
  FOREIGN KEY (org_id, system_id) REFERENCES systems (org_id, id),
  CHECK (mode <> 'postgresql' OR (grant_user IS NOT NULL AND grant_secret_sealed IS NOT NULL)),
  CHECK (mode <> 'webhook' OR (webhook_url IS NOT NULL AND webhook_secret_sealed IS NOT NULL))
);

-- Where a customer's data lives on a system: a schema (read: USAGE + SELECT; write: + INSERT,
-- UPDATE, DELETE) or existing roles granted for each level.
CREATE TABLE support_access_mappings (
  org_id uuid NOT NULL REFERENCES orgs (id),
  system_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  schema_name text CHECK (length(schema_name) BETWEEN 1 AND 63),
  read_role text CHECK (length(read_role) BETWEEN 1 AND 63),
  write_role text CHECK (length(write_role) BETWEEN 1 AND 63),
  PRIMARY KEY (org_id, system_id, customer_id),
  FOREIGN KEY (org_id, system_id) REFERENCES support_access_systems (org_id, system_id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id),
  CHECK (schema_name IS NOT NULL OR read_role IS NOT NULL OR write_role IS NOT NULL)
);

-- Pre-approved on-call rules: requests by these users, on these systems (none listed: any), up
-- to this level and duration are approved automatically.
CREATE TABLE support_access_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  user_ids uuid[] NOT NULL,
  system_ids uuid[] NOT NULL DEFAULT '{}',
  max_level text NOT NULL CHECK (max_level IN ('read', 'write')),
  max_duration_minutes integer NOT NULL CHECK (max_duration_minutes BETWEEN 1 AND 1440),
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id)
);

CREATE TABLE support_access_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  customer_id uuid NOT NULL,
  system_id uuid NOT NULL,
  requester_user_id uuid NOT NULL REFERENCES users (id),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  ticket_ref text NOT NULL CHECK (length(ticket_ref) BETWEEN 1 AND 200),
  level text NOT NULL CHECK (level IN ('read', 'write')),
  duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
  -- How access is granted, fixed when requested: 'postgresql' or 'webhook'.
  mechanism text NOT NULL CHECK (mechanism IN ('postgresql', 'webhook')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'active',
    'expired', 'released', 'revoked', 'denied', 'cancelled', 'failed')),
  decided_by_user_id uuid REFERENCES users (id),
  decided_by_label text,
  decided_at timestamptz,
  decision_reason text CHECK (length(decision_reason) <= 2000),
  auto_rule_id uuid,
  auto_rule_name text,
  granted_at timestamptz,
  expires_at timestamptz,
  ended_at timestamptz,
  ended_by_label text,
  end_reason text CHECK (length(end_reason) <= 2000),
  -- The login role created on a PostgreSQL system (random, never derived from user input).
  grant_username text,
  grant_error text,
  -- Revocation carried out on the system (role dropped, or the webhook acknowledged).
  revoked_on_system_at timestamptz,
  revoke_error text,
  -- The credential sealed until its one reveal to the requester, then wiped.
  credential_sealed text,
  credential_revealed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, customer_id) REFERENCES customers (org_id, id),
  FOREIGN KEY (org_id, system_id) REFERENCES systems (org_id, id),
  FOREIGN KEY (org_id, auto_rule_id) REFERENCES support_access_rules (org_id, id) ON DELETE SET NULL (auto_rule_id),
  CHECK (status <> 'denied' OR decision_reason IS NOT NULL),
  CHECK (decided_by_user_id IS NULL OR decided_by_user_id <> requester_user_id)
);
CREATE INDEX support_access_requests_list_idx ON support_access_requests (org_id, created_at DESC);
CREATE INDEX support_access_requests_customer_idx ON support_access_requests (org_id, customer_id, created_at DESC);
CREATE INDEX support_access_requests_live_idx ON support_access_requests (expires_at)
  WHERE status IN ('approved', 'active');
CREATE INDEX support_access_requests_cleanup_idx ON support_access_requests (org_id)
  WHERE revoked_on_system_at IS NULL AND grant_username IS NOT NULL
    AND status IN ('expired', 'released', 'revoked', 'failed');

-- Every webhook call: which event, which attempt, and what the system answered.
CREATE TABLE support_access_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  request_id uuid NOT NULL,
  event text NOT NULL CHECK (event IN ('grant', 'revoke')),
  attempt integer NOT NULL CHECK (attempt >= 1),
  attempted_at timestamptz NOT NULL DEFAULT now(),
  status_code integer,
  acknowledged boolean NOT NULL,
  -- The answer without any credential it carried, or the network error.
  response text CHECK (length(response) <= 4000),
  error text CHECK (length(error) <= 2000),
  UNIQUE (request_id, event, attempt),
  FOREIGN KEY (org_id, request_id) REFERENCES support_access_requests (org_id, id)
);
CREATE INDEX support_access_deliveries_request_idx ON support_access_deliveries (org_id, request_id, attempted_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['customers', 'support_access_settings', 'support_access_systems',
    'support_access_mappings', 'support_access_rules', 'support_access_requests',
    'support_access_deliveries']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org())', t || '_tenant', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON customers, support_access_settings, support_access_systems,
  support_access_requests TO steward_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON support_access_mappings, support_access_rules TO steward_app;
GRANT SELECT, INSERT ON support_access_deliveries TO steward_app;
