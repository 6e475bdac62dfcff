-- Background screening: the org's rules (roles that require it, countries whose law does not
-- permit it) and, per person of the directory, the outcome and dates only — never the report.
-- HR only: the API requires screening.manage for every read and write.

CREATE TABLE screening_settings (
  org_id uuid PRIMARY KEY REFERENCES orgs (id),
  is_required_for_everyone boolean NOT NULL DEFAULT false,
  -- [{department?, titleContains?, employmentType?}]
  role_rules jsonb NOT NULL DEFAULT '[]',
  -- [{country, reason}]
  restricted_countries jsonb NOT NULL DEFAULT '[]',
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE screening_records (
  org_id uuid NOT NULL REFERENCES orgs (id),
  person_id uuid NOT NULL,
  country text CHECK (country ~ '^[A-Z]{2}$'),
  override text CHECK (override IN ('applies', 'not_required')),
  override_reason text NOT NULL DEFAULT '' CHECK (length(override_reason) <= 1000),
  status text NOT NULL DEFAULT 'not_started'
    CHECK (status IN ('not_started', 'in_progress', 'cleared', 'adverse')),
  completed_on date,
  provider text NOT NULL DEFAULT '' CHECK (length(provider) <= 200),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by_user_id uuid REFERENCES users (id),
  PRIMARY KEY (org_id, person_id),
  FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id),
  CHECK ((status IN ('cleared', 'adverse')) = (completed_on IS NOT NULL)),
  CHECK (override IS NULL OR override_reason <> '')
);

CREATE TABLE screening_audits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  quarter text NOT NULL CHECK (quarter ~ '^\d{4}-Q[1-4]$'),
  hired integer NOT NULL CHECK (hired >= 0),
  covered integer NOT NULL CHECK (covered >= 0 AND covered <= hired),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 5000),
  entries jsonb NOT NULL DEFAULT '[]',
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by_user_id uuid REFERENCES users (id),
  evidence_id uuid,
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, evidence_id) REFERENCES evidence (org_id, id)
);
CREATE INDEX screening_audits_org_idx ON screening_audits (org_id, recorded_at DESC);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['screening_settings', 'screening_records', 'screening_audits']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org())', t || '_tenant', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON screening_settings, screening_records TO steward_app;
-- An audit is a dated record: it is never changed or removed.
GRANT SELECT, INSERT ON screening_audits TO steward_app;
