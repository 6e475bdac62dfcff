-- Counting a control's current evidence subtracts its links to deleted or superseded items.
-- Both sets are small next to all evidence; these partial indexes find them without a scan.
CREATE INDEX evidence_deleted_idx ON evidence (id) WHERE deleted_at IS NOT NULL;
CREATE INDEX evidence_later_versions_idx ON evidence (lineage_id, version) WHERE version > 1;
