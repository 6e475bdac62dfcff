-- Management reviews: leadership's meetings on the security program. The agenda's figures are
-- taken when a review is created and kept as they were; a held review is a record that does not
-- change, apart from the status of its action items, and is corrected by notes.

CREATE TABLE management_review_settings (
  org_id uuid PRIMARY KEY REFERENCES orgs (id),
  cadence_months integer NOT NULL DEFAULT 3 CHECK (cadence_months BETWEEN 1 AND 12),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE management_reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  meeting_on date NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'held')),
  attendees jsonb NOT NULL DEFAULT '[]',
  agenda jsonb NOT NULL,
  minutes text NOT NULL DEFAULT '' CHECK (length(minutes) <= 200000),
  decisions text[] NOT NULL DEFAULT '{}',
  created_by_user_id uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  held_at timestamptz,
  held_by_user_id uuid REFERENCES users (id),
  evidence_id uuid,
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, evidence_id) REFERENCES evidence (org_id, id),
  CHECK ((status = 'held') = (held_at IS NOT NULL))
);
CREATE INDEX management_reviews_org_idx ON management_reviews (org_id, meeting_on DESC);

CREATE FUNCTION management_reviews_guard_update() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    IF OLD.status = 'held' THEN
      RAISE EXCEPTION 'a held management review is a record and cannot change; add a note instead'
        USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.agenda <> OLD.agenda THEN
      RAISE EXCEPTION 'the agenda of a management review is frozen when it is created'
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END $$;
CREATE TRIGGER management_reviews_immutable BEFORE UPDATE ON management_reviews
  FOR EACH ROW EXECUTE FUNCTION management_reviews_guard_update();

CREATE TABLE management_review_actions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  review_id uuid NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  owner_id uuid REFERENCES users (id),
  due_on date NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, review_id) REFERENCES management_reviews (org_id, id)
);
CREATE INDEX management_review_actions_review_idx ON management_review_actions (review_id);
CREATE INDEX management_review_actions_open_idx ON management_review_actions (org_id, due_on)
  WHERE status = 'open';

-- Once the review is held only the status (and its completion time) of an action may change.
CREATE FUNCTION management_review_actions_guard_update() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    IF EXISTS (SELECT 1 FROM management_reviews WHERE id = OLD.review_id AND status = 'held')
      AND (to_jsonb(NEW) - 'status' - 'completed_at' - 'updated_at')
        <> (to_jsonb(OLD) - 'status' - 'completed_at' - 'updated_at') THEN
      RAISE EXCEPTION 'the review is held: only the status of its action items may change'
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END $$;
CREATE TRIGGER management_review_actions_guard BEFORE UPDATE ON management_review_actions
  FOR EACH ROW EXECUTE FUNCTION management_review_actions_guard_update();

CREATE TABLE management_review_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  review_id uuid NOT NULL,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  author_user_id uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (org_id, review_id) REFERENCES management_reviews (org_id, id)
);
CREATE INDEX management_review_notes_review_idx ON management_review_notes (review_id, created_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['management_review_settings', 'management_reviews',
    'management_review_actions', 'management_review_notes']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org())', t || '_tenant', t);
  END LOOP;
END $$;

-- Reviews, their actions and notes are evidence: never deleted.
GRANT SELECT, INSERT, UPDATE ON management_review_settings, management_reviews,
  management_review_actions TO steward_app;
GRANT SELECT, INSERT ON management_review_notes TO steward_app;
