-- The program's core: frameworks and their requirements, the org's controls, automated checks,
-- immutable evidence, recurring evidence tasks, promises from customer annexes, and the daily
-- status history auditors ask about ("what was true during our window").

CREATE TABLE program_settings (
  org_id uuid PRIMARY KEY REFERENCES orgs (id),
  -- Evidence cannot be deleted inside this period (counted from when it was collected).
  evidence_retention_days integer NOT NULL DEFAULT 1095 CHECK (evidence_retention_days BETWEEN 30 AND 3650),
  -- How long before its due date a task counts as due (and reminders start).
  task_due_window_days integer NOT NULL DEFAULT 30 CHECK (task_due_window_days BETWEEN 1 AND 180),
  is_digest_enabled boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE frameworks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  version text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  source text NOT NULL CHECK (source IN ('builtin', 'oscal')),
  oscal_uuid uuid,
  oscal_version text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, key),
  UNIQUE (org_id, id)
);

CREATE TABLE requirements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  framework_id uuid NOT NULL,
  ref text NOT NULL,
  label text NOT NULL,
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  guidance text NOT NULL DEFAULT '',
  section integer,
  group_title text,
  parent_ref text,
  sort_order integer NOT NULL,
  -- Matching items of reference frameworks: [{"framework": "soc2", "id": "CC6.1"}, ...].
  mappings jsonb NOT NULL DEFAULT '[]',
  UNIQUE (framework_id, ref),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, framework_id) REFERENCES frameworks (org_id, id) ON DELETE CASCADE
);
CREATE INDEX requirements_framework_idx ON requirements (framework_id, sort_order);

CREATE TABLE controls (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  ref text NOT NULL CHECK (ref ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description text NOT NULL DEFAULT '',
  owner_id uuid REFERENCES users (id),
  section integer CHECK (section BETWEEN 1 AND 13),
  implementation_status text NOT NULL DEFAULT 'planned'
    CHECK (implementation_status IN ('implemented', 'partial', 'planned', 'alternative', 'not_applicable')),
  status text NOT NULL DEFAULT 'not_proved' CHECK (status IN ('passing', 'failing', 'due', 'not_proved')),
  status_reason text NOT NULL DEFAULT '',
  status_changed_at timestamptz NOT NULL DEFAULT now(),
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, ref),
  UNIQUE (org_id, id)
);
CREATE INDEX controls_status_idx ON controls (org_id, status);
CREATE INDEX controls_owner_idx ON controls (owner_id);

CREATE TABLE control_requirements (
  org_id uuid NOT NULL REFERENCES orgs (id),
  control_id uuid NOT NULL,
  requirement_id uuid NOT NULL,
  PRIMARY KEY (control_id, requirement_id),
  FOREIGN KEY (org_id, control_id) REFERENCES controls (org_id, id),
  FOREIGN KEY (org_id, requirement_id) REFERENCES requirements (org_id, id) ON DELETE CASCADE
);
CREATE INDEX control_requirements_requirement_idx ON control_requirements (requirement_id);

-- Automated checks: modules (or machines through the API) report results; each proves controls.
CREATE TABLE checks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  key text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  latest_status text CHECK (latest_status IN ('pass', 'fail')),
  latest_summary text,
  latest_observed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, key),
  UNIQUE (org_id, id)
);

CREATE TABLE control_checks (
  org_id uuid NOT NULL REFERENCES orgs (id),
  control_id uuid NOT NULL,
  check_id uuid NOT NULL,
  PRIMARY KEY (control_id, check_id),
  FOREIGN KEY (org_id, control_id) REFERENCES controls (org_id, id),
  FOREIGN KEY (org_id, check_id) REFERENCES checks (org_id, id)
);
CREATE INDEX control_checks_check_idx ON control_checks (check_id);

CREATE TABLE check_results (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  check_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('pass', 'fail')),
  summary text NOT NULL DEFAULT '',
  details jsonb NOT NULL DEFAULT '{}',
  observed_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, check_id) REFERENCES checks (org_id, id)
);
CREATE INDEX check_results_check_idx ON check_results (check_id, observed_at DESC);

