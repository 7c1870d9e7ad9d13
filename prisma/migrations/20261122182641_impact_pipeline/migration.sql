-- The impact pipeline in the database (docs/impact-scoring.md, "Aggregation"):
--   impact_events --trigger--> impact_deltas --app_impact_apply_deltas--> impact_user_days, impact_aggregates
-- and app_impact_recompute, which rebuilds the derived tables from the events set-based and
-- repairs any drift. Both serialize on one advisory lock, so they never interleave.

-- Row-level security for the new tenant-owned tables (see the row_level_security migration).
ALTER TABLE "impact_deltas" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "impact_deltas" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "impact_deltas" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "impact_deltas" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());
ALTER TABLE "impact_user_days" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "impact_user_days" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "impact_user_days" USING ("tenant_id" = app_current_tenant()) WITH CHECK ("tenant_id" = app_current_tenant());
CREATE POLICY platform_bypass ON "impact_user_days" USING (app_rls_bypassed()) WITH CHECK (app_rls_bypassed());

-- The bucket (first day) of a UTC day at a granularity; ISO weeks start on Monday.
CREATE OR REPLACE FUNCTION app_impact_bucket(p_granularity "AggregateGranularity", p_day date) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT CASE p_granularity
      WHEN 'DAY' THEN p_day
      WHEN 'WEEK' THEN date_trunc('week', p_day::timestamp)::date
      WHEN 'MONTH' THEN date_trunc('month', p_day::timestamp)::date
      WHEN 'QUARTER' THEN date_trunc('quarter', p_day::timestamp)::date
      WHEN 'YEAR' THEN date_trunc('year', p_day::timestamp)::date
      ELSE DATE '1970-01-01'
    END
  $$;

-- The first day after a bucket.
CREATE OR REPLACE FUNCTION app_impact_bucket_end(p_granularity "AggregateGranularity", p_start date) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT CASE p_granularity
      WHEN 'DAY' THEN p_start + 1
      WHEN 'WEEK' THEN p_start + 7
      WHEN 'MONTH' THEN (p_start + interval '1 month')::date
      WHEN 'QUARTER' THEN (p_start + interval '3 months')::date
      WHEN 'YEAR' THEN (p_start + interval '1 year')::date
      ELSE DATE '9999-12-31'
    END
  $$;

