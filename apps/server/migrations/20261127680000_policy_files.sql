-- Policies: uploaded documents as the body of a version, and the record of every reminder and
-- escalation mailed about an open acknowledgement (so the same mail is never sent twice).

-- A version's body is either Markdown or one uploaded document (PDF or DOCX) kept as evidence.
ALTER TABLE policy_versions
  ADD COLUMN file_format text CHECK (file_format IN ('pdf', 'docx')),
  ADD CONSTRAINT policy_versions_file_format CHECK ((evidence_id IS NULL) = (file_format IS NULL));

-- One row per acknowledgement request and stage mailed: the stage is the key of "sent once".
CREATE TABLE policy_acknowledgement_notices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  acknowledgement_id uuid NOT NULL REFERENCES policy_acknowledgements (id),
  stage text NOT NULL CHECK (stage IN ('requested', 'reminder', 'final_reminder', 'overdue', 'escalation')),
  recipient_email text NOT NULL CHECK (length(recipient_email) <= 320),
  -- The manager's person record for an escalation; null when the person themselves was mailed.
  manager_person_id uuid,
  sent_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (acknowledgement_id, stage),
  FOREIGN KEY (org_id, manager_person_id) REFERENCES people (org_id, id)
);
CREATE INDEX policy_acknowledgement_notices_org_idx ON policy_acknowledgement_notices (org_id, sent_at);

-- Acknowledgement counts per version and deadline, kept by statement triggers, so coverage is
-- read from a few rows instead of counting 10,000 requests per policy on every page view.
-- Overdue = requested - acknowledged over the deadlines before today.
CREATE TABLE policy_coverage_counts (
  org_id uuid NOT NULL REFERENCES orgs (id),
  version_id uuid NOT NULL,
  due_on date NOT NULL,
  requested integer NOT NULL DEFAULT 0,
  acknowledged integer NOT NULL DEFAULT 0,
  -- Acknowledged no later than the end of the deadline day (UTC).
  on_time integer NOT NULL DEFAULT 0,
  PRIMARY KEY (version_id, due_on),
  FOREIGN KEY (org_id, version_id) REFERENCES policy_versions (org_id, id)
);

CREATE FUNCTION policies_add_coverage_counts() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO policy_coverage_counts AS c (org_id, version_id, due_on, requested, acknowledged, on_time)
    SELECT org_id, version_id, due_on, count(*), count(acknowledged_at),
           count(*) FILTER (WHERE (acknowledged_at AT TIME ZONE 'UTC')::date <= due_on)
      FROM added GROUP BY org_id, version_id, due_on
    ON CONFLICT (version_id, due_on) DO UPDATE
      SET requested = c.requested + excluded.requested,
          acknowledged = c.acknowledged + excluded.acknowledged,
          on_time = c.on_time + excluded.on_time;
    RETURN NULL;
  END $$;

CREATE FUNCTION policies_remove_coverage_counts() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO policy_coverage_counts AS c (org_id, version_id, due_on, requested, acknowledged, on_time)
    SELECT org_id, version_id, due_on, -count(*), -count(acknowledged_at),
           -count(*) FILTER (WHERE (acknowledged_at AT TIME ZONE 'UTC')::date <= due_on)
      FROM removed GROUP BY org_id, version_id, due_on
    ON CONFLICT (version_id, due_on) DO UPDATE
      SET requested = c.requested + excluded.requested,
          acknowledged = c.acknowledged + excluded.acknowledged,
          on_time = c.on_time + excluded.on_time;
    RETURN NULL;
  END $$;

-- An update counts as the removal of the old rows and the addition of the new ones; the removal
-- trigger is named so that it fires first (triggers fire in name order).
CREATE TRIGGER policy_acknowledgements_count_insert AFTER INSERT ON policy_acknowledgements
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION policies_add_coverage_counts();
CREATE TRIGGER policy_acknowledgements_count_update_1 AFTER UPDATE ON policy_acknowledgements
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION policies_remove_coverage_counts();
CREATE TRIGGER policy_acknowledgements_count_update_2 AFTER UPDATE ON policy_acknowledgements
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION policies_add_coverage_counts();
CREATE TRIGGER policy_acknowledgements_count_delete AFTER DELETE ON policy_acknowledgements
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION policies_remove_coverage_counts();

INSERT INTO policy_coverage_counts (org_id, version_id, due_on, requested, acknowledged, on_time)
SELECT org_id, version_id, due_on, count(*), count(acknowledged_at),
       count(*) FILTER (WHERE (acknowledged_at AT TIME ZONE 'UTC')::date <= due_on)
  FROM policy_acknowledgements GROUP BY org_id, version_id, due_on;

-- UNIQUE (version_id, user_id) already serves lookups by version; one index less to write for
-- each of the 10,000 requests a publication creates.
DROP INDEX policy_acknowledgements_version_idx;

ALTER TABLE policy_coverage_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY policy_coverage_counts_tenant ON policy_coverage_counts
  USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE ON policy_coverage_counts TO steward_app;

ALTER TABLE policy_acknowledgement_notices ENABLE ROW LEVEL SECURITY;
CREATE POLICY policy_acknowledgement_notices_tenant ON policy_acknowledgement_notices
  USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org());

-- The notices are the record of what was sent: no update, no delete.
GRANT SELECT, INSERT ON policy_acknowledgement_notices TO steward_app;
