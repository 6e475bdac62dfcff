-- Evidence content is stored once per installation under its SHA-256, while each org keeps its own
-- evidence_files row. Before the bytes are removed (every item using them deleted after
-- retention), the store must know that no org still uses them; only a yes/no leaves this function.
CREATE FUNCTION evidence_blob_in_use(p_sha256 text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT EXISTS (SELECT 1 FROM evidence_files WHERE sha256 = p_sha256 AND purged_at IS NULL) $$;
REVOKE ALL ON FUNCTION evidence_blob_in_use(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION evidence_blob_in_use(text) TO steward_app;

CREATE INDEX evidence_files_sha256_idx ON evidence_files (sha256);
CREATE INDEX evidence_file_idx ON evidence (org_id, file_sha256) WHERE file_sha256 IS NOT NULL;
-- The library pages newest first by (created_at, id).
CREATE INDEX evidence_org_created_id_idx ON evidence (org_id, created_at DESC, id DESC);

-- The library's text search (title, file name, link) stays an index lookup at 50,000 items.
-- Row-level security keeps an index from serving ILIKE (the operator is not leakproof), so the
-- search runs here as the owner, limited to the org of the calling transaction.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX evidence_search_idx ON evidence
  USING gin ((title || ' ' || coalesce(file_name, '') || ' ' || coalesce(url, '')) gin_trgm_ops);
-- Matching items of the org of the calling transaction that are not deleted, newest first after a
-- position, at most p_limit. Planned per call with the pattern's value (EXECUTE), so a rare word
-- takes the trigram index and a common one walks the newest items and stops early.
CREATE FUNCTION evidence_search(p_pattern text, p_before_at timestamptz, p_before_id uuid,
  p_limit integer) RETURNS TABLE (id uuid, position_at text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  BEGIN
    RETURN QUERY EXECUTE
      'SELECT e.id, to_char(e.created_at AT TIME ZONE ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.US"Z"'')
         FROM evidence e
        WHERE e.org_id = steward_current_org() AND e.deleted_at IS NULL
          AND (e.title || '' '' || coalesce(e.file_name, '''') || '' '' || coalesce(e.url, '''')) ILIKE $1'
      || CASE WHEN p_before_at IS NULL THEN '' ELSE ' AND (e.created_at, e.id) < ($2, $3)' END
      || ' ORDER BY e.created_at DESC, e.id DESC LIMIT $4'
      USING p_pattern, p_before_at, p_before_id, least(greatest(p_limit, 1), 10000);
  END $$;
REVOKE ALL ON FUNCTION evidence_search(text, timestamptz, uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION evidence_search(text, timestamptz, uuid, integer) TO steward_app;
