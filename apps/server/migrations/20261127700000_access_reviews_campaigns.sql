-- Access review campaigns. A campaign covers chosen systems; at launch every account of them that
-- is not removed is copied, with its entitlements, into review items, so later syncs never change
-- what is being reviewed. Each item has one reviewer (never the person whose access it is), a
-- decision (keep, revoke, change) and, for revoke and change, a verification by a later sync of
-- the system or by evidence. Items are records of the review: never deleted.

CREATE TABLE access_review_campaigns (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  owner_user_id uuid NOT NULL REFERENCES users (id),
  reviewer_rule text NOT NULL CHECK (reviewer_rule IN ('system_owner', 'manager')),
  due_on date NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  launched_at timestamptz NOT NULL DEFAULT now(),
  launched_by_label text NOT NULL,
  item_count integer NOT NULL DEFAULT 0,
  closed_at timestamptz,
  report_evidence_id uuid,
  UNIQUE (org_id, id),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX access_review_campaigns_list_idx ON access_review_campaigns (org_id, launched_at DESC);

CREATE TABLE access_review_campaign_systems (
  org_id uuid NOT NULL REFERENCES orgs (id),
  campaign_id uuid NOT NULL,
  system_id uuid NOT NULL,
  system_name text NOT NULL,
  PRIMARY KEY (campaign_id, system_id),
  FOREIGN KEY (org_id, campaign_id) REFERENCES access_review_campaigns (org_id, id),
  FOREIGN KEY (org_id, system_id) REFERENCES systems (org_id, id)
);
CREATE INDEX access_review_campaign_systems_system_idx
  ON access_review_campaign_systems (org_id, system_id);

CREATE TABLE access_review_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES orgs (id),
  campaign_id uuid NOT NULL,
  system_id uuid NOT NULL,
  account_id uuid NOT NULL,
  -- The account as it was at launch.
  external_id text NOT NULL,
  username text,
  email text,
  display_name text,
  person_id uuid,
  person_name text,
  account_status text NOT NULL,
  is_privileged boolean NOT NULL,
  mfa_enabled boolean,
  last_sign_in_at timestamptz,
  -- [{"kind": "role", "name": "...", "isPrivileged": true}, ...] at launch, by kind and name.
  entitlements jsonb NOT NULL DEFAULT '[]',
  reviewer_user_id uuid NOT NULL REFERENCES users (id),
  -- How the reviewer was chosen: 'system_owner', 'manager' or 'campaign_owner' (the fallback).
  reviewer_source text NOT NULL CHECK (reviewer_source IN ('system_owner', 'manager', 'campaign_owner')),
  decision text CHECK (decision IN ('keep', 'revoke', 'change')),
  reason text CHECK (length(reason) <= 2000),
  decided_by_user_id uuid REFERENCES users (id),
  decided_by_label text,
  decided_at timestamptz,
  verification text NOT NULL DEFAULT 'not_needed'
    CHECK (verification IN ('not_needed', 'pending', 'verified')),
  verified_at timestamptz,
  verified_by text CHECK (verified_by IN ('sync', 'evidence')),
  verification_sync_id uuid,
  verification_evidence_id uuid,
  UNIQUE (org_id, id),
  UNIQUE (campaign_id, account_id),
  FOREIGN KEY (org_id, campaign_id) REFERENCES access_review_campaigns (org_id, id),
  FOREIGN KEY (org_id, system_id) REFERENCES systems (org_id, id),
  FOREIGN KEY (org_id, account_id) REFERENCES system_accounts (org_id, id),
  CHECK ((decision IS NULL) = (decided_at IS NULL)),
  CHECK (decision IS NULL OR decision = 'keep' OR length(trim(reason)) > 0),
  CHECK ((verification = 'pending') = (decision IN ('revoke', 'change') AND verified_at IS NULL)),
  CHECK ((verification = 'verified') = (verified_at IS NOT NULL))
);
CREATE INDEX access_review_items_campaign_idx
  ON access_review_items (campaign_id, system_id, external_id);
CREATE INDEX access_review_items_reviewer_idx
  ON access_review_items (org_id, reviewer_user_id, campaign_id) WHERE decision IS NULL;
CREATE INDEX access_review_items_pending_idx
  ON access_review_items (org_id, system_id) WHERE verification = 'pending';

-- Reminders sent for a campaign, so none is sent twice the same day.
CREATE TABLE access_review_reminders (
  org_id uuid NOT NULL REFERENCES orgs (id),
  campaign_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id),
  kind text NOT NULL CHECK (kind IN ('reminder', 'escalation')),
  sent_on date NOT NULL,
  PRIMARY KEY (campaign_id, user_id, kind, sent_on),
  FOREIGN KEY (org_id, campaign_id) REFERENCES access_review_campaigns (org_id, id)
);

ALTER TABLE access_review_campaigns ENABLE ROW LEVEL SECURITY;
CREATE POLICY access_review_campaigns_tenant ON access_review_campaigns
  USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org());
ALTER TABLE access_review_campaign_systems ENABLE ROW LEVEL SECURITY;
CREATE POLICY access_review_campaign_systems_tenant ON access_review_campaign_systems
  USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org());
ALTER TABLE access_review_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY access_review_items_tenant ON access_review_items
  USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org());
ALTER TABLE access_review_reminders ENABLE ROW LEVEL SECURITY;
CREATE POLICY access_review_reminders_tenant ON access_review_reminders
  USING (org_id = steward_current_org()) WITH CHECK (org_id = steward_current_org());

GRANT SELECT, INSERT, UPDATE ON access_review_campaigns, access_review_items TO steward_app;
GRANT SELECT, INSERT ON access_review_campaign_systems, access_review_reminders TO steward_app;
