-- Policies: the written rules of the security program, their versions with review, approval and
-- publication, per-version acknowledgement by the audience, and "reviewed, no change" records.

CREATE TABLE policies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  key text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9_-]{0,79}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  owner_id uuid REFERENCES users (id),
  -- Approvers in the order they must approve.
  approver_ids uuid[] NOT NULL DEFAULT '{}',
  audience text NOT NULL DEFAULT 'everyone' CHECK (audience IN ('everyone', 'departments', 'roles')),
  -- Departments of the people directory, or Steward roles, depending on the audience.
  audience_values text[] NOT NULL DEFAULT '{}',
  review_cadence_months integer NOT NULL DEFAULT 12 CHECK (review_cadence_months BETWEEN 1 AND 36),
  next_review_on date,
  template_key text,
  retired_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, key),
  UNIQUE (org_id, id)
);

CREATE TABLE policy_controls (
  org_id uuid NOT NULL REFERENCES orgs (id),
  policy_id uuid NOT NULL,
  control_id uuid NOT NULL,
  PRIMARY KEY (policy_id, control_id),
  FOREIGN KEY (org_id, policy_id) REFERENCES policies (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, control_id) REFERENCES controls (org_id, id)
);

CREATE TABLE policy_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  policy_id uuid NOT NULL,
  number integer NOT NULL CHECK (number >= 1),
  status text NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'in_review', 'approved', 'published', 'superseded', 'retired')),
  body text NOT NULL DEFAULT '' CHECK (length(body) <= 500000),
  -- An uploaded document (PDF/DOCX) kept as evidence instead of a Markdown body.
  evidence_id uuid,
  change_summary text NOT NULL DEFAULT '',
  -- Decided by the approver: a material change needs everyone to acknowledge again.
  is_material boolean,
  -- [{"userId": ..., "name": ..., "approvedAt": ...}] in approval order.
  approvals jsonb NOT NULL DEFAULT '[]',
  created_by_user_id uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  submitted_at timestamptz,
  published_at timestamptz,
  published_by_user_id uuid REFERENCES users (id),
  ended_at timestamptz,
  UNIQUE (policy_id, number),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, policy_id) REFERENCES policies (org_id, id),
  FOREIGN KEY (org_id, evidence_id) REFERENCES evidence (org_id, id)
);
CREATE INDEX policy_versions_status_idx ON policy_versions (org_id, status);
-- One live version at a time.
CREATE UNIQUE INDEX policy_versions_one_published ON policy_versions (policy_id) WHERE status = 'published';

-- A published version is the record people acknowledged: only its end (superseded or retired)
-- may be written after publication.
CREATE FUNCTION policies_guard_version_update() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    IF OLD.status IN ('superseded', 'retired') THEN
      RAISE EXCEPTION 'policy version % has ended and cannot change', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.status = 'published' THEN
      IF NEW.status NOT IN ('published', 'superseded', 'retired')
        OR (to_jsonb(NEW) - 'status' - 'ended_at') <> (to_jsonb(OLD) - 'status' - 'ended_at') THEN
        RAISE EXCEPTION 'a published policy version is immutable; create a new version instead'
          USING ERRCODE = 'check_violation';
      END IF;
    END IF;
    RETURN NEW;
  END $$;
CREATE TRIGGER policy_versions_immutable BEFORE UPDATE ON policy_versions
  FOR EACH ROW EXECUTE FUNCTION policies_guard_version_update();
CREATE FUNCTION policies_guard_version_delete() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'only a draft policy version can be deleted' USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END $$;
CREATE TRIGGER policy_versions_keep BEFORE DELETE ON policy_versions
  FOR EACH ROW EXECUTE FUNCTION policies_guard_version_delete();

-- One request per person and policy version; acknowledged_at is set once.
CREATE TABLE policy_acknowledgements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  policy_id uuid NOT NULL,
  version_id uuid NOT NULL,
  -- The person is a Steward user until the people directory feeds the audience.
  user_id uuid NOT NULL REFERENCES users (id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  due_on date NOT NULL,
  acknowledged_at timestamptz,
  method text CHECK (method IN ('web', 'carried_forward', 'import')),
  UNIQUE (version_id, user_id),
  FOREIGN KEY (org_id, policy_id) REFERENCES policies (org_id, id),
  FOREIGN KEY (org_id, version_id) REFERENCES policy_versions (org_id, id),
  CHECK ((acknowledged_at IS NULL) = (method IS NULL))
);
CREATE INDEX policy_acknowledgements_user_idx ON policy_acknowledgements (user_id, acknowledged_at);
CREATE INDEX policy_acknowledgements_version_idx ON policy_acknowledgements (version_id);

CREATE FUNCTION policies_guard_acknowledgement_update() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    IF OLD.acknowledged_at IS NOT NULL THEN
      RAISE EXCEPTION 'an acknowledgement is a record and cannot change' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END $$;
CREATE TRIGGER policy_acknowledgements_immutable BEFORE UPDATE ON policy_acknowledgements
  FOR EACH ROW EXECUTE FUNCTION policies_guard_acknowledgement_update();

CREATE TABLE policy_reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  policy_id uuid NOT NULL,
  version_id uuid,
  reviewed_on date NOT NULL,
  reviewer_id uuid REFERENCES users (id),
  outcome text NOT NULL DEFAULT 'no_change' CHECK (outcome IN ('no_change', 'new_version')),
  note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (org_id, policy_id) REFERENCES policies (org_id, id),
  FOREIGN KEY (org_id, version_id) REFERENCES policy_versions (org_id, id)
);
CREATE INDEX policy_reviews_policy_idx ON policy_reviews (policy_id, reviewed_on DESC);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['policies', 'policy_controls', 'policy_versions',
    'policy_acknowledgements', 'policy_reviews']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org())', t || '_tenant', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON policies, policy_versions, policy_acknowledgements TO steward_app;
GRANT DELETE ON policy_versions TO steward_app;
GRANT SELECT, INSERT, DELETE ON policy_controls TO steward_app;
GRANT SELECT, INSERT ON policy_reviews TO steward_app;
