-- Catalogue search for Spanish (issue 15, item 5): courses(search:) and competencyStandards(search:)
-- match without regard to accents or case, rank the best match first and forgive typos in titles.
-- Both extensions are trusted since PostgreSQL 13; pg_trgm is already there (init migration).
-- They come first: the indexes below need gin_trgm_ops, the function unaccent().
CREATE EXTENSION IF NOT EXISTS "unaccent";
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- DropIndex (the title trigram indexes: search reads search_text and search_title now)
DROP INDEX "courses_title_idx";

-- DropIndex
DROP INDEX "competency_standards_title_idx";

-- AlterTable
ALTER TABLE "courses" ADD COLUMN     "search_text" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "search_title" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "competency_standards" ADD COLUMN     "search_text" TEXT NOT NULL DEFAULT '';

-- By hand: the searchable form of a text, lower case without accents ("Eléctrica" -> "electrica",
-- "Ñandú" -> "nandu"). Search terms go through it too, so both sides compare alike. unaccent()
-- is only STABLE (its dictionary could be changed); this wrapper names the dictionary and is
-- declared IMMUTABLE, the usual way to use it for stored values. Changing the unaccent rules
-- means rewriting the search columns (as the backfill below does). unaccent first: lower() of an
-- accented capital depends on the database's ctype, of a plain one never.
CREATE OR REPLACE FUNCTION app_search_text(p_text text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, p_text)) $$;

-- search_text (and a course's search_title) are the database's: kept by these triggers whenever
-- what they are made of changes, and rewritten when a client writes them directly. A course's
-- search_text (title and description) is what a term must appear in; its search_title (the
-- title alone, short) is what a mistyped term is compared with and what ranks: similarity is
-- computed per candidate row, several times cheaper on a title than on title and description.
CREATE OR REPLACE FUNCTION app_courses_search_text() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW."search_title" := app_search_text(NEW."title");
  NEW."search_text" := app_search_text(NEW."title" || ' ' || NEW."description");
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION app_competency_standards_search_text() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW."search_text" := app_search_text(NEW."title");
  RETURN NEW;
END
$$;

CREATE TRIGGER courses_search_text BEFORE INSERT OR UPDATE OF "title", "description", "search_text", "search_title" ON "courses"
  FOR EACH ROW EXECUTE FUNCTION app_courses_search_text();
CREATE TRIGGER competency_standards_search_text BEFORE INSERT OR UPDATE OF "title", "search_text" ON "competency_standards"
  FOR EACH ROW EXECUTE FUNCTION app_competency_standards_search_text();

-- Backfill (the triggers write the value), before the indexes are built: one build instead of
-- one index update per row. courses has FORCEd row-level security: an owner that is not a
-- superuser sees its rows only through the platform bypass (transaction-local, this migration's).
SELECT set_config('app.bypass_rls', 'on', true);
UPDATE "courses" SET "search_text" = '';
UPDATE "competency_standards" SET "search_text" = '';
SELECT set_config('app.bypass_rls', '', true);

-- CreateIndex (trigram GIN: LIKE '%...%' on search_text; strict word similarity on search_title).
-- On courses, for the owner's queries only: under row-level security PostgreSQL makes no
-- condition an index condition unless its operator is LEAKPROOF, and LIKE and pg_trgm's are not;
-- the services' searches check the tenant's rows one by one instead (see CourseRepository).
CREATE INDEX "courses_search_text_idx" ON "courses" USING GIN ("search_text" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "courses_search_title_idx" ON "courses" USING GIN ("search_title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "competency_standards_search_text_idx" ON "competency_standards" USING GIN ("search_text" gin_trgm_ops);
