-- Vulnerability management: assets, scan imports, findings with their history, remediation
-- SLAs, risk acceptances, CISA KEV, penetration tests.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE assets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  kind text NOT NULL DEFAULT 'other'
    CHECK (kind IN ('repository', 'container_image', 'host', 'web_application', 'cloud_account', 'other')),
  environment text NOT NULL DEFAULT 'production'
    CHECK (environment IN ('production', 'staging', 'development')),
  owner_id uuid REFERENCES users (id),
  criticality text NOT NULL DEFAULT 'medium' CHECK (criticality IN ('critical', 'high', 'medium', 'low')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, name),
  UNIQUE (org_id, id)
);

-- One report brought into one asset. Summary counts are written when the import commits; a
-- failed import leaves only this row (status failed, with its error) and no finding changes.
CREATE TABLE scan_imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  asset_id uuid NOT NULL,
  tool text NOT NULL,
  format text NOT NULL,
  file_name text,
  file_sha256 text,
  file_size_bytes bigint,
  close_missing boolean NOT NULL,
  status text NOT NULL CHECK (status IN ('completed', 'failed')),
  error text,
  results_count integer NOT NULL DEFAULT 0,
  findings_count integer NOT NULL DEFAULT 0,
  created_count integer NOT NULL DEFAULT 0,
  matched_count integer NOT NULL DEFAULT 0,
  reactivated_count integer NOT NULL DEFAULT 0,
  closed_count integer NOT NULL DEFAULT 0,
  updated_count integer NOT NULL DEFAULT 0,
  -- Every tool named by the report (a SARIF log may hold several runs); `tool` is the first.
  tools text[] NOT NULL DEFAULT '{}',
  -- Problems that did not stop the import (e.g. locations beyond the per-finding limit).
  warnings jsonb NOT NULL DEFAULT '[]',
  duration_ms integer,
  imported_by text NOT NULL,
  imported_by_user_id uuid REFERENCES users (id),
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, asset_id) REFERENCES assets (org_id, id)
);
CREATE INDEX scan_imports_asset_idx ON scan_imports (asset_id, finished_at DESC);

CREATE TABLE findings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  asset_id uuid NOT NULL,
  tool text NOT NULL,
  identity_version integer NOT NULL,
  identity_key text NOT NULL,
  category text NOT NULL CHECK (category IN ('dependency', 'code', 'dast', 'secret', 'configuration')),
  title text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
  rule_id text,
  vulnerability_ids text[] NOT NULL DEFAULT '{}',
  cwes integer[] NOT NULL DEFAULT '{}',
  cvss_v3_vector text,
  cvss_v3_score numeric(3, 1),
  cvss_v4_vector text,
  cvss_v4_score numeric(3, 1),
  package_name text,
  package_version text,
  purl text,
  fix_version text,
  is_fix_available boolean,
  description text,
  remediation text,
  "references" text[] NOT NULL DEFAULT '{}',
  locations jsonb NOT NULL DEFAULT '[]',
  occurrences integer NOT NULL DEFAULT 1,
  -- Digest of what a report may change on a known finding (fix version and availability,
  -- locations, occurrences): a re-import compares it instead of the fields themselves.
  report_digest text,
  state text NOT NULL DEFAULT 'open'
    CHECK (state IN ('open', 'risk_accepted', 'false_positive', 'not_affected', 'fixed')),
  state_reason text,
  state_changed_at timestamptz NOT NULL DEFAULT now(),
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  -- When the remediation clock started (first seen, or a reopening when the org restarts it).
  sla_started_at timestamptz NOT NULL,
  due_at timestamptz,
  fixed_at timestamptz,
  -- Cross-tool: the same vulnerability in the same package version found by another tool on
  -- the same asset points at the first finding of it, so metrics count it once.
  canonical_id uuid,
  dependency_key text,
  is_kev boolean NOT NULL DEFAULT false,
  retest_status text CHECK (retest_status IN ('pending', 'passed', 'failed')),
  pentest_id uuid,
  first_import_id uuid,
  -- The last import that changed the finding (an unchanged re-import leaves it as it was).
  last_import_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (asset_id, tool, identity_key),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, asset_id) REFERENCES assets (org_id, id)
) WITH (fillfactor = 90);
CREATE INDEX findings_list_idx ON findings (org_id, created_at DESC, id DESC);
CREATE INDEX findings_severity_idx ON findings (org_id, state, severity, created_at DESC, id DESC);
CREATE INDEX findings_asset_idx ON findings (asset_id, state, severity);
CREATE INDEX findings_due_idx ON findings (org_id, due_at) WHERE state = 'open';
CREATE INDEX findings_fixed_idx ON findings (org_id, fixed_at) WHERE state = 'fixed';
-- The earliest finding of a dependency key on an asset is the canonical one others link to.
CREATE INDEX findings_dependency_idx ON findings (asset_id, dependency_key, created_at, id)
  WHERE dependency_key IS NOT NULL AND canonical_id IS NULL;