-- Every change to impact_events leaves deltas (one row per side: -1 for what was, +1 for what
-- is) and wakes the aggregation through the outbox, in the changing transaction. Updates that
-- change nothing the aggregates count (a description) leave nothing.
CREATE OR REPLACE FUNCTION app_impact_events_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      WITH written AS (
        INSERT INTO "impact_deltas" ("tenant_id", "user_id", "community_id", "day", "events",
          "sustainability_millipoints", "community_millipoints", "regenerative_millipoints", "social_justice_millipoints", "circularity_millipoints")
        SELECT n."tenant_id", n."user_id", coalesce(n."community_id", '00000000-0000-0000-0000-000000000000'), (n."occurred_at" AT TIME ZONE 'UTC')::date, 1,
          n."sustainability_millipoints", n."community_millipoints", n."regenerative_millipoints", n."social_justice_millipoints", n."circularity_millipoints"
        FROM changed_new n
        RETURNING "tenant_id"
      )
      INSERT INTO "outbox_events" ("tenant_id", "type", "aggregate_type", "aggregate_id", "payload")
      SELECT "tenant_id", 'impact.events.changed', 'Tenant', "tenant_id"::text, jsonb_build_object('deltas', count(*)) FROM written GROUP BY "tenant_id";
    ELSIF TG_OP = 'DELETE' THEN
      WITH written AS (
        INSERT INTO "impact_deltas" ("tenant_id", "user_id", "community_id", "day", "events",
          "sustainability_millipoints", "community_millipoints", "regenerative_millipoints", "social_justice_millipoints", "circularity_millipoints")
        SELECT o."tenant_id", o."user_id", coalesce(o."community_id", '00000000-0000-0000-0000-000000000000'), (o."occurred_at" AT TIME ZONE 'UTC')::date, -1,
          -o."sustainability_millipoints", -o."community_millipoints", -o."regenerative_millipoints", -o."social_justice_millipoints", -o."circularity_millipoints"
        FROM changed_old o
        RETURNING "tenant_id"
      )
      INSERT INTO "outbox_events" ("tenant_id", "type", "aggregate_type", "aggregate_id", "payload")
      SELECT "tenant_id", 'impact.events.changed', 'Tenant', "tenant_id"::text, jsonb_build_object('deltas', count(*)) FROM written GROUP BY "tenant_id";
    ELSE
      WITH moved AS (
        SELECT o.* , n."tenant_id" AS n_tenant_id, n."user_id" AS n_user_id, n."community_id" AS n_community_id, n."occurred_at" AS n_occurred_at,
          n."sustainability_millipoints" AS n_s, n."community_millipoints" AS n_c, n."regenerative_millipoints" AS n_r,
          n."social_justice_millipoints" AS n_j, n."circularity_millipoints" AS n_ci
        FROM changed_old o JOIN changed_new n ON n."id" = o."id"
        WHERE (o."tenant_id", o."user_id", o."community_id", o."occurred_at", o."sustainability_millipoints", o."community_millipoints",
               o."regenerative_millipoints", o."social_justice_millipoints", o."circularity_millipoints")
          IS DISTINCT FROM
              (n."tenant_id", n."user_id", n."community_id", n."occurred_at", n."sustainability_millipoints", n."community_millipoints",
               n."regenerative_millipoints", n."social_justice_millipoints", n."circularity_millipoints")
      ), written AS (
        INSERT INTO "impact_deltas" ("tenant_id", "user_id", "community_id", "day", "events",
          "sustainability_millipoints", "community_millipoints", "regenerative_millipoints", "social_justice_millipoints", "circularity_millipoints")
        SELECT m."tenant_id", m."user_id", coalesce(m."community_id", '00000000-0000-0000-0000-000000000000'), (m."occurred_at" AT TIME ZONE 'UTC')::date, -1,
          -m."sustainability_millipoints", -m."community_millipoints", -m."regenerative_millipoints", -m."social_justice_millipoints", -m."circularity_millipoints"
        FROM moved m
        UNION ALL
        SELECT m.n_tenant_id, m.n_user_id, coalesce(m.n_community_id, '00000000-0000-0000-0000-000000000000'), (m.n_occurred_at AT TIME ZONE 'UTC')::date, 1,
          m.n_s, m.n_c, m.n_r, m.n_j, m.n_ci
        FROM moved m
        RETURNING "tenant_id"
      )
      INSERT INTO "outbox_events" ("tenant_id", "type", "aggregate_type", "aggregate_id", "payload")
      SELECT "tenant_id", 'impact.events.changed', 'Tenant', "tenant_id"::text, jsonb_build_object('deltas', count(*)) FROM written GROUP BY "tenant_id";
    END IF;
    RETURN NULL;
  END
  $$;

CREATE TRIGGER impact_events_inserted AFTER INSERT ON "impact_events"
  REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION app_impact_events_changed();
CREATE TRIGGER impact_events_updated AFTER UPDATE ON "impact_events"
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION app_impact_events_changed();
CREATE TRIGGER impact_events_deleted AFTER DELETE ON "impact_events"
  REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION app_impact_events_changed();

