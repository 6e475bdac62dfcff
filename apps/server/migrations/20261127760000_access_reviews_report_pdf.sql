-- A closed campaign keeps two reports as evidence: the CSV (report_evidence_id) and the PDF, whose
-- evidence item is recorded here so the campaign page can link to what was proved.

ALTER TABLE access_review_campaigns ADD COLUMN report_pdf_evidence_id uuid;
