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
  IF NEW.email IS NULL THEN
    NEW.user_id := NULL;
  ELSE
    NEW.user_id := (SELECT u.id FROM users u WHERE u.org_id = NEW.org_id AND u.email = NEW.email);
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION people_link_user() FROM PUBLIC;

CREATE TRIGGER people_link_user BEFORE INSERT OR UPDATE OF email ON people
  FOR EACH ROW EXECUTE FUNCTION people_link_user();

CREATE FUNCTION users_link_people() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    UPDATE people SET user_id = NULL
     WHERE org_id = OLD.org_id AND user_id = OLD.id AND email IS DISTINCT FROM NEW.email;
  END IF;
  UPDATE people SET user_id = NEW.id
   WHERE org_id = NEW.org_id AND email = NEW.email AND user_id IS DISTINCT FROM NEW.id;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION users_link_people() FROM PUBLIC;

CREATE TRIGGER users_link_people AFTER INSERT OR UPDATE OF email ON users
  FOR EACH ROW EXECUTE FUNCTION users_link_people();

CREATE INDEX people_user_idx ON people (user_id) WHERE user_id IS NOT NULL;

UPDATE people p SET user_id = u.id
  FROM users u
 WHERE u.org_id = p.org_id AND u.email = p.email AND p.user_id IS DISTINCT FROM u.id;
