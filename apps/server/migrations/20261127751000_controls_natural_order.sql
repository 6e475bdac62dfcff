-- Controls listed a page at a time in the order people read references: "A.5.9" before
-- "A.5.10" (digits compared as numbers), so the database can sort and page the list itself.
CREATE COLLATION steward_natural (provider = icu, locale = 'und-u-kn-true');

-- The default order of the list (annex section, then reference) and the order by title, per org.
CREATE INDEX controls_list_section_idx
  ON controls (org_id, (coalesce(section, 99)), (ref COLLATE steward_natural), id);
CREATE INDEX controls_list_title_idx ON controls (org_id, (title COLLATE steward_natural), id);
