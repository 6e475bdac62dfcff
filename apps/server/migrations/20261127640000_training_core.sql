-- Security awareness training: modules (Markdown lessons with an optional quiz, or courses taken
-- in an external learning system), their versions, assignments per person by audience (at
-- onboarding and periodically), quiz attempts and completion records, which are evidence.

CREATE TABLE training_modules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  key text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9_-]{0,79}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 2000),
  -- content: taken in Steward; external: taken elsewhere, completion recorded by upload or import.
  kind text NOT NULL DEFAULT 'content' CHECK (kind IN ('content', 'external')),
  -- Which annex check the module counts for.
  category text NOT NULL DEFAULT 'awareness'
    CHECK (category IN ('awareness', 'secure_development', 'other')),
  audience text NOT NULL DEFAULT 'everyone' CHECK (audience IN ('everyone', 'departments', 'roles')),
  audience_values text[] NOT NULL DEFAULT '{}',
  -- A joiner completes the module within this many days of their start date.
  onboarding_days integer NOT NULL DEFAULT 30 CHECK (onboarding_days BETWEEN 1 AND 365),
  -- Everyone completes it again this many months after their last completion.
  cadence_months integer NOT NULL DEFAULT 12 CHECK (cadence_months BETWEEN 1 AND 36),
  estimated_minutes integer NOT NULL DEFAULT 15 CHECK (estimated_minutes BETWEEN 1 AND 600),
  external_url text CHECK (external_url IS NULL OR external_url ~ '^https?://'),
  template_key text,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, key),
  UNIQUE (org_id, id)
);

CREATE TABLE training_module_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  module_id uuid NOT NULL,
  number integer NOT NULL CHECK (number >= 1),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'superseded')),
  body text NOT NULL DEFAULT '' CHECK (length(body) <= 500000),
  -- {"passPercent": 80, "questions": [{"key", "text", "choices": [{"key", "text"}],
  -- "correctChoiceKeys": [...], "explanation"}]}; null when the module has no quiz.
  quiz jsonb,
  change_summary text NOT NULL DEFAULT '',
  created_by_user_id uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  published_by_user_id uuid REFERENCES users (id),
  ended_at timestamptz,
  UNIQUE (module_id, number),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, module_id) REFERENCES training_modules (org_id, id)
);
CREATE UNIQUE INDEX training_module_versions_one_published
  ON training_module_versions (module_id) WHERE status = 'published';

-- A published version is what people completed: only its end may be written afterwards.
CREATE FUNCTION training_guard_version_update() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    IF OLD.status = 'superseded' THEN
      RAISE EXCEPTION 'training version % has ended and cannot change', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.status = 'published' THEN
      IF NEW.status NOT IN ('published', 'superseded')
        OR (to_jsonb(NEW) - 'status' - 'ended_at') <> (to_jsonb(OLD) - 'status' - 'ended_at') THEN
        RAISE EXCEPTION 'a published training version is immutable; create a new version instead'
          USING ERRCODE = 'check_violation';
      END IF;
    END IF;
    RETURN NEW;
  END $$;
CREATE TRIGGER training_module_versions_immutable BEFORE UPDATE ON training_module_versions
  FOR EACH ROW EXECUTE FUNCTION training_guard_version_update();

-- One record per person and occasion. The person is someone of the people directory, or a
-- Steward user nobody in the directory is linked to (an org without a directory yet).
CREATE TABLE training_assignments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  module_id uuid NOT NULL,
  person_id uuid,
  user_id uuid REFERENCES users (id),
  subject_id uuid GENERATED ALWAYS AS (coalesce(person_id, user_id)) STORED,
  reason text NOT NULL CHECK (reason IN ('onboarding', 'periodic', 'manual')),
  assigned_at timestamptz NOT NULL DEFAULT now(),
  due_on date NOT NULL,
  completed_at timestamptz,
  completion_id uuid,
  last_reminded_on date,
  escalated_on date,
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, module_id) REFERENCES training_modules (org_id, id),
  FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id),
  CHECK (person_id IS NOT NULL OR user_id IS NOT NULL),
  CHECK ((completed_at IS NULL) = (completion_id IS NULL))
);
-- At most one open assignment of a module per person.
CREATE UNIQUE INDEX training_assignments_one_open
  ON training_assignments (module_id, subject_id) WHERE completed_at IS NULL;
