-- Training coverage at size: the latest completion of each module per person, kept by a statement
-- trigger on the (append-only) completion records, so coverage reads one narrow row per person
-- and module instead of grouping every completion ever recorded on each page view.
CREATE TABLE training_latest_completions (
  org_id uuid NOT NULL REFERENCES orgs (id),
  module_id uuid NOT NULL,
  -- The person of the directory, or the Steward user nobody in the directory is linked to.
  subject_id uuid NOT NULL,
  -- The UTC day of the latest completion: cadences are counted in days from it.
  last_completed_on date NOT NULL,
  PRIMARY KEY (module_id, subject_id),
  FOREIGN KEY (org_id, module_id) REFERENCES training_modules (org_id, id)
);

CREATE FUNCTION training_keep_latest_completions() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO training_latest_completions AS l (org_id, module_id, subject_id, last_completed_on)
    SELECT org_id, module_id, subject_id, (max(completed_at) AT TIME ZONE 'UTC')::date
      FROM added GROUP BY org_id, module_id, subject_id
    ON CONFLICT (module_id, subject_id) DO UPDATE
      SET last_completed_on = greatest(l.last_completed_on, excluded.last_completed_on);
    RETURN NULL;
  END $$;

-- Completions are inserted only (the app may not update or delete them), so inserts suffice.
CREATE TRIGGER training_completions_keep_latest AFTER INSERT ON training_completions
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION training_keep_latest_completions();

INSERT INTO training_latest_completions (org_id, module_id, subject_id, last_completed_on)
SELECT org_id, module_id, subject_id, (max(completed_at) AT TIME ZONE 'UTC')::date
  FROM training_completions GROUP BY org_id, module_id, subject_id;

ALTER TABLE training_latest_completions ENABLE ROW LEVEL SECURITY;
CREATE POLICY training_latest_completions_tenant ON training_latest_completions
  USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT, UPDATE ON training_latest_completions TO steward_app;