-- Applies up to p_limit pending deltas (oldest first) and deletes them, in one transaction: each
-- delta counts exactly once, whoever runs this and however often. Participants are people: a
-- person enters a bucket's count when their first event in it arrives and leaves it when their
-- last one goes; their days in impact_user_days tell which. Crosses tenants (GLOBAL rows),
-- nothing else. One statement and no temporary tables: it runs after every change.
CREATE OR REPLACE FUNCTION app_impact_apply_deltas(p_limit integer) RETURNS integer
  LANGUAGE plpgsql VOLATILE
  SET app.bypass_rls = 'on'
  SET client_min_messages = warning
  SET jit = off
  AS $$
  DECLARE
    v_applied integer;
    v_day_tenants uuid[];
    v_day_users uuid[];
    v_days date[];
    v_day_communities uuid[];
    v_scopes "ImpactScope"[];
    v_subjects uuid[];
    v_granularities "AggregateGranularity"[];
    v_starts date[];
  BEGIN
    PERFORM pg_advisory_xact_lock(4627001);

    WITH taken AS (
      DELETE FROM "impact_deltas" WHERE "id" IN (SELECT "id" FROM "impact_deltas" ORDER BY "id" LIMIT p_limit)
      RETURNING *
    ),
    pending AS (
      SELECT t."tenant_id" AS tenant_id, t."user_id" AS user_id, t."community_id" AS community_id, t."day" AS day,
        sum(t."events")::integer AS events, sum(t."sustainability_millipoints")::bigint AS s, sum(t."community_millipoints")::bigint AS c,
        sum(t."regenerative_millipoints")::bigint AS r, sum(t."social_justice_millipoints")::bigint AS j,
        sum(t."circularity_millipoints")::bigint AS ci, count(*)::integer AS deltas
      FROM taken t GROUP BY 1, 2, 3, 4
    ),
    moved AS (
      SELECT g AS granularity, p.tenant_id, p.user_id, p.community_id, app_impact_bucket(g, p.day) AS bucket,
        sum(p.events)::integer AS events, sum(p.s)::bigint AS s, sum(p.c)::bigint AS c, sum(p.r)::bigint AS r, sum(p.j)::bigint AS j, sum(p.ci)::bigint AS ci
      FROM pending p CROSS JOIN unnest(enum_range(NULL::"AggregateGranularity")) AS g
      GROUP BY 1, 2, 3, 4, 5
    ),
    -- Whether each person entered (+1) or left (-1) a bucket: their events there before this
    -- statement (impact_user_days as it was) and after (before plus what moved).
    person_joins AS (
      SELECT pm.granularity, pm.tenant_id, pm.bucket, sign(b.before + pm.events) - sign(b.before) AS joined
      FROM (SELECT granularity, tenant_id, user_id, bucket, sum(events)::integer AS events FROM moved GROUP BY 1, 2, 3, 4) pm
      CROSS JOIN LATERAL (
        SELECT coalesce(sum(u."event_count"), 0) AS before FROM "impact_user_days" u
        WHERE u."tenant_id" = pm.tenant_id AND u."user_id" = pm.user_id
          AND u."day" >= pm.bucket AND u."day" < app_impact_bucket_end(pm.granularity, pm.bucket)
      ) b
    ),
    member_joins AS (
      SELECT m.granularity, m.community_id, m.bucket, sign(b.before + m.events) - sign(b.before) AS joined
      FROM moved m
      CROSS JOIN LATERAL (
        SELECT coalesce(sum(u."event_count"), 0) AS before FROM "impact_user_days" u
        WHERE u."tenant_id" = m.tenant_id AND u."user_id" = m.user_id AND u."community_id" = m.community_id
          AND u."day" >= m.bucket AND u."day" < app_impact_bucket_end(m.granularity, m.bucket)
      ) b
      WHERE m.community_id <> '00000000-0000-0000-0000-000000000000'
    ),
    sums AS (
      SELECT 'COMMUNITY'::"ImpactScope" AS scope, community_id AS subject_id, granularity, bucket, tenant_id,
        sum(events)::integer AS events, sum(s)::bigint AS s, sum(c)::bigint AS c, sum(r)::bigint AS r, sum(j)::bigint AS j, sum(ci)::bigint AS ci
      FROM moved WHERE community_id <> '00000000-0000-0000-0000-000000000000' GROUP BY community_id, granularity, bucket, tenant_id
      UNION ALL
      SELECT 'TENANT', tenant_id, granularity, bucket, tenant_id, sum(events)::integer, sum(s)::bigint, sum(c)::bigint, sum(r)::bigint, sum(j)::bigint, sum(ci)::bigint
      FROM moved GROUP BY tenant_id, granularity, bucket
      UNION ALL
      SELECT 'GLOBAL', '00000000-0000-0000-0000-000000000000', granularity, bucket, NULL, sum(events)::integer, sum(s)::bigint, sum(c)::bigint,
        sum(r)::bigint, sum(j)::bigint, sum(ci)::bigint
      FROM moved GROUP BY granularity, bucket
    ),
    joins AS (
      SELECT 'COMMUNITY'::"ImpactScope" AS scope, community_id AS subject_id, granularity, bucket, sum(joined)::integer AS joined
      FROM member_joins GROUP BY community_id, granularity, bucket
      UNION ALL
      SELECT 'TENANT', tenant_id, granularity, bucket, sum(joined)::integer FROM person_joins GROUP BY tenant_id, granularity, bucket
      UNION ALL
      SELECT 'GLOBAL', '00000000-0000-0000-0000-000000000000', granularity, bucket, sum(joined)::integer FROM person_joins GROUP BY granularity, bucket
    ),
    aggregates_written AS (
      INSERT INTO "impact_aggregates" AS a ("scope", "subject_id", "granularity", "period_start", "tenant_id", "event_count", "participant_count",
        "sustainability_millipoints", "community_millipoints", "regenerative_millipoints", "social_justice_millipoints", "circularity_millipoints")
      SELECT s.scope, s.subject_id, s.granularity, s.bucket, s.tenant_id, s.events, coalesce(jn.joined, 0), s.s, s.c, s.r, s.j, s.ci
      FROM sums s LEFT JOIN joins jn USING (scope, subject_id, granularity, bucket)
      ON CONFLICT ("scope", "subject_id", "granularity", "period_start") DO UPDATE SET
        "event_count" = a."event_count" + excluded."event_count",
        "participant_count" = a."participant_count" + excluded."participant_count",
        "sustainability_millipoints" = a."sustainability_millipoints" + excluded."sustainability_millipoints",
        "community_millipoints" = a."community_millipoints" + excluded."community_millipoints",
        "regenerative_millipoints" = a."regenerative_millipoints" + excluded."regenerative_millipoints",
        "social_justice_millipoints" = a."social_justice_millipoints" + excluded."social_justice_millipoints",
        "circularity_millipoints" = a."circularity_millipoints" + excluded."circularity_millipoints"
      RETURNING a."scope", a."subject_id", a."granularity", a."period_start", a."event_count"
    ),
    days_written AS (
      INSERT INTO "impact_user_days" AS u ("tenant_id", "user_id", "day", "community_id", "event_count",
        "sustainability_millipoints", "community_millipoints", "regenerative_millipoints", "social_justice_millipoints", "circularity_millipoints")
      SELECT p.tenant_id, p.user_id, p.day, p.community_id, p.events, p.s, p.c, p.r, p.j, p.ci FROM pending p
      ON CONFLICT ("tenant_id", "user_id", "day", "community_id") DO UPDATE SET
        "event_count" = u."event_count" + excluded."event_count",
        "sustainability_millipoints" = u."sustainability_millipoints" + excluded."sustainability_millipoints",
        "community_millipoints" = u."community_millipoints" + excluded."community_millipoints",
        "regenerative_millipoints" = u."regenerative_millipoints" + excluded."regenerative_millipoints",
        "social_justice_millipoints" = u."social_justice_millipoints" + excluded."social_justice_millipoints",
        "circularity_millipoints" = u."circularity_millipoints" + excluded."circularity_millipoints"
      RETURNING u."tenant_id", u."user_id", u."day", u."community_id", u."event_count"
    ),
    emptied_days AS (
      SELECT array_agg(d."tenant_id") AS tenants, array_agg(d."user_id") AS users, array_agg(d."day") AS days, array_agg(d."community_id") AS communities
      FROM days_written d WHERE d."event_count" = 0
    ),
    emptied_aggregates AS (
      SELECT array_agg(w."scope") AS scopes, array_agg(w."subject_id") AS subjects, array_agg(w."granularity") AS granularities, array_agg(w."period_start") AS starts
      FROM aggregates_written w WHERE w."event_count" = 0
    )
    SELECT (SELECT coalesce(sum(p.deltas), 0)::integer FROM pending p), ed.tenants, ed.users, ed.days, ed.communities,
      ea.scopes, ea.subjects, ea.granularities, ea.starts
    INTO v_applied, v_day_tenants, v_day_users, v_days, v_day_communities, v_scopes, v_subjects, v_granularities, v_starts
    FROM emptied_days ed, emptied_aggregates ea;

    -- What no event is left in is not kept (a rebuild would not have it either).
    IF v_day_tenants IS NOT NULL THEN
      DELETE FROM "impact_user_days" u USING unnest(v_day_tenants, v_day_users, v_days, v_day_communities) AS z(tenant_id, user_id, day, community_id)
      WHERE u."tenant_id" = z.tenant_id AND u."user_id" = z.user_id AND u."day" = z.day AND u."community_id" = z.community_id AND u."event_count" = 0;
    END IF;
    IF v_scopes IS NOT NULL THEN
      DELETE FROM "impact_aggregates" a USING unnest(v_scopes, v_subjects, v_granularities, v_starts) AS z(scope, subject_id, granularity, period_start)
      WHERE a."scope" = z.scope AND a."subject_id" = z.subject_id AND a."granularity" = z.granularity AND a."period_start" = z.period_start
        AND a."event_count" = 0;
    END IF;
    RETURN v_applied;
  END
  $$;