CREATE INDEX training_assignments_user_idx ON training_assignments (org_id, user_id);
CREATE INDEX training_assignments_person_idx ON training_assignments (org_id, person_id);
CREATE INDEX training_assignments_due_idx ON training_assignments (org_id, due_on)
  WHERE completed_at IS NULL;

-- Every quiz submission, passed or not.
CREATE TABLE training_attempts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  module_id uuid NOT NULL,
  version_id uuid NOT NULL,
  assignment_id uuid,
  user_id uuid NOT NULL REFERENCES users (id),
  answers jsonb NOT NULL,
  score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  is_passed boolean NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (org_id, module_id) REFERENCES training_modules (org_id, id),
  FOREIGN KEY (org_id, version_id) REFERENCES training_module_versions (org_id, id),
  FOREIGN KEY (org_id, assignment_id) REFERENCES training_assignments (org_id, id)
);
CREATE INDEX training_attempts_assignment_idx ON training_attempts (assignment_id, attempted_at);

-- The completion records: evidence, never changed or deleted.
CREATE TABLE training_completions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  module_id uuid NOT NULL,
  version_id uuid NOT NULL,
  person_id uuid,
  user_id uuid REFERENCES users (id),
  subject_id uuid GENERATED ALWAYS AS (coalesce(person_id, user_id)) STORED,
  assignment_id uuid,
  completed_at timestamptz NOT NULL,
  score integer CHECK (score BETWEEN 0 AND 100),
  method text NOT NULL CHECK (method IN ('quiz', 'read', 'upload', 'csv', 'api')),
  -- The certificate or report an external completion was recorded with.
  evidence_id uuid,
  -- The external learning system's id of the record, so a re-import is recognised.
  external_ref text CHECK (length(external_ref) <= 200),
  recorded_by text NOT NULL,
  recorded_by_user_id uuid REFERENCES users (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, module_id) REFERENCES training_modules (org_id, id),
  FOREIGN KEY (org_id, version_id) REFERENCES training_module_versions (org_id, id),
  FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id),
  FOREIGN KEY (org_id, assignment_id) REFERENCES training_assignments (org_id, id),
  FOREIGN KEY (org_id, evidence_id) REFERENCES evidence (org_id, id),
  CHECK (person_id IS NOT NULL OR user_id IS NOT NULL)
);
CREATE INDEX training_completions_subject_idx
  ON training_completions (module_id, subject_id, completed_at DESC);
CREATE UNIQUE INDEX training_completions_external_ref
  ON training_completions (module_id, external_ref) WHERE external_ref IS NOT NULL;

ALTER TABLE training_assignments ADD FOREIGN KEY (org_id, completion_id)
  REFERENCES training_completions (org_id, id);

-- An assignment closes once; what closed it stays.
CREATE FUNCTION training_guard_assignment_update() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    IF OLD.completed_at IS NOT NULL THEN
      RAISE EXCEPTION 'a completed training assignment is a record and cannot change'
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END $$;
CREATE TRIGGER training_assignments_closed BEFORE UPDATE ON training_assignments
  FOR EACH ROW EXECUTE FUNCTION training_guard_assignment_update();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['training_modules', 'training_module_versions', 'training_assignments',
    'training_attempts', 'training_completions']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org())', t || '_tenant', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON training_modules, training_module_versions, training_assignments
  TO steward_app;
GRANT SELECT, INSERT ON training_attempts, training_completions TO steward_app;
