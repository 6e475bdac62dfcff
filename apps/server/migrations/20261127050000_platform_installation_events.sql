-- Security events that belong to no organisation (an unknown email, a forged cookie or token, an
-- unknown passkey): hash-chained like the org audit logs, written only through a narrow function.
CREATE TABLE installation_events (
  seq bigint PRIMARY KEY,
  occurred_at timestamptz NOT NULL,
  kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
  ip text,
  user_agent text,
  request_id text,
  detail jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
REVOKE ALL ON installation_events FROM PUBLIC;

CREATE TRIGGER installation_events_append_only BEFORE UPDATE OR DELETE ON installation_events
  FOR EACH ROW EXECUTE FUNCTION steward_reject_audit_change();
CREATE TRIGGER installation_events_no_truncate BEFORE TRUNCATE ON installation_events
  FOR EACH STATEMENT EXECUTE FUNCTION steward_reject_audit_change();

-- One definition of what the hash covers, used by the writer and the verifier alike.
CREATE FUNCTION installation_event_hash(p_prev text, p_seq bigint, p_at timestamptz, p_kind text,
                                        p_ip text, p_user_agent text, p_request_id text,
                                        p_detail jsonb) RETURNS text
  LANGUAGE sql STABLE
  AS $$
    SELECT encode(sha256(convert_to(p_prev || E'\n' || jsonb_build_object(
      'seq', p_seq,
      'occurredAt', to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      'kind', p_kind, 'ip', p_ip, 'userAgent', p_user_agent, 'requestId', p_request_id,
      'detail', p_detail)::text, 'UTF8')), 'hex')
  $$;

CREATE FUNCTION record_installation_event(p_kind text, p_ip text, p_user_agent text,
                                          p_request_id text, p_detail jsonb) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  v_seq bigint;
  v_prev text;
  v_at timestamptz := date_trunc('milliseconds', clock_timestamp());
  v_agent text := left(p_user_agent, 500);
  v_detail jsonb := coalesce(p_detail, '{}'::jsonb);
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('steward.installation_events'));
  SELECT e.seq, e.hash INTO v_seq, v_prev FROM installation_events e ORDER BY e.seq DESC LIMIT 1;
  v_seq := coalesce(v_seq, 0) + 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  INSERT INTO installation_events
    VALUES (v_seq, v_at, p_kind, p_ip, v_agent, p_request_id, v_detail, v_prev,
            installation_event_hash(v_prev, v_seq, v_at, p_kind, p_ip, v_agent, p_request_id, v_detail));
  RETURN v_seq;
END
$$;
REVOKE ALL ON FUNCTION record_installation_event(text, text, text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION record_installation_event(text, text, text, text, jsonb) TO steward_app;

-- The first event that breaks the chain, or no row. For the owner (CLI), not the app role.
CREATE FUNCTION verify_installation_events() RETURNS TABLE (seq bigint, reason text)
  LANGUAGE sql STABLE
  AS $$
    WITH ordered AS (
      SELECT e.*, lag(e.hash) OVER (ORDER BY e.seq) AS expected_prev,
             coalesce(lag(e.seq) OVER (ORDER BY e.seq), 0) + 1 AS expected_seq
        FROM installation_events e
    )
    SELECT CASE WHEN o.seq <> o.expected_seq THEN o.expected_seq ELSE o.seq END,
           CASE
             WHEN o.seq <> o.expected_seq THEN 'event ' || o.expected_seq || ' is missing (next found is ' || o.seq || ')'
             WHEN o.prev_hash <> coalesce(o.expected_prev, repeat('0', 64))
               THEN 'its previous-hash link does not match the event before it (reordered or inserted)'
             ELSE 'its content does not match its hash (the row was changed)'
           END
      FROM ordered o
     WHERE o.seq <> o.expected_seq
        OR o.prev_hash <> coalesce(o.expected_prev, repeat('0', 64))
        OR o.hash <> installation_event_hash(o.prev_hash, o.seq, o.occurred_at, o.kind, o.ip,
                                             o.user_agent, o.request_id, o.detail)
     ORDER BY o.seq
     LIMIT 1
  $$;
REVOKE ALL ON FUNCTION verify_installation_events() FROM PUBLIC;
