-- This partial index served no SCIM list query; it only added work to every SCIM write.
DROP INDEX people_scim_order_idx;

-- PL/pgSQL rather than SQL: a SECURITY DEFINER SQL function is planned again on every call,
-- while PL/pgSQL keeps the plan for the session, and every SCIM request calls this first.
-- Revoked tokens are never returned.
CREATE OR REPLACE FUNCTION scim_find_token(p_token_hash bytea)
  RETURNS TABLE (id uuid, org_id uuid, name text, last_used_at timestamptz)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  RETURN QUERY
    SELECT t.id, t.org_id, t.name, t.last_used_at
      FROM scim_tokens t
     WHERE t.token_hash = p_token_hash AND t.revoked_at IS NULL;
END
$$;
REVOKE ALL ON FUNCTION scim_find_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION scim_find_token(bytea) TO steward_app;
