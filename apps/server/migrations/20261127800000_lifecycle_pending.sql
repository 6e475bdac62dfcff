-- Directory changes pushed by an identity provider wait here until the lifecycle deriver turns
-- them into joiner, mover and leaver checklists, in batches and in a transaction of its own: an
-- identity provider's first push is thousands of writes a minute, and each answers sooner when
-- it only records the change. A change is queued in the transaction that records it, and
-- removed in the one that derives its events, so none is lost or derived twice.
CREATE TABLE lifecycle_pending (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES orgs (id),
  person_id uuid NOT NULL,
  -- The change as recorded in person_changes: its kind and its fields' from/to values.
  kind text NOT NULL,
  changes jsonb NOT NULL,
  queued_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id)
);
CREATE INDEX lifecycle_pending_org_idx ON lifecycle_pending (org_id, id);

ALTER TABLE lifecycle_pending ENABLE ROW LEVEL SECURITY;
CREATE POLICY lifecycle_pending_tenant ON lifecycle_pending
  USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org());

-- A queue: rows leave once derived (the checklists and the audit trail are the record).
GRANT SELECT, INSERT, DELETE ON lifecycle_pending TO steward_app;
