-- CreateEnum
CREATE TYPE "UserStatus" AS ENUM ('ACTIVE', 'INVITED', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "AccountTokenPurpose" AS ENUM ('INVITATION', 'PASSWORD_RESET');

-- AlterTable (by hand: the per-account lock goes; wrong passwords are counted per account and
-- address in Redis, see subgraphs/users/src/auth/login-throttle.ts)
ALTER TABLE "users" DROP COLUMN "locked_until",
ADD COLUMN     "status" "UserStatus" NOT NULL DEFAULT 'ACTIVE';

-- CreateTable
CREATE TABLE "account_tokens" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "purpose" "AccountTokenPurpose" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_tokens_token_hash_key" ON "account_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "account_tokens_tenant_id_user_id_purpose_idx" ON "account_tokens"("tenant_id", "user_id", "purpose");

-- By hand: CONOCER certifies people by CURP, so one CURP is one account per tenant. Where two
-- accounts already share one, the oldest keeps it; the others' CURP is cleared (they enter it
-- again, and the duplicate is refused with CONFLICT).
UPDATE "users" u SET "curp" = NULL
WHERE u."curp" IS NOT NULL AND EXISTS (
  SELECT 1 FROM "users" o
  WHERE o."tenant_id" = u."tenant_id" AND o."curp" = u."curp" AND (o."created_at", o."id") < (u."created_at", u."id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_tenant_id_curp_key" ON "users"("tenant_id", "curp");

-- AddForeignKey
ALTER TABLE "account_tokens" ADD CONSTRAINT "account_tokens_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_tokens" ADD CONSTRAINT "account_tokens_tenant_id_user_id_fkey" FOREIGN KEY ("tenant_id", "user_id") REFERENCES "users"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security for the new tenant-owned table (see the row_level_security migration).
ALTER TABLE "account_tokens" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "account_tokens" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "account_tokens" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "account_tokens" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());

-- The gateway's view of a signed-in person on every request (cached, invalidated over pub/sub):
-- their current persona and status, so that a demotion, promotion or suspension applies to the
-- next request, whatever the token says. The persona and status only.
CREATE OR REPLACE FUNCTION app_principal(p_tenant uuid, p_user uuid)
  RETURNS TABLE ("persona" "Persona", "status" "UserStatus")
  LANGUAGE sql STABLE
  SET app.bypass_rls = 'on'
  AS $$ SELECT u."persona", u."status" FROM "users" u WHERE u."tenant_id" = p_tenant AND u."id" = p_user $$;

GRANT EXECUTE ON FUNCTION app_principal(uuid, uuid) TO academy_app;
