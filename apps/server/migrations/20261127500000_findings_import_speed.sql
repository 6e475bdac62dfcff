-- Imports write up to hundreds of thousands of findings (and their events) in one transaction.
-- org_id of findings, finding_events and scan_imports needs no foreign key of its own: the
-- composite key to the asset (or the finding) already ties each row to an existing organisation,
-- and the second per-row check only slowed such imports down.
ALTER TABLE findings DROP CONSTRAINT findings_org_id_fkey;
ALTER TABLE finding_events DROP CONSTRAINT finding_events_org_id_fkey;
ALTER TABLE scan_imports DROP CONSTRAINT scan_imports_org_id_fkey;

-- Lists of one asset page through its findings newest first; the open and fixed findings that
-- count (not duplicates of another tool's) carry in their own index everything the asset list,
-- the dashboard and the checks read, so those answer from the index alone at a million findings.
DROP INDEX findings_asset_idx;
-- The list walks findings_list_idx for state and severity filters too (measured at a million
-- findings); this index only slowed every insert down.
DROP INDEX findings_severity_idx;
CREATE INDEX findings_asset_list_idx ON findings (asset_id, created_at DESC, id DESC);
CREATE INDEX findings_open_idx ON findings (org_id, asset_id, severity, first_seen_at, due_at, is_kev)
  WHERE state = 'open' AND canonical_id IS NULL;
DROP INDEX findings_fixed_idx;
CREATE INDEX findings_fixed_idx ON findings (org_id, fixed_at, severity, first_seen_at, due_at, asset_id)
  WHERE state = 'fixed' AND canonical_id IS NULL;

-- Text search of findings. ILIKE and array overlap are not leakproof, so under row-level security
-- PostgreSQL may not use the trigram and array indexes for them (it must filter by tenant first)
-- and scans every row of the org instead. This function runs the search without that barrier,
-- limited to the caller's organisation by itself (steward_current_org(), never a parameter), and
-- gives the newest matches before a position (at most p_limit), with their list position.
-- Dynamic SQL so each call is planned for its own pattern: a common word is found fastest by
-- walking the newest findings, a rare one through the trigram index.
CREATE FUNCTION findings_matching(p_title_pattern text, p_vulnerability_ids text[],
                                  p_before_at timestamptz, p_before_id uuid, p_limit integer)
  RETURNS TABLE (id uuid, cursor_at text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'SELECT f.id, to_char(f.created_at AT TIME ZONE %L, %L)
       FROM findings f
      WHERE f.org_id = steward_current_org()
        AND (f.title ILIKE $1 OR f.vulnerability_ids && $2) %s
      ORDER BY f.created_at DESC, f.id DESC
      LIMIT $5',
    'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"',
    CASE WHEN p_before_at IS NULL THEN '' ELSE 'AND (f.created_at, f.id) < ($3, $4)' END)
  USING p_title_pattern, coalesce(p_vulnerability_ids, '{}'), p_before_at, p_before_id,
        least(greatest(p_limit, 1), 10000);
END
$$;
REVOKE ALL ON FUNCTION findings_matching(text, text[], timestamptz, uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION findings_matching(text, text[], timestamptz, uuid, integer) TO steward_app;
