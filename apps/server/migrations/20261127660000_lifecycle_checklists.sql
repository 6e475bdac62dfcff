-- Joiner, mover and leaver: events derived from the directory's change trail, the checklists
-- they open from the org's templates, and the items of those checklists (for a leaver, one per
-- account the person holds on the systems inventory).

CREATE TABLE lifecycle_settings (
  org_id uuid PRIMARY KEY REFERENCES orgs (id),
  leaver_deadline_hours integer NOT NULL DEFAULT 24 CHECK (leaver_deadline_hours BETWEEN 1 AND 720),
  mover_deadline_hours integer NOT NULL DEFAULT 120 CHECK (mover_deadline_hours BETWEEN 1 AND 2160),
  joiner_deadline_hours integer NOT NULL DEFAULT 168 CHECK (joiner_deadline_hours BETWEEN 1 AND 2160),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lifecycle_templates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  kind text NOT NULL CHECK (kind IN ('joiner', 'mover', 'leaver')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- The items, in order: [{"title", "description", "type", "employmentTypes"}]. Checklists copy
  -- them when they open, so a template can change without touching open work.
  items jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array'),
  is_customised boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, kind)
);

CREATE TABLE lifecycle_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  person_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('joiner', 'mover', 'leaver')),
  -- The directory change it was derived from; null when the end-date job derived it.
  change_seq bigint REFERENCES person_changes (seq),
  reason text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  occurred_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id)
);
CREATE INDEX lifecycle_events_person_idx ON lifecycle_events (org_id, person_id, occurred_at DESC);

CREATE TABLE lifecycle_checklists (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  event_id uuid NOT NULL,
  person_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('joiner', 'mover', 'leaver')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  opened_at timestamptz NOT NULL DEFAULT now(),
  due_at timestamptz NOT NULL,
  closed_at timestamptz,
  cancel_reason text,
  -- When the overdue notice went out (once per checklist).
  overdue_notified_at timestamptz,
  UNIQUE (org_id, id),
  UNIQUE (event_id),
  FOREIGN KEY (org_id, event_id) REFERENCES lifecycle_events (org_id, id),
  FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id),
  CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX lifecycle_checklists_list_idx ON lifecycle_checklists (org_id, opened_at DESC, id);
CREATE INDEX lifecycle_checklists_open_idx ON lifecycle_checklists (org_id, due_at)
  WHERE status = 'open';
CREATE INDEX lifecycle_checklists_person_idx ON lifecycle_checklists (org_id, person_id);

CREATE TABLE lifecycle_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  checklist_id uuid NOT NULL,
  position integer NOT NULL,
  item_type text NOT NULL CHECK (item_type IN ('task', 'account', 'review_accounts')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 600),
  description text NOT NULL DEFAULT '',
  system_id uuid,
  account_id uuid,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'not_applicable')),
  closed_at timestamptz,
  closed_by_user_id uuid REFERENCES users (id),
  closed_by text,
  closed_via text CHECK (closed_via IN ('manual', 'sync', 'evidence')),
  evidence_id uuid,
  sync_id uuid,
  note text CHECK (length(note) <= 2000),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, checklist_id) REFERENCES lifecycle_checklists (org_id, id),
  FOREIGN KEY (org_id, system_id) REFERENCES systems (org_id, id),
  FOREIGN KEY (org_id, account_id) REFERENCES system_accounts (org_id, id),
  FOREIGN KEY (org_id, evidence_id) REFERENCES evidence (org_id, id),
  FOREIGN KEY (org_id, sync_id) REFERENCES system_syncs (org_id, id),
  CHECK ((item_type = 'account') = (account_id IS NOT NULL)),
  CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX lifecycle_items_checklist_idx ON lifecycle_items (org_id, checklist_id, position);
-- An account is listed once per checklist, however many syncs see it.
CREATE UNIQUE INDEX lifecycle_items_account_key ON lifecycle_items (checklist_id, account_id)
  WHERE account_id IS NOT NULL;
CREATE INDEX lifecycle_items_open_account_idx ON lifecycle_items (org_id, account_id)
  WHERE account_id IS NOT NULL AND status = 'open';

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['lifecycle_settings', 'lifecycle_templates', 'lifecycle_events',
    'lifecycle_checklists', 'lifecycle_items']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org())', t || '_tenant', t);
  END LOOP;
END $$;

-- Events, checklists and items are the record of who was deprovisioned when: never deleted.
GRANT SELECT, INSERT, UPDATE ON lifecycle_settings, lifecycle_templates TO steward_app;
GRANT SELECT, INSERT ON lifecycle_events TO steward_app;
GRANT SELECT, INSERT, UPDATE ON lifecycle_checklists, lifecycle_items TO steward_app;
