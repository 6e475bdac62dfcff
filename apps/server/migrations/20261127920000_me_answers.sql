-- Servers also keep the answer of `GET /api/v1/me` per credential for a few seconds, forgotten
-- with the principals of its org when a change is announced on `steward_principals`. That answer
-- shows the user's last sign-in and the org's name, so those changes are announced too: a sign-in
-- (rare next to the requests it serves) and any change to the org row.
DROP TRIGGER users_announce_principal_change ON users;
CREATE TRIGGER users_announce_principal_change
  AFTER UPDATE ON users FOR EACH ROW
  WHEN (to_jsonb(OLD) IS DISTINCT FROM to_jsonb(NEW))
  EXECUTE FUNCTION auth_announce_principal_change();

CREATE FUNCTION orgs_announce_change()
  RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = public, pg_temp
  AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('steward_principals', '*');
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM pg_notify('steward_principals', NEW.id::text);
    IF NEW.id IS DISTINCT FROM OLD.id THEN
      PERFORM pg_notify('steward_principals', OLD.id::text);
    END IF;
  ELSE
    PERFORM pg_notify('steward_principals', OLD.id::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER orgs_announce_change
  AFTER UPDATE ON orgs FOR EACH ROW
  WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION orgs_announce_change();
CREATE TRIGGER orgs_announce_removal
  AFTER DELETE ON orgs FOR EACH ROW EXECUTE FUNCTION orgs_announce_change();
CREATE TRIGGER orgs_announce_truncate
  AFTER TRUNCATE ON orgs FOR EACH STATEMENT EXECUTE FUNCTION orgs_announce_change();
