-- Risk register: risks rated by likelihood and impact (inherent and residual), their treatment,
-- the controls that treat them, an append-only history of every change, dated reviews, executive
-- acceptances with an expiry, and register-wide reviews and assessments.

CREATE TABLE risk_settings (
  org_id uuid PRIMARY KEY REFERENCES orgs (id),
  review_cadence_months integer NOT NULL DEFAULT 12 CHECK (review_cadence_months BETWEEN 1 AND 24),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE risks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  number integer NOT NULL CHECK (number >= 1),
  ref text NOT NULL CHECK (ref ~ '^R-[0-9]{3,}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  category text NOT NULL CHECK (length(category) BETWEEN 1 AND 100),
  owner_user_id uuid REFERENCES users (id),
  inherent_likelihood smallint NOT NULL CHECK (inherent_likelihood BETWEEN 1 AND 5),
  inherent_impact smallint NOT NULL CHECK (inherent_impact BETWEEN 1 AND 5),
  treatment text NOT NULL DEFAULT 'mitigate'
    CHECK (treatment IN ('mitigate', 'accept', 'transfer', 'avoid')),
  treatment_plan text NOT NULL DEFAULT '' CHECK (length(treatment_plan) <= 20000),
  treatment_due_on date,
  treatment_completed_on date,
  residual_likelihood smallint CHECK (residual_likelihood BETWEEN 1 AND 5),
  residual_impact smallint CHECK (residual_impact BETWEEN 1 AND 5),
  review_on date NOT NULL,
  last_reviewed_on date,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'closed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, ref),
  UNIQUE (org_id, number),
  UNIQUE (org_id, id)
);
CREATE INDEX risks_status_idx ON risks (org_id, status, review_on);
CREATE INDEX risks_owner_idx ON risks (owner_user_id) WHERE owner_user_id IS NOT NULL;

CREATE TABLE risk_controls (
  org_id uuid NOT NULL REFERENCES orgs (id),
  risk_id uuid NOT NULL,
  control_id uuid NOT NULL,
  linked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (risk_id, control_id),
  FOREIGN KEY (org_id, risk_id) REFERENCES risks (org_id, id),
  FOREIGN KEY (org_id, control_id) REFERENCES controls (org_id, id)
);
CREATE INDEX risk_controls_control_idx ON risk_controls (control_id);

-- Every change of a risk, with the fields it changed ({"field": {"from": .., "to": ..}}).
CREATE TABLE risk_changes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  risk_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('created', 'updated', 'reviewed', 'controls_linked',
    'control_unlinked', 'acceptance_requested', 'acceptance_approved', 'acceptance_rejected',
    'acceptance_expired')),
  changes jsonb NOT NULL DEFAULT '{}',
  note text NOT NULL DEFAULT '',
  actor_user_id uuid REFERENCES users (id),
  actor text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (org_id, risk_id) REFERENCES risks (org_id, id)
);
CREATE INDEX risk_changes_risk_idx ON risk_changes (risk_id, changed_at DESC);

CREATE FUNCTION risks_guard_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'check_violation';
  END $$;
CREATE TRIGGER risk_changes_append_only BEFORE UPDATE OR DELETE ON risk_changes
  FOR EACH ROW EXECUTE FUNCTION risks_guard_append_only();

CREATE TABLE risk_register_acceptances (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  risk_id uuid NOT NULL,
  requested_by_user_id uuid NOT NULL REFERENCES users (id),
  justification text NOT NULL CHECK (length(justification) BETWEEN 10 AND 5000),
  expires_on date NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
  decided_by_user_id uuid REFERENCES users (id),
  decided_at timestamptz,
  decision_note text NOT NULL DEFAULT '',
  requested_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, risk_id) REFERENCES risks (org_id, id),
  -- An acceptance lasts at most a year from its request.
  CHECK (expires_on <= ((requested_at AT TIME ZONE 'UTC') + interval '1 year')::date),
  -- Never decided by the person who asked for it.
  CHECK (decided_by_user_id IS NULL OR decided_by_user_id <> requested_by_user_id),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX risk_register_acceptances_risk_idx ON risk_register_acceptances (risk_id, requested_at DESC);
CREATE INDEX risk_register_acceptances_expiry_idx ON risk_register_acceptances (org_id, status, expires_on);
CREATE UNIQUE INDEX risk_register_acceptances_one_pending ON risk_register_acceptances (risk_id)
  WHERE status = 'pending';

-- A review of the whole register (quarterly) or the yearly risk assessment, with a snapshot of
-- the register as it stood.
CREATE TABLE risk_register_reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  kind text NOT NULL CHECK (kind IN ('register_review', 'annual_assessment')),
  reviewed_on date NOT NULL,
  reviewer_user_id uuid REFERENCES users (id),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 5000),
  snapshot jsonb NOT NULL,
  evidence_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, evidence_id) REFERENCES evidence (org_id, id)
);
CREATE INDEX risk_register_reviews_org_idx ON risk_register_reviews (org_id, reviewed_on DESC);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['risk_settings', 'risks', 'risk_controls', 'risk_changes',
    'risk_register_acceptances', 'risk_register_reviews']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org())', t || '_tenant', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON risk_settings, risks, risk_register_acceptances TO steward_app;
GRANT SELECT, INSERT, DELETE ON risk_controls TO steward_app;
GRANT SELECT, INSERT ON risk_changes, risk_register_reviews TO steward_app;
