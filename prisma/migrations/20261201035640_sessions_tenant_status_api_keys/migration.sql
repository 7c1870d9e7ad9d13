-- CreateEnum
CREATE TYPE "TenantStatus" AS ENUM ('ACTIVE', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "ApiKeyScope" AS ENUM ('READ_CATALOGUE', 'READ_REPORTS', 'READ_CERTIFICATES', 'MANAGE_ENROLLMENTS');

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "status" "TenantStatus" NOT NULL DEFAULT 'ACTIVE';

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "avatar_file_id" UUID;

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "end_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refresh_tokens" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "refresh_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "scopes" "ApiKeyScope"[],
    "created_by_id" UUID NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sessions_tenant_id_user_id_idx" ON "sessions"("tenant_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_tenant_id_id_key" ON "sessions"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "refresh_tokens_token_hash_key" ON "refresh_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "refresh_tokens_tenant_id_session_id_idx" ON "refresh_tokens"("tenant_id", "session_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys"("secret_hash");

-- CreateIndex
CREATE INDEX "api_keys_tenant_id_created_at_idx" ON "api_keys"("tenant_id", "created_at");

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_tenant_id_user_id_fkey" FOREIGN KEY ("tenant_id", "user_id") REFERENCES "users"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_tenant_id_session_id_fkey" FOREIGN KEY ("tenant_id", "session_id") REFERENCES "sessions"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_created_by_id_fkey" FOREIGN KEY ("tenant_id", "created_by_id") REFERENCES "users"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security for the new tenant-owned tables (see the row_level_security migration).
ALTER TABLE "sessions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "sessions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "sessions" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "sessions" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());

ALTER TABLE "refresh_tokens" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "refresh_tokens" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "refresh_tokens" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "refresh_tokens" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());

ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "api_keys" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "api_keys" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());

-- The gateway's per-request reads (cached in memory and Redis, invalidated over pub/sub), each
-- as narrow as it can be.

-- The tenant of a request, now with its status (a SUSPENDED tenant answers TENANT_SUSPENDED).
DROP FUNCTION app_tenant_by_slug(text);
CREATE FUNCTION app_tenant_by_slug(p_slug text)
  RETURNS TABLE ("id" uuid, "slug" text, "name" text, "tier" "TenantTier", "created_at" timestamptz, "arbitrary_documents" boolean, "status" "TenantStatus")
  LANGUAGE sql STABLE
  SET app.bypass_rls = 'on'
  AS $$
    SELECT t."id", t."slug", t."name", t."tier", t."created_at", COALESCE(jsonb_typeof(t."settings" -> 'arbitraryDocuments') = 'boolean' AND (t."settings" ->> 'arbitraryDocuments')::boolean, false), t."status"
    FROM "tenants" t WHERE t."slug" = p_slug
  $$;
GRANT EXECUTE ON FUNCTION app_tenant_by_slug(text) TO academy_app;

-- Whether a tenant's jobs may run now (the workers pause a SUSPENDED tenant's).
CREATE FUNCTION app_tenant_status(p_tenant uuid)
  RETURNS "TenantStatus"
  LANGUAGE sql STABLE
  SET app.bypass_rls = 'on'
  AS $$ SELECT t."status" FROM "tenants" t WHERE t."id" = p_tenant $$;
GRANT EXECUTE ON FUNCTION app_tenant_status(uuid) TO academy_app;

-- Whether the session an access token names is still going (not ended by logout, reuse,
-- reset or suspension).
CREATE FUNCTION app_session_active(p_tenant uuid, p_session uuid)
  RETURNS boolean
  LANGUAGE sql STABLE
  SET app.bypass_rls = 'on'
  AS $$ SELECT EXISTS (SELECT 1 FROM "sessions" s WHERE s."tenant_id" = p_tenant AND s."id" = p_session AND s."ended_at" IS NULL) $$;
GRANT EXECUTE ON FUNCTION app_session_active(uuid, uuid) TO academy_app;

-- An API key by its secret's hash: whose, what it may do, whether it was revoked. Never the hash.
CREATE FUNCTION app_api_key(p_secret_hash text)
  RETURNS TABLE ("id" uuid, "tenant_id" uuid, "scopes" "ApiKeyScope"[], "revoked" boolean)
  LANGUAGE sql STABLE
  SET app.bypass_rls = 'on'
  AS $$ SELECT k."id", k."tenant_id", k."scopes", k."revoked_at" IS NOT NULL FROM "api_keys" k WHERE k."secret_hash" = p_secret_hash $$;
GRANT EXECUTE ON FUNCTION app_api_key(text) TO academy_app;

-- A key was used (the gateway calls it at most once a minute per key).
CREATE FUNCTION app_api_key_used(p_key uuid, p_at timestamptz)
  RETURNS void
  LANGUAGE sql VOLATILE
  SET app.bypass_rls = 'on'
  AS $$ UPDATE "api_keys" SET "last_used_at" = p_at WHERE "id" = p_key AND ("last_used_at" IS NULL OR "last_used_at" < p_at) $$;
GRANT EXECUTE ON FUNCTION app_api_key_used(uuid, timestamptz) TO academy_app;
