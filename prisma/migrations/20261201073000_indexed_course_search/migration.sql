-- Catalogue search through its trigram indexes under row-level security (issue 15, item 5).
--
-- Under row-level security PostgreSQL makes a condition an index condition only when its
-- operator is LEAKPROOF (it must not see rows the policies hide), and neither LIKE nor pg_trgm's
-- operators are: as the services' role a search checked every course of the tenant, one by one
-- (some 100 ms at 10,000 courses). app_search_courses() finds the current tenant's matches as
-- the schema's owner (SECURITY DEFINER), through courses_search_text_idx and
-- courses_search_title_idx, and returns only ids and ranks. It reads app.tenant_id itself, as
-- the policies do, so it answers for the caller's tenant and no other; the services then read
-- the courses it names under row-level security as always (a second, independent filter) and
-- apply the viewer's visibility there. When the owner is a superuser (or BYPASSRLS) the indexes
-- are used; when it is not, FORCEd row-level security applies inside too: the same answers,
-- scanned as before. Nothing here widens what any role can read.

-- The LIKE pattern of a search term: contained anywhere, its %, _ and \ meant literally.
CREATE OR REPLACE FUNCTION app_search_pattern(p_term text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT '%' || replace(replace(replace(app_search_text(p_term), '\', '\\'), '%', '\%'), '_', '\_') || '%' $$;

-- How well a course matches a term, best first: its title contains it (2000), else its
-- description does (1000), else its title is only close to it (strict word similarity in
-- thousandths, at most 999). Also what the services rank a keyset cursor's course with.
CREATE OR REPLACE FUNCTION app_search_rank(p_term text, p_search_title text, p_search_text text) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    SELECT (CASE
      WHEN p_search_title LIKE app_search_pattern(p_term) THEN 2000
      WHEN p_search_text LIKE app_search_pattern(p_term) THEN 1000
      ELSE least(999, round(1000 * strict_word_similarity(app_search_text(p_term), p_search_title)))
    END)::integer
  $$;

-- The current tenant's courses matching a term: those containing it (title or description),
-- and with p_fuzzy those whose title has a word close to it (strict word similarity at least
-- pg_trgm.strict_word_similarity_threshold). Every status: visibility is the caller's filter.
CREATE OR REPLACE FUNCTION app_search_courses(p_term text, p_fuzzy boolean)
  RETURNS TABLE ("id" uuid, "rank" integer)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
DECLARE
  v_tenant uuid := app_current_tenant();
  v_term text := app_search_text(p_term);
  v_pattern text := app_search_pattern(p_term);
BEGIN
  IF v_tenant IS NULL THEN RETURN; END IF;
  IF p_fuzzy THEN
    RETURN QUERY
      SELECT c."id", app_search_rank(p_term, c."search_title", c."search_text") FROM "courses" c
      WHERE c."tenant_id" = v_tenant AND c."search_text" LIKE v_pattern
      UNION
      SELECT c."id", app_search_rank(p_term, c."search_title", c."search_text") FROM "courses" c
      WHERE c."tenant_id" = v_tenant AND v_term <<% c."search_title";
  ELSE
    RETURN QUERY
      SELECT c."id", app_search_rank(p_term, c."search_title", c."search_text") FROM "courses" c
      WHERE c."tenant_id" = v_tenant AND c."search_text" LIKE v_pattern;
  END IF;
END
$$;

REVOKE ALL ON FUNCTION app_search_courses(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_search_courses(text, boolean) TO academy_app;
