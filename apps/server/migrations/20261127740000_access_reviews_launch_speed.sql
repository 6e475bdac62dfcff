-- A launch inserts one review item per account in one statement (100,000 and more), and every row
-- paid for each index and foreign key of access_review_items: a foreign key is a trigger per row
-- that looks the referenced row up and locks it (400,000 lookups and locks for 100,000 accounts,
-- a third of a launch). The references are now checked once per statement instead, by joining
-- the statement's rows (a transition table) against the referenced tables. The referenced rows
-- are never deleted (steward_app may not: campaigns, systems, accounts and users are evidence),
-- which is what a foreign key's row lock protected against.

-- The primary key already makes id unique, and no table references items by (org_id, id).
ALTER TABLE access_review_items DROP CONSTRAINT access_review_items_org_id_id_key;
-- The item's org is checked through its campaign, which belongs to that org.
ALTER TABLE access_review_items DROP CONSTRAINT access_review_items_org_id_fkey;
ALTER TABLE access_review_items DROP CONSTRAINT access_review_items_org_id_campaign_id_fkey;
ALTER TABLE access_review_items DROP CONSTRAINT access_review_items_org_id_system_id_fkey;
ALTER TABLE access_review_items DROP CONSTRAINT access_review_items_org_id_account_id_fkey;
ALTER TABLE access_review_items DROP CONSTRAINT access_review_items_reviewer_user_id_fkey;

-- Runs as the caller, so row-level security applies: a row naming another org's campaign, system,
-- account or user finds nothing and is refused, as the composite foreign keys refused it.
CREATE FUNCTION access_review_items_check_references() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public, pg_temp
  AS $$
DECLARE
  missing text;
BEGIN
  SELECT 'campaign ' || n.campaign_id INTO missing
    FROM new_items n
    LEFT JOIN access_review_campaigns c ON c.org_id = n.org_id AND c.id = n.campaign_id
   WHERE c.id IS NULL LIMIT 1;
  IF missing IS NULL THEN
    SELECT 'system ' || n.system_id INTO missing
      FROM new_items n LEFT JOIN systems s ON s.org_id = n.org_id AND s.id = n.system_id
     WHERE s.id IS NULL LIMIT 1;
  END IF;
  IF missing IS NULL THEN
    SELECT 'account ' || n.account_id INTO missing
      FROM new_items n
      LEFT JOIN system_accounts a ON a.org_id = n.org_id AND a.id = n.account_id
     WHERE a.id IS NULL LIMIT 1;
  END IF;
  IF missing IS NULL THEN
    SELECT 'reviewer ' || n.reviewer_user_id INTO missing
      FROM new_items n LEFT JOIN users u ON u.id = n.reviewer_user_id
     WHERE u.id IS NULL LIMIT 1;
  END IF;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'access_review_items: no such % in the organisation', missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER access_review_items_references_on_insert
  AFTER INSERT ON access_review_items REFERENCING NEW TABLE AS new_items
  FOR EACH STATEMENT EXECUTE FUNCTION access_review_items_check_references();
CREATE TRIGGER access_review_items_references_on_update
  AFTER UPDATE ON access_review_items REFERENCING NEW TABLE AS new_items
  FOR EACH STATEMENT EXECUTE FUNCTION access_review_items_check_references();
