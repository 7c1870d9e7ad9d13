-- CreateEnum
CREATE TYPE "LessonKind" AS ENUM ('VIDEO', 'READING', 'PRACTICE');

-- AlterTable
ALTER TABLE "courses" ADD COLUMN     "archived_at" TIMESTAMPTZ(3),
ADD COLUMN     "category" TEXT;

-- AlterTable
ALTER TABLE "lessons" ADD COLUMN     "attachment_file_ids" UUID[] DEFAULT ARRAY[]::UUID[],
ADD COLUMN     "body" TEXT,
ADD COLUMN     "kind" "LessonKind" NOT NULL DEFAULT 'READING',
ADD COLUMN     "video_url" TEXT;

-- AlterTable
ALTER TABLE "enrollments" ADD COLUMN     "last_activity_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "course_reviews" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "rating" INTEGER NOT NULL,
    "comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "course_reviews_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "course_reviews_tenant_id_course_id_created_at_idx" ON "course_reviews"("tenant_id", "course_id", "created_at");

-- CreateIndex
CREATE INDEX "course_reviews_course_id_rating_idx" ON "course_reviews"("course_id", "rating");

-- CreateIndex
CREATE UNIQUE INDEX "course_reviews_course_id_author_id_key" ON "course_reviews"("course_id", "author_id");

-- AddForeignKey
ALTER TABLE "course_reviews" ADD CONSTRAINT "course_reviews_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "course_reviews" ADD CONSTRAINT "course_reviews_tenant_id_course_id_fkey" FOREIGN KEY ("tenant_id", "course_id") REFERENCES "courses"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "course_reviews" ADD CONSTRAINT "course_reviews_tenant_id_author_id_fkey" FOREIGN KEY ("tenant_id", "author_id") REFERENCES "users"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- By hand: row-level security for the new tenant-owned table (see the row_level_security migration).
ALTER TABLE "course_reviews" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "course_reviews" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "course_reviews" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "course_reviews" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());

-- By hand: a lesson's attachments are READY LESSON_ATTACHMENT files of its tenant, each once. The
-- database keeps it so (as app_check_attached_file does for avatars and logos): a list naming
-- anything else is refused (P0001 with the hint 'attached-file', answered as BAD_USER_INPUT). No
-- foreign key (an array cannot have one): READY files are never deleted.
CREATE OR REPLACE FUNCTION app_check_lesson_attachments() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  v_wanted integer;
  v_found integer;
BEGIN
  SELECT count(DISTINCT id) INTO v_wanted FROM unnest(NEW."attachment_file_ids") AS id;
  IF v_wanted <> cardinality(NEW."attachment_file_ids") THEN
    RAISE EXCEPTION 'a lesson names a file twice among its attachments' USING HINT = 'attached-file';
  END IF;
  SELECT count(*) INTO v_found FROM "files" f
  WHERE f."id" = ANY (NEW."attachment_file_ids") AND f."tenant_id" = NEW."tenant_id"
    AND f."purpose" = 'LESSON_ATTACHMENT' AND f."status" = 'READY';
  IF v_found <> v_wanted THEN
    RAISE EXCEPTION 'a lesson attachment is not a READY LESSON_ATTACHMENT file of this tenant' USING HINT = 'attached-file';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER lessons_attachment_check BEFORE INSERT OR UPDATE OF "attachment_file_ids" ON "lessons"
  FOR EACH ROW WHEN (cardinality(NEW."attachment_file_ids") > 0) EXECUTE FUNCTION app_check_lesson_attachments();
