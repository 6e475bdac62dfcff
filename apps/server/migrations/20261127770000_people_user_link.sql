-- A person of the directory is the Steward user of the same org with the same work email. The
-- link is kept by the database whoever writes people or users (SCIM, CSV, the people pages,
-- invitations, SSO provisioning), so audiences by department, self-service pages and manager
-- escalations find the people who sign in. Both emails are stored lower-cased.

-- Runs as the owner so a user written before the org is set on the transaction (setup,
-- invitation acceptance) is still matched; every statement names the org explicitly.
CREATE FUNCTION people_link_user() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  -- A link set explicitly is kept; a new email is matched again.
  IF TG_OP = 'INSERT' AND NEW.user_id IS NOT NULL THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.email IS NOT DISTINCT FROM OLD.email THEN
    RETURN NEW;
  END IF;
  NEW.user_id := (SELECT u.id FROM users u WHERE u.org_id = NEW.org_id AND u.email = NEW.email);
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION people_link_user() FROM PUBLIC;

CREATE TRIGGER people_link_user BEFORE INSERT OR UPDATE OF email ON people
  FOR EACH ROW EXECUTE FUNCTION people_link_user();

CREATE FUNCTION users_link_people() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  -- Only links made by email move with it; people linked explicitly keep their link.
  IF TG_OP = 'UPDATE' AND OLD.email IS DISTINCT FROM NEW.email THEN
    UPDATE people SET user_id = NULL
     WHERE org_id = OLD.org_id AND user_id = OLD.id AND email = OLD.email;
  END IF;
  UPDATE people SET user_id = NEW.id
   WHERE org_id = NEW.org_id AND email = NEW.email AND user_id IS NULL;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION users_link_people() FROM PUBLIC;

CREATE TRIGGER users_link_people AFTER INSERT OR UPDATE OF email ON users
  FOR EACH ROW EXECUTE FUNCTION users_link_people();

CREATE INDEX people_user_idx ON people (user_id) WHERE user_id IS NOT NULL;

UPDATE people p SET user_id = u.id
  FROM users u
 WHERE u.org_id = p.org_id AND u.email = p.email AND p.user_id IS NULL;
