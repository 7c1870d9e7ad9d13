-- The public verification (verifyCertificate, the /verify/<code> page) says why a certificate was
-- revoked too (issue 17). Its result gains a column, so the function is replaced whole; still
-- one certificate by its code, across tenants, nothing else.
DROP FUNCTION IF EXISTS app_verify_certificate(text);

CREATE FUNCTION app_verify_certificate(p_code text)
  RETURNS TABLE (
    "status" "CertificateStatus",
    "learner_name" text,
    "course_title" text,
    "tenant_name" text,
    "issued_at" timestamptz,
    "revoked_at" timestamptz,
    "revocation_reason" text,
    "competency_standard_code" text,
    "conocer_status" "ConocerStatus"
  )
  LANGUAGE sql STABLE
  SET app.bypass_rls = 'on'
  AS $$
    SELECT c."status", u."name", co."title", t."name", c."issued_at", c."revoked_at", c."revocation_reason",
           co."competency_standard_code", COALESCE(s."status", 'NOT_REQUESTED'::"ConocerStatus")
    FROM "certificates" c
    JOIN "users" u ON u."tenant_id" = c."tenant_id" AND u."id" = c."learner_id"
    JOIN "courses" co ON co."tenant_id" = c."tenant_id" AND co."id" = c."course_id"
    JOIN "tenants" t ON t."id" = c."tenant_id"
    LEFT JOIN "conocer_submissions" s ON s."tenant_id" = c."tenant_id" AND s."certificate_id" = c."id"
    WHERE c."verification_code" = p_code
  $$;

GRANT EXECUTE ON FUNCTION app_verify_certificate(text) TO academy_app;
