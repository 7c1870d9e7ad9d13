-- Tenant isolation in the database.
--
-- The services connect as academy_app: no superuser, no BYPASSRLS. Every tenant-owned table
-- has row-level security ENABLEd and FORCEd with two policies:
--   tenant_isolation  rows of the tenant named by app.tenant_id, which the services set with
--                     set_config('app.tenant_id', <id>, true) at the start of each transaction
--                     (transaction-local: a pooled connection never carries it further);
--   platform_bypass   every row, only while app.bypass_rls = 'on', which the platform's audited
--                     bypass sets (transaction-local, with an audit_logs row in the same transaction).
-- With neither setting, tenant tables return nothing and accept nothing.

-- The services' role. Roles are cluster-wide: another database of the cluster may have created it.
DO $$
BEGIN
  CREATE ROLE academy_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  ALTER ROLE academy_app NOSUPERUSER NOBYPASSRLS;
END
$$;

GRANT USAGE ON SCHEMA public TO academy_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO academy_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO academy_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO academy_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO academy_app;

-- Append-only history.
REVOKE UPDATE, DELETE ON "audit_logs", "conocer_status_changes" FROM academy_app;

-- Migrations are the owner's business.
DO $$
BEGIN
  IF to_regclass('public._prisma_migrations') IS NOT NULL THEN
    REVOKE ALL ON TABLE "_prisma_migrations" FROM academy_app;
  END IF;
END
$$;

-- What the policies read. Inlined by the planner; an unset or empty setting is NULL, which
-- matches no row. A malformed tenant id fails the statement instead of matching anything.
CREATE OR REPLACE FUNCTION app_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE OR REPLACE FUNCTION app_rls_bypassed() RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT coalesce(current_setting('app.bypass_rls', true), '') = 'on' $$;

-- Tenants: a tenant sees its own row.
ALTER TABLE "tenants" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenants" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "tenants"
  USING ("id" = app_current_tenant())
  WITH CHECK ("id" = app_current_tenant());
CREATE POLICY platform_bypass ON "tenants"
  USING (app_rls_bypassed())
  WITH CHECK (app_rls_bypassed());

-- Tenant-owned tables.
DO $$
DECLARE
  owned text;
BEGIN
  FOREACH owned IN ARRAY ARRAY[
    'users', 'communities', 'community_memberships',
    'courses', 'course_modules', 'lessons', 'enrollments', 'lesson_completions',
    'certificates',
    'conocer_submissions', 'conocer_status_changes',
    'impact_events', 'impact_contributions', 'impact_aggregates',
    'outbox_events', 'audit_logs'
  ]
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', owned);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', owned);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant())',
      owned);
    EXECUTE format(
      'CREATE POLICY platform_bypass ON %I USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed())',
      owned);
  END LOOP;
END
$$;

-- Resolving a request's tenant happens before any tenant is set: this function returns the
-- public profile of one tenant by slug and nothing else, bypassing RLS only while it runs.
CREATE OR REPLACE FUNCTION app_tenant_by_slug(p_slug text)
  RETURNS TABLE ("id" uuid, "slug" text, "name" text, "tier" "TenantTier", "created_at" timestamptz)
  LANGUAGE sql STABLE
  SET app.bypass_rls = 'on'
  AS $$ SELECT t."id", t."slug", t."name", t."tier", t."created_at" FROM "tenants" t WHERE t."slug" = p_slug $$;

GRANT EXECUTE ON FUNCTION app_tenant_by_slug(text) TO academy_app;
