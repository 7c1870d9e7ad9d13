-- By hand: a piece of evidence's files are READY EVIDENCE files of its tenant, uploaded by the
-- portfolio's learner (as app_check_lesson_attachments does for lessons). The conocer subgraph
-- checks them first and names the bad one (`fileIds.<i>`); this keeps it so whatever writes the
-- row (P0001 with the hint 'evidence-file').
CREATE OR REPLACE FUNCTION app_check_evidence_file() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_ok boolean;
BEGIN
  SELECT EXISTS (
    SELECT 1
    FROM "evidence" e
    JOIN "portfolios" p ON p."tenant_id" = e."tenant_id" AND p."id" = e."portfolio_id"
    JOIN "files" f ON f."tenant_id" = e."tenant_id" AND f."id" = NEW."file_id"
    WHERE e."tenant_id" = NEW."tenant_id" AND e."id" = NEW."evidence_id"
      AND f."purpose" = 'EVIDENCE' AND f."status" = 'READY' AND f."owner_id" = p."learner_id"
  ) INTO v_ok;
  IF NOT v_ok THEN
    RAISE EXCEPTION 'file % is not a READY EVIDENCE file of the portfolio''s learner', NEW."file_id" USING HINT = 'evidence-file';
  END IF;
  RETURN NULL;
END
$$;

-- AFTER the row is written: row-level security refuses another tenant's row first (42501), as
-- for every table; this only judges rows the transaction's tenant may write.
CREATE TRIGGER evidence_files_check AFTER INSERT OR UPDATE OF "file_id", "evidence_id" ON "evidence_files"
  FOR EACH ROW EXECUTE FUNCTION app_check_evidence_file();
