-- The findings list at a million findings, and cheaper writes for large imports.

-- The list walks findings newest first. Its filters (severity, state, tool, KEV, SLA due date,
-- duplicates) are trailing key columns of the list indexes, so a filter is checked on the index
-- entry and only matching findings are read from the table: a rare filter (critical, KEV, breached)
-- no longer reads thousands of rows it then throws away.
CREATE INDEX findings_list_filter_idx
  ON findings (org_id, created_at DESC, id DESC, severity, state, tool, is_kev, due_at, canonical_id);
DROP INDEX findings_list_idx;
CREATE INDEX findings_asset_list_filter_idx
  ON findings (asset_id, created_at DESC, id DESC, severity, state, tool, is_kev, due_at, canonical_id);
DROP INDEX findings_asset_list_idx;

-- Text search by title. A trigram index on findings themselves cost more than all the other
-- indexes together on every import (about sixty index entries per finding), although titles
-- repeat a lot: a scanner names its results by rule or advisory. The distinct titles of each
-- organisation are kept here instead, with the trigram index; a search finds the matching titles
-- there, then the findings by title equality.
CREATE TABLE finding_titles (
  org_id uuid NOT NULL REFERENCES orgs (id),
  title text NOT NULL,
  PRIMARY KEY (org_id, title)
);
CREATE INDEX finding_titles_trgm_idx ON finding_titles USING gin (title gin_trgm_ops);
ALTER TABLE finding_titles ENABLE ROW LEVEL SECURITY;
CREATE POLICY finding_titles_tenant ON finding_titles
  USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org());
GRANT SELECT, INSERT ON finding_titles TO steward_app;

INSERT INTO finding_titles (org_id, title) SELECT DISTINCT org_id, title FROM findings;

-- Kept by the database, whoever writes findings: once per statement for inserts (an import
-- inserts thousands of findings per statement with a few distinct titles), per row for the rare
-- change of a title.
CREATE FUNCTION finding_titles_add_inserted() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public, pg_temp
  AS $$
BEGIN
  INSERT INTO finding_titles (org_id, title)
  SELECT DISTINCT n.org_id, n.title FROM inserted_findings n
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER findings_titles_inserted AFTER INSERT ON findings
  REFERENCING NEW TABLE AS inserted_findings
  FOR EACH STATEMENT EXECUTE FUNCTION finding_titles_add_inserted();

CREATE FUNCTION finding_titles_add_updated() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public, pg_temp
  AS $$
BEGIN
  INSERT INTO finding_titles (org_id, title) VALUES (NEW.org_id, NEW.title)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER findings_titles_updated AFTER UPDATE OF title ON findings
  FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title)
  EXECUTE FUNCTION finding_titles_add_updated();

DROP INDEX findings_title_trgm_idx;
-- Findings of one title, newest first (a search for a specific rule or advisory title).
CREATE INDEX findings_title_idx ON findings (org_id, title, created_at DESC, id DESC);

-- Text search of findings (see 20261127500000 for why it runs without the row-level security
-- barrier, limited to the caller's organisation by itself). The titles that match come from
-- finding_titles: up to a thousand of them, the findings are those with one of these titles
-- (the planner sees the titles, so it reads a rare title's findings through its index and walks
-- the newest findings for common ones); more than that is a common word, found soonest by walking
-- the newest findings.
CREATE OR REPLACE FUNCTION findings_matching(p_title_pattern text, p_vulnerability_ids text[],
                                             p_before_at timestamptz, p_before_id uuid,
                                             p_limit integer)
  RETURNS TABLE (id uuid, cursor_at text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  v_titles text[];
  v_match text;
BEGIN
  SELECT array_agg(m.title) INTO v_titles
    FROM (SELECT t.title FROM finding_titles t
           WHERE t.org_id = steward_current_org() AND t.title ILIKE p_title_pattern
           LIMIT 1001) m;
  IF cardinality(v_titles) > 1000 THEN
    v_match := 'f.title ILIKE $1';
  ELSIF cardinality(v_titles) > 0 THEN
    v_match := 'f.title = ANY ($6)';
  ELSE
    v_match := 'false';
  END IF;
  IF cardinality(p_vulnerability_ids) > 0 THEN
    v_match := v_match || ' OR f.vulnerability_ids && $2';
  END IF;
  RETURN QUERY EXECUTE format(
    'SELECT f.id, to_char(f.created_at AT TIME ZONE %L, %L)
       FROM findings f
      WHERE f.org_id = steward_current_org()
        AND (%s) %s
      ORDER BY f.created_at DESC, f.id DESC
      LIMIT $5',
    'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"', v_match,
    CASE WHEN p_before_at IS NULL THEN '' ELSE 'AND (f.created_at, f.id) < ($3, $4)' END)
  USING p_title_pattern, coalesce(p_vulnerability_ids, '{}'), p_before_at, p_before_id,
        least(greatest(p_limit, 1), 10000), coalesce(v_titles, '{}');
END
$$;