-- Rebuilds the derived tables from the events, set-based, and writes only what differs (a run
-- without drift writes nothing and never blocks readers): impact_user_days from the first day
-- of the buckets holding p_since, and the scopes' buckets of the given granularities from the
-- one holding p_since. Pending deltas are changes the aggregates have not seen yet: the truth
-- rebuilt is the events minus them (one statement, so one snapshot of both), and they stay for
-- app_impact_apply_deltas. Participants are counted without DISTINCT: a person's row is their
-- first in a bucket when the day of their previous row (lag) falls before the bucket starts, and
-- those flags add up from days to weeks, months, quarters, years. Returns what it repaired.
CREATE OR REPLACE FUNCTION app_impact_recompute(p_granularities "AggregateGranularity"[], p_since date)
  RETURNS TABLE ("relation" text, "inserted" bigint, "updated" bigint, "deleted" bigint)
  LANGUAGE plpgsql VOLATILE
  SET app.bypass_rls = 'on'
  SET client_min_messages = warning
  SET work_mem = '512MB'
  SET jit = off
  AS $$
  DECLARE
    v_from date;
  BEGIN
    PERFORM pg_advisory_xact_lock(4627001);
    SELECT min(app_impact_bucket(g, p_since)) INTO v_from FROM unnest(p_granularities) AS g;
    IF v_from IS NULL THEN
      RETURN;
    END IF;

    RETURN QUERY
    WITH facts AS (
      SELECT e."tenant_id" AS tenant_id, e."user_id" AS user_id, (e."occurred_at" AT TIME ZONE 'UTC')::date AS day,
        coalesce(e."community_id", '00000000-0000-0000-0000-000000000000') AS community_id, 1 AS events,
        e."sustainability_millipoints" AS s, e."community_millipoints" AS c, e."regenerative_millipoints" AS r,
        e."social_justice_millipoints" AS j, e."circularity_millipoints" AS ci
      FROM "impact_events" e WHERE e."occurred_at" >= (v_from::timestamp AT TIME ZONE 'UTC')
      UNION ALL
      SELECT d."tenant_id", d."user_id", d."day", d."community_id", -d."events",
        -d."sustainability_millipoints", -d."community_millipoints", -d."regenerative_millipoints", -d."social_justice_millipoints", -d."circularity_millipoints"
      FROM "impact_deltas" d WHERE d."day" >= v_from
    ),
    -- The truth of impact_user_days: per person, day and community.
    truth_days AS MATERIALIZED (
      SELECT f.tenant_id, f.user_id, f.day, f.community_id, sum(f.events)::integer AS event_count,
        sum(f.s)::bigint AS s, sum(f.c)::bigint AS c, sum(f.r)::bigint AS r, sum(f.j)::bigint AS j, sum(f.ci)::bigint AS ci
      FROM facts f GROUP BY 1, 2, 3, 4 HAVING sum(f.events) <> 0
    ),
    -- Each person counts once per bucket of a scope: on their first row in it, in their rows
    -- ordered by day (for tenants) or in their rows of one community ordered by day.
    bucketed AS (
      SELECT t.*, app_impact_bucket('WEEK', t.day) AS b_week, app_impact_bucket('MONTH', t.day) AS b_month,
        app_impact_bucket('QUARTER', t.day) AS b_quarter, app_impact_bucket('YEAR', t.day) AS b_year
      FROM truth_days t
    ),
    -- The day before each row's, among the person's rows and among their rows in the community.
    -- A row is a person's first in a bucket when that day is before the bucket's start (or none).
    flagged AS (
      SELECT b.*, lag(b.day) OVER (PARTITION BY b.tenant_id, b.user_id ORDER BY b.day) AS person_before,
        lag(b.day) OVER (PARTITION BY b.tenant_id, b.user_id, b.community_id ORDER BY b.day) AS member_before
      FROM bucketed b
    ),
    -- Per tenant (and community) and day first; the coarser buckets add the days up (the flags add up too).
    daily AS (
      SELECT f.tenant_id, f.community_id, f.day, f.b_week, f.b_month, f.b_quarter, f.b_year, GROUPING(f.community_id) AS whole_tenant,
        sum(f.event_count)::integer AS event_count, sum(f.s)::bigint AS s, sum(f.c)::bigint AS c, sum(f.r)::bigint AS r, sum(f.j)::bigint AS j, sum(f.ci)::bigint AS ci,
        count(*) FILTER (WHERE f.person_before IS NULL OR f.person_before < f.day)::integer AS p_day,
        count(*) FILTER (WHERE f.person_before IS NULL OR f.person_before < f.b_week)::integer AS p_week,
        count(*) FILTER (WHERE f.person_before IS NULL OR f.person_before < f.b_month)::integer AS p_month,
        count(*) FILTER (WHERE f.person_before IS NULL OR f.person_before < f.b_quarter)::integer AS p_quarter,
        count(*) FILTER (WHERE f.person_before IS NULL OR f.person_before < f.b_year)::integer AS p_year,
        count(*) FILTER (WHERE f.person_before IS NULL)::integer AS p_all,
        count(*)::integer AS m_day,
        count(*) FILTER (WHERE f.member_before IS NULL OR f.member_before < f.b_week)::integer AS m_week,
        count(*) FILTER (WHERE f.member_before IS NULL OR f.member_before < f.b_month)::integer AS m_month,
        count(*) FILTER (WHERE f.member_before IS NULL OR f.member_before < f.b_quarter)::integer AS m_quarter,
        count(*) FILTER (WHERE f.member_before IS NULL OR f.member_before < f.b_year)::integer AS m_year,
        count(*) FILTER (WHERE f.member_before IS NULL)::integer AS m_all
      FROM flagged f
      GROUP BY GROUPING SETS ((f.tenant_id, f.day, f.b_week, f.b_month, f.b_quarter, f.b_year), (f.tenant_id, f.community_id, f.day, f.b_week, f.b_month, f.b_quarter, f.b_year))
    ),
    rolled AS (
      SELECT d.tenant_id, d.community_id, d.whole_tenant, d.day, d.b_week, d.b_month, d.b_quarter, d.b_year,
        GROUPING(d.day) AS no_day, GROUPING(d.b_week) AS no_week, GROUPING(d.b_month) AS no_month,
        GROUPING(d.b_quarter) AS no_quarter, GROUPING(d.b_year) AS no_year,
        sum(d.event_count)::integer AS event_count,
        sum(d.s)::bigint AS s, sum(d.c)::bigint AS c, sum(d.r)::bigint AS r, sum(d.j)::bigint AS j, sum(d.ci)::bigint AS ci,
        sum(d.p_day)::integer AS p_day, sum(d.p_week)::integer AS p_week, sum(d.p_month)::integer AS p_month,
        sum(d.p_quarter)::integer AS p_quarter, sum(d.p_year)::integer AS p_year, sum(d.p_all)::integer AS p_all,
        sum(d.m_day)::integer AS m_day, sum(d.m_week)::integer AS m_week, sum(d.m_month)::integer AS m_month,
        sum(d.m_quarter)::integer AS m_quarter, sum(d.m_year)::integer AS m_year, sum(d.m_all)::integer AS m_all
      FROM daily d
      GROUP BY GROUPING SETS ((d.tenant_id, d.whole_tenant, d.community_id, d.day), (d.tenant_id, d.whole_tenant, d.community_id, d.b_week),
        (d.tenant_id, d.whole_tenant, d.community_id, d.b_month), (d.tenant_id, d.whole_tenant, d.community_id, d.b_quarter),
        (d.tenant_id, d.whole_tenant, d.community_id, d.b_year), (d.tenant_id, d.whole_tenant, d.community_id))
    ),
    scoped AS (
      SELECT CASE WHEN r.whole_tenant = 1 THEN 'TENANT' ELSE 'COMMUNITY' END::"ImpactScope" AS scope,
        CASE WHEN r.whole_tenant = 1 THEN r.tenant_id ELSE r.community_id END AS subject_id, r.tenant_id, g.granularity, g.bucket,
        r.event_count, CASE WHEN r.whole_tenant = 1 THEN g.people ELSE g.members END AS participant_count, r.s, r.c, r.r, r.j, r.ci
      FROM rolled r
      CROSS JOIN LATERAL (
        SELECT CASE
            WHEN r.no_day = 0 THEN 'DAY' WHEN r.no_week = 0 THEN 'WEEK' WHEN r.no_month = 0 THEN 'MONTH'
            WHEN r.no_quarter = 0 THEN 'QUARTER' WHEN r.no_year = 0 THEN 'YEAR' ELSE 'ALL_TIME' END::"AggregateGranularity" AS granularity,
          CASE
            WHEN r.no_day = 0 THEN r.day WHEN r.no_week = 0 THEN r.b_week WHEN r.no_month = 0 THEN r.b_month
            WHEN r.no_quarter = 0 THEN r.b_quarter WHEN r.no_year = 0 THEN r.b_year ELSE DATE '1970-01-01' END AS bucket,
          CASE
            WHEN r.no_day = 0 THEN r.p_day WHEN r.no_week = 0 THEN r.p_week WHEN r.no_month = 0 THEN r.p_month
            WHEN r.no_quarter = 0 THEN r.p_quarter WHEN r.no_year = 0 THEN r.p_year ELSE r.p_all END AS people,
          CASE
            WHEN r.no_day = 0 THEN r.m_day WHEN r.no_week = 0 THEN r.m_week WHEN r.no_month = 0 THEN r.m_month
            WHEN r.no_quarter = 0 THEN r.m_quarter WHEN r.no_year = 0 THEN r.m_year ELSE r.m_all END AS members
      ) g
      WHERE r.whole_tenant = 1 OR r.community_id <> '00000000-0000-0000-0000-000000000000'
    ),
    -- The truth of impact_aggregates. A person belongs to one tenant: GLOBAL is the tenants' sum.
    truth_aggregates AS MATERIALIZED (
      SELECT * FROM (
        SELECT sc.scope, sc.subject_id, sc.granularity, sc.bucket, sc.tenant_id, sc.event_count, sc.participant_count, sc.s, sc.c, sc.r, sc.j, sc.ci
        FROM scoped sc
        UNION ALL
        SELECT 'GLOBAL', '00000000-0000-0000-0000-000000000000', sc.granularity, sc.bucket, NULL, sum(sc.event_count)::integer,
          sum(sc.participant_count)::integer, sum(sc.s)::bigint, sum(sc.c)::bigint, sum(sc.r)::bigint, sum(sc.j)::bigint, sum(sc.ci)::bigint
        FROM scoped sc WHERE sc.scope = 'TENANT' GROUP BY sc.granularity, sc.bucket
      ) a
      WHERE a.granularity = ANY (p_granularities) AND a.bucket >= app_impact_bucket(a.granularity, p_since)
    ),
    live_days AS (
      SELECT * FROM "impact_user_days" WHERE "day" >= v_from
    ),
    days_diff AS (
      SELECT t.*, l."tenant_id" IS NULL AS missing, t.tenant_id IS NULL AS extra,
        l."tenant_id" AS l_tenant_id, l."user_id" AS l_user_id, l."day" AS l_day, l."community_id" AS l_community_id
      FROM truth_days t
      FULL JOIN live_days l ON l."tenant_id" = t.tenant_id AND l."user_id" = t.user_id AND l."day" = t.day AND l."community_id" = t.community_id
      WHERE t.tenant_id IS NULL OR l."tenant_id" IS NULL
        OR (t.event_count, t.s, t.c, t.r, t.j, t.ci) IS DISTINCT FROM
           (l."event_count", l."sustainability_millipoints", l."community_millipoints", l."regenerative_millipoints", l."social_justice_millipoints", l."circularity_millipoints")
    ),
    days_removed AS (
      DELETE FROM "impact_user_days" u USING days_diff d
      WHERE d.extra AND u."tenant_id" = d.l_tenant_id AND u."user_id" = d.l_user_id AND u."day" = d.l_day AND u."community_id" = d.l_community_id
      RETURNING 1
    ),
    days_changed AS (
      UPDATE "impact_user_days" u SET "event_count" = d.event_count, "sustainability_millipoints" = d.s, "community_millipoints" = d.c,
        "regenerative_millipoints" = d.r, "social_justice_millipoints" = d.j, "circularity_millipoints" = d.ci
      FROM days_diff d
      WHERE NOT d.extra AND NOT d.missing
        AND u."tenant_id" = d.tenant_id AND u."user_id" = d.user_id AND u."day" = d.day AND u."community_id" = d.community_id
      RETURNING 1
    ),
    days_added AS (
      INSERT INTO "impact_user_days" ("tenant_id", "user_id", "day", "community_id", "event_count",
        "sustainability_millipoints", "community_millipoints", "regenerative_millipoints", "social_justice_millipoints", "circularity_millipoints")
      SELECT d.tenant_id, d.user_id, d.day, d.community_id, d.event_count, d.s, d.c, d.r, d.j, d.ci FROM days_diff d WHERE d.missing
      -- In key order: a rebuild from nothing appends to the index instead of scattering across it.
      ORDER BY d.tenant_id, d.user_id, d.day, d.community_id
      RETURNING 1
    ),
    live_aggregates AS (
      SELECT a.* FROM "impact_aggregates" a
      WHERE a."granularity" = ANY (p_granularities) AND a."period_start" >= app_impact_bucket(a."granularity", p_since)
    ),
    aggregates_diff AS (
      SELECT t.*, l."scope" IS NULL AS missing, t.scope IS NULL AS extra,
        l."scope" AS l_scope, l."subject_id" AS l_subject_id, l."granularity" AS l_granularity, l."period_start" AS l_period_start
      FROM truth_aggregates t
      FULL JOIN live_aggregates l ON l."scope" = t.scope AND l."subject_id" = t.subject_id AND l."granularity" = t.granularity AND l."period_start" = t.bucket
      WHERE t.scope IS NULL OR l."scope" IS NULL
        OR (t.tenant_id, t.event_count, t.participant_count, t.s, t.c, t.r, t.j, t.ci) IS DISTINCT FROM
           (l."tenant_id", l."event_count", l."participant_count", l."sustainability_millipoints", l."community_millipoints",
            l."regenerative_millipoints", l."social_justice_millipoints", l."circularity_millipoints")
    ),
    aggregates_removed AS (
      DELETE FROM "impact_aggregates" a USING aggregates_diff d
      WHERE d.extra AND a."scope" = d.l_scope AND a."subject_id" = d.l_subject_id AND a."granularity" = d.l_granularity AND a."period_start" = d.l_period_start
      RETURNING 1
    ),
    aggregates_changed AS (
      UPDATE "impact_aggregates" a SET "tenant_id" = d.tenant_id, "event_count" = d.event_count, "participant_count" = d.participant_count,
        "sustainability_millipoints" = d.s, "community_millipoints" = d.c, "regenerative_millipoints" = d.r,
        "social_justice_millipoints" = d.j, "circularity_millipoints" = d.ci
      FROM aggregates_diff d
      WHERE NOT d.extra AND NOT d.missing
        AND a."scope" = d.scope AND a."subject_id" = d.subject_id AND a."granularity" = d.granularity AND a."period_start" = d.bucket
      RETURNING 1
    ),
    aggregates_added AS (
      INSERT INTO "impact_aggregates" ("scope", "subject_id", "granularity", "period_start", "tenant_id", "event_count", "participant_count",
        "sustainability_millipoints", "community_millipoints", "regenerative_millipoints", "social_justice_millipoints", "circularity_millipoints")
      SELECT d.scope, d.subject_id, d.granularity, d.bucket, d.tenant_id, d.event_count, d.participant_count, d.s, d.c, d.r, d.j, d.ci
      FROM aggregates_diff d WHERE d.missing
      RETURNING 1
    )
    SELECT 'impact_user_days', (SELECT count(*) FROM days_added), (SELECT count(*) FROM days_changed), (SELECT count(*) FROM days_removed)
    UNION ALL
    SELECT 'impact_aggregates', (SELECT count(*) FROM aggregates_added), (SELECT count(*) FROM aggregates_changed), (SELECT count(*) FROM aggregates_removed);
  END
  $$;

GRANT EXECUTE ON FUNCTION app_impact_apply_deltas(integer), app_impact_recompute("AggregateGranularity"[], date) TO academy_app;