CREATE TABLE evidence_tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  control_id uuid NOT NULL,
  key text,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description text NOT NULL DEFAULT '',
  owner_id uuid REFERENCES users (id),
  cadence_months integer NOT NULL CHECK (cadence_months BETWEEN 1 AND 60),
  grace_days integer NOT NULL DEFAULT 14 CHECK (grace_days BETWEEN 0 AND 365),
  next_due_on date NOT NULL,
  state text NOT NULL DEFAULT 'upcoming' CHECK (state IN ('upcoming', 'due', 'overdue', 'done')),
  last_completed_at timestamptz,
  last_reminded_on date,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, control_id) REFERENCES controls (org_id, id)
);
CREATE INDEX evidence_tasks_control_idx ON evidence_tasks (control_id);
CREATE INDEX evidence_tasks_due_idx ON evidence_tasks (org_id, next_due_on) WHERE is_active;
CREATE INDEX evidence_tasks_owner_idx ON evidence_tasks (owner_id) WHERE is_active;

-- Stored content, addressed by SHA-256: the same bytes are stored once per org.
CREATE TABLE evidence_files (
  org_id uuid NOT NULL REFERENCES orgs (id),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  media_type text NOT NULL,
  storage text NOT NULL CHECK (storage IN ('local', 's3')),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Set when the bytes were removed because every evidence item using them was deleted.
  purged_at timestamptz,
  PRIMARY KEY (org_id, sha256)
);

-- Evidence is immutable: a correction is a new version of the same lineage. Only the deletion
-- marker may ever be set, once, and only after the retention period (checked by the service and
-- enforced here for the age).
CREATE TABLE evidence (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  lineage_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  kind text NOT NULL CHECK (kind IN ('file', 'link', 'check_result')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description text NOT NULL DEFAULT '',
  file_sha256 text,
  file_name text,
  media_type text,
  size_bytes bigint,
  url text,
  check_result_id uuid,
  collected_at timestamptz NOT NULL,
  effective_from date NOT NULL,
  effective_to date NOT NULL,
  supplied_by_user_id uuid REFERENCES users (id),
  supplied_by text NOT NULL,
  task_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  deleted_by_user_id uuid REFERENCES users (id),
  CHECK (effective_to >= effective_from),
  CHECK ((kind = 'file') = (file_sha256 IS NOT NULL)),
  CHECK ((kind = 'link') = (url IS NOT NULL)),
  CHECK ((kind = 'check_result') = (check_result_id IS NOT NULL)),
  UNIQUE (org_id, lineage_id, version),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, file_sha256) REFERENCES evidence_files (org_id, sha256),
  FOREIGN KEY (org_id, check_result_id) REFERENCES check_results (org_id, id),
  FOREIGN KEY (org_id, task_id) REFERENCES evidence_tasks (org_id, id)
);
CREATE INDEX evidence_org_created_idx ON evidence (org_id, created_at DESC);
CREATE INDEX evidence_lineage_idx ON evidence (lineage_id, version DESC);
CREATE INDEX evidence_task_idx ON evidence (task_id) WHERE task_id IS NOT NULL;

CREATE TABLE evidence_controls (
  org_id uuid NOT NULL REFERENCES orgs (id),
  evidence_id uuid NOT NULL,
  control_id uuid NOT NULL,
  PRIMARY KEY (evidence_id, control_id),
  FOREIGN KEY (org_id, evidence_id) REFERENCES evidence (org_id, id),
  FOREIGN KEY (org_id, control_id) REFERENCES controls (org_id, id)
);
CREATE INDEX evidence_controls_control_idx ON evidence_controls (control_id, evidence_id);

CREATE TABLE task_completions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  task_id uuid NOT NULL,
  due_on date NOT NULL,
  completed_at timestamptz NOT NULL DEFAULT now(),
  completed_by_user_id uuid REFERENCES users (id),
  completed_by text NOT NULL,
  evidence_ids uuid[] NOT NULL CHECK (cardinality(evidence_ids) >= 1),
  note text NOT NULL DEFAULT '',
  FOREIGN KEY (org_id, task_id) REFERENCES evidence_tasks (org_id, id)
);
CREATE INDEX task_completions_task_idx ON task_completions (task_id, completed_at DESC);

CREATE FUNCTION program_guard_evidence_update() RETURNS trigger
  LANGUAGE plpgsql AS $$
  BEGIN
    IF OLD.deleted_at IS NOT NULL THEN
      RAISE EXCEPTION 'evidence % is deleted and cannot change', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF (to_jsonb(NEW) - 'deleted_at' - 'deleted_by_user_id') <> (to_jsonb(OLD) - 'deleted_at' - 'deleted_by_user_id') THEN
      RAISE EXCEPTION 'evidence is immutable; add a new version instead' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END $$;
