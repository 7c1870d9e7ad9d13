-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "logo_file_id" UUID;

-- By hand: an avatar or a logo is a READY file of its purpose in the same tenant (an avatar,
-- the user's own). The database keeps it so: a file id that is not one is refused (P0001 with
-- the hint below, which the users subgraph answers as BAD_USER_INPUT). No foreign key: only
-- PENDING and REJECTED files are ever deleted, and an id whose file is gone resolves to null.
CREATE OR REPLACE FUNCTION app_check_attached_file() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_file_id uuid;
  v_purpose "UploadPurpose";
  v_owner uuid;
  v_tenant uuid;
  v_ok boolean;
BEGIN
  IF TG_TABLE_NAME = 'users' THEN
    v_file_id := NEW."avatar_file_id"; v_purpose := 'AVATAR'; v_owner := NEW."id"; v_tenant := NEW."tenant_id";
  ELSE
    v_file_id := NEW."logo_file_id"; v_purpose := 'TENANT_LOGO'; v_owner := NULL; v_tenant := NEW."id";
  END IF;
  IF v_file_id IS NULL THEN RETURN NEW; END IF;
  SELECT EXISTS (
    SELECT 1 FROM "files" f
    WHERE f."id" = v_file_id AND f."tenant_id" = v_tenant
      AND f."purpose" = v_purpose AND f."status" = 'READY' AND (v_owner IS NULL OR f."owner_id" = v_owner)
  ) INTO v_ok;
  IF NOT v_ok THEN
    RAISE EXCEPTION 'file % is not a READY % file of this %', v_file_id, v_purpose, TG_TABLE_NAME USING HINT = 'attached-file';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER users_avatar_file_check BEFORE INSERT OR UPDATE OF "avatar_file_id" ON "users"
  FOR EACH ROW WHEN (NEW."avatar_file_id" IS NOT NULL) EXECUTE FUNCTION app_check_attached_file();
CREATE TRIGGER tenants_logo_file_check BEFORE INSERT OR UPDATE OF "logo_file_id" ON "tenants"
  FOR EACH ROW WHEN (NEW."logo_file_id" IS NOT NULL) EXECUTE FUNCTION app_check_attached_file();

