-- A tenant's document policy, read by the gateway with its identity: in production only the
-- first-party clients' persisted documents run, unless the tenant's settings say
-- {"arbitraryDocuments": true} (its own integrations send documents of their own).
-- No table changes: the policy lives in "tenants"."settings".

DROP FUNCTION app_tenant_by_slug(text);

CREATE FUNCTION app_tenant_by_slug(p_slug text)
  RETURNS TABLE ("id" uuid, "slug" text, "name" text, "tier" "TenantTier", "created_at" timestamptz, "arbitrary_documents" boolean)
  LANGUAGE sql STABLE
  SET app.bypass_rls = 'on'
  AS $$
    SELECT t."id", t."slug", t."name", t."tier", t."created_at", COALESCE(jsonb_typeof(t."settings" -> 'arbitraryDocuments') = 'boolean' AND (t."settings" ->> 'arbitraryDocuments')::boolean, false)
    FROM "tenants" t WHERE t."slug" = p_slug
  $$;

GRANT EXECUTE ON FUNCTION app_tenant_by_slug(text) TO academy_app;