CREATE TRIGGER evidence_immutable BEFORE UPDATE ON evidence
  FOR EACH ROW EXECUTE FUNCTION program_guard_evidence_update();

-- Customer annexes and the promises split from them.
CREATE TABLE annexes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  source text NOT NULL CHECK (source IN ('default', 'paste', 'upload')),
  file_name text,
  sha256 text NOT NULL,
  content text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, id)
);

CREATE TABLE promises (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  annex_id uuid NOT NULL,
  ref text NOT NULL,
  section_number integer NOT NULL,
  section_title text NOT NULL,
  body text NOT NULL,
  line integer,
  sort_order integer NOT NULL,
  is_mapping_confirmed boolean NOT NULL DEFAULT false,
  UNIQUE (annex_id, ref),
  UNIQUE (org_id, id),
  FOREIGN KEY (org_id, annex_id) REFERENCES annexes (org_id, id) ON DELETE CASCADE
);
CREATE INDEX promises_annex_idx ON promises (annex_id, sort_order);

-- Suggested (ranked by similarity) and confirmed controls of a promise.
CREATE TABLE promise_controls (
  org_id uuid NOT NULL REFERENCES orgs (id),
  promise_id uuid NOT NULL,
  control_id uuid NOT NULL,
  score real NOT NULL DEFAULT 0,
  is_confirmed boolean NOT NULL DEFAULT false,
  PRIMARY KEY (promise_id, control_id),
  FOREIGN KEY (org_id, promise_id) REFERENCES promises (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, control_id) REFERENCES controls (org_id, id)
);
CREATE INDEX promise_controls_control_idx ON promise_controls (control_id);

-- Status per control per day, and readiness rolled up per scope per day (for trends and
-- "as of" views). Scopes: 'overall', 'section:<n>', 'framework:<id>', 'reference:<soc2|iso27001|csf2>'.
CREATE TABLE control_status_days (
  org_id uuid NOT NULL REFERENCES orgs (id),
  control_id uuid NOT NULL,
  day date NOT NULL,
  status text NOT NULL CHECK (status IN ('passing', 'failing', 'due', 'not_proved')),
  reason text NOT NULL DEFAULT '',
  PRIMARY KEY (control_id, day),
  FOREIGN KEY (org_id, control_id) REFERENCES controls (org_id, id)
);
CREATE INDEX control_status_days_org_day_idx ON control_status_days (org_id, day);

CREATE TABLE readiness_days (
  org_id uuid NOT NULL REFERENCES orgs (id),
  day date NOT NULL,
  scope text NOT NULL,
  passing integer NOT NULL,
  total integer NOT NULL,
  PRIMARY KEY (org_id, scope, day)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['program_settings', 'frameworks', 'requirements', 'controls',
    'control_requirements', 'checks', 'control_checks', 'check_results', 'evidence_tasks',
    'evidence_files', 'evidence', 'evidence_controls', 'task_completions', 'annexes', 'promises',
    'promise_controls', 'control_status_days', 'readiness_days']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org())', t || '_tenant', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON program_settings, frameworks, requirements, controls, checks,
  evidence_tasks, annexes, promises, readiness_days, control_status_days TO steward_app;
GRANT DELETE ON frameworks, requirements, annexes, promises TO steward_app;
GRANT SELECT, INSERT, DELETE ON control_requirements, control_checks, promise_controls TO steward_app;
GRANT UPDATE (score, is_confirmed) ON promise_controls TO steward_app;
GRANT SELECT, INSERT ON check_results, evidence_files, evidence_controls, task_completions TO steward_app;
GRANT SELECT, INSERT ON evidence TO steward_app;
GRANT UPDATE (deleted_at, deleted_by_user_id) ON evidence TO steward_app;
GRANT UPDATE (purged_at, storage) ON evidence_files TO steward_app;

-- The daily jobs walk every org; only ids leave this function.
CREATE FUNCTION program_org_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT id FROM orgs ORDER BY created_at $$;
GRANT EXECUTE ON FUNCTION program_org_ids() TO steward_app;