CREATE INDEX findings_vuln_ids_idx ON findings USING gin (vulnerability_ids);
CREATE INDEX findings_title_trgm_idx ON findings USING gin (title gin_trgm_ops);

-- Every state change of a finding: who, when, why (an import, a person, the expiry of an acceptance).
CREATE TABLE finding_events (
  id bigserial PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id),
  finding_id uuid NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  actor_user_id uuid REFERENCES users (id),
  kind text NOT NULL,
  from_state text,
  to_state text,
  reason text,
  import_id uuid,
  FOREIGN KEY (org_id, finding_id) REFERENCES findings (org_id, id)
);
CREATE INDEX finding_events_finding_idx ON finding_events (finding_id, at);

CREATE TABLE sla_policies (
  org_id uuid PRIMARY KEY REFERENCES orgs (id),
  critical_days integer NOT NULL DEFAULT 7 CHECK (critical_days > 0),
  high_days integer NOT NULL DEFAULT 30 CHECK (high_days > 0),
  medium_days integer NOT NULL DEFAULT 90 CHECK (medium_days > 0),
  low_days integer NOT NULL DEFAULT 180 CHECK (low_days > 0),
  info_days integer CHECK (info_days > 0),
  -- Optional shorter deadlines (days per severity) for production assets, critical assets, KEV.
  production_days jsonb NOT NULL DEFAULT '{}',
  critical_asset_days jsonb NOT NULL DEFAULT '{}',
  kev_days integer CHECK (kev_days > 0),
  restart_on_reopen boolean NOT NULL DEFAULT false,
  -- Thresholds of the "remediation within SLA" check.
  within_sla_target_percent numeric(5, 2) NOT NULL DEFAULT 95,
  scan_freshness_days integer NOT NULL DEFAULT 7,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE risk_acceptances (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  finding_id uuid NOT NULL,
  requested_by_user_id uuid REFERENCES users (id),
  requested_by text NOT NULL,
  justification text NOT NULL CHECK (length(justification) BETWEEN 10 AND 5000),
  expires_on date NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'revoked')),
  decided_by_user_id uuid REFERENCES users (id),
  decided_at timestamptz,
  decision_note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, finding_id) REFERENCES findings (org_id, id),
  CHECK (decided_by_user_id IS NULL OR decided_by_user_id IS DISTINCT FROM requested_by_user_id)
);
CREATE INDEX risk_acceptances_finding_idx ON risk_acceptances (finding_id, created_at DESC);
CREATE INDEX risk_acceptances_pending_idx ON risk_acceptances (org_id, status, expires_on);
-- At most one open request or current acceptance per finding.
CREATE UNIQUE INDEX risk_acceptances_current_idx ON risk_acceptances (finding_id)
  WHERE status IN ('pending', 'approved');

-- CISA's Known Exploited Vulnerabilities catalog: public data, installation-wide.
CREATE TABLE kev_entries (
  cve_id text PRIMARY KEY,
  vendor text,
  product text,
  name text,
  date_added date,
  due_date date,
  known_ransomware boolean NOT NULL DEFAULT false,
  imported_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON kev_entries TO steward_app;

CREATE TABLE pentests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  tester text NOT NULL,
  scope text NOT NULL DEFAULT '',
  starts_on date NOT NULL,
  ends_on date NOT NULL CHECK (ends_on >= starts_on),
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'completed')),
  asset_id uuid,
  report_evidence_id uuid,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, asset_id) REFERENCES assets (org_id, id),
  FOREIGN KEY (org_id, report_evidence_id) REFERENCES evidence (org_id, id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['assets', 'scan_imports', 'findings', 'finding_events', 'sla_policies',
    'risk_acceptances', 'pentests']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org())', t || '_tenant', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON assets, findings, sla_policies, risk_acceptances, pentests TO steward_app;
GRANT SELECT, INSERT ON scan_imports, finding_events TO steward_app;
GRANT USAGE ON SEQUENCE finding_events_id_seq TO steward_app;
