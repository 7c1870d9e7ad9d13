import pg from 'pg';
import { hashPassword } from '@academy/platform';
import { startSupergraph } from '@academy/testing';
import { scratchDatabase, useTestingHarness } from '../scratch-database';
import { latency, type Latency } from '../stats';
import type { ScenarioOptions } from '../scenario-options';

export interface SearchShape {
  /** Courses in the searched tenant, and in the database. */
  inTenant: number;
  inDatabase: number;
  /** The unsearched first page, for comparison. */
  unsearched: Latency;
  /** Per search term: how many courses it finds, and courses(search:) through the gateway, one request at a time. */
  terms: Record<string, { matches: number; gateway: Latency }>;
}

export interface SearchResult {
  /** 10,000 courses in one tenant; 10,000 more over 20 tenants (500 in the searched one). */
  shapes: { oneTenant: SearchShape; twentyTenants: SearchShape };
  /**
   * Whether PostgreSQL's plan for a search's filter reads the trigram indexes: as the schema's
   * owner, and as the services' role (row-level security in force: a qual that is not
   * LEAKPROOF, as LIKE and pg_trgm's operators are not, cannot be an index condition there).
   */
  trigramIndexInPlan: { owner: boolean; services: boolean };
  /**
   * Database time of finding one tenant's matches (10,000 courses), as the services' role, per
   * term (p50 ms): the filter under row-level security (row by row), and app_search_courses()
   * (the owner's function, through the trigram indexes), which the catalogue uses.
   */
  databaseMs: Record<string, { rowByRow: number; indexed: number }>;
}

const TENANT = 'bench-search';
const SPREAD = 20;
const PASSWORD = 'bench-password';
const SUBJECTS = [
  'Energía solar',
  'Eficiencia energética',
  'Instalación eléctrica',
  'Huerto urbano',
  'Compostaje',
  'Agricultura regenerativa',
  'Captación de agua de lluvia',
  'Bioconstrucción',
  'Reciclaje',
  'Carpintería',
  'Panadería artesanal',
  'Contabilidad',
  'Programación',
  'Primeros auxilios',
  'Costura',
  'Apicultura',
  'Electrónica básica',
  'Movilidad eléctrica',
  'Economía social',
  'Educación ambiental',
];
const QUALIFIERS = [
  'para principiantes',
  'avanzado',
  'en comunidad',
  'para la vivienda',
  'en la escuela',
  'para cooperativas',
  'en zonas rurales',
  'práctico',
  'intensivo',
  'certificable',
];
/** What is searched: common, accents and case, rare, a typo (the similarity path), LIKE's wildcard, nothing. */
const TERMS = ['energía solar', 'ENERGETICA', 'principiantes 37', 'compostage', '100%', 'astronomía'];
const QUERY = 'query ($search: String) { courses(search: $search, first: 20) { totalCount edges { node { id title } } } }';

/**
 * Catalogue search over 10,000 courses (quick: 1,000): titles and descriptions from a Spanish
 * vocabulary, each subject in a twentieth of the titles; all of them in one tenant, and as many
 * again over 20 tenants. courses(search:) through the whole supergraph (in this process, over
 * HTTP), signed in (the shared response cache is for anonymous requests only), one request at a
 * time, in the one tenant and in one of the twenty.
 */
export async function searchScenario(options: ScenarioOptions): Promise<SearchResult> {
  const { log } = options;
  const courses = options.quick ? 1_000 : 10_000;
  const samples = options.quick ? 30 : 100;
  const scratch = await scratchDatabase(options.serverUrl, `academy_bench_search_${process.pid}`, options.appPassword);
  const owner = new pg.Client({ connectionString: scratch.ownerUrl });
  try {
    await owner.connect();
    const passwordHash = await hashPassword(PASSWORD);
    const searched = await buildCatalogue(owner, TENANT, courses, passwordHash);
    for (let t = 0; t < SPREAD; t += 1) await buildCatalogue(owner, `${TENANT}-${t}`, courses / SPREAD, passwordHash);
    await owner.query('VACUUM ANALYZE courses');
    log(`  ${courses.toLocaleString('en')} courses in one tenant, ${courses.toLocaleString('en')} over ${SPREAD} tenants`);
    const trigramIndexInPlan = { owner: await usesIndexes(owner, searched), services: await usesIndexes(scratch.appUrl, searched) };
    log(`  trigram indexes in the plan: as the owner ${trigramIndexInPlan.owner}, as the services' role ${trigramIndexInPlan.services}`);
    const databaseMs = await databaseTimes(scratch.appUrl, searched, options.quick ? 5 : 20);
    for (const [term, times] of Object.entries(databaseMs))
      log(`  database, "${term}": row by row ${times.rowByRow} ms, app_search_courses ${times.indexed} ms`);
    await useTestingHarness({ serverUrl: options.serverUrl, redisUrl: options.redisUrl, database: scratch, runId: `bench-${process.pid}` });
    const supergraph = await startSupergraph();
    try {
      const measure = async (tenant: string, inTenant: number): Promise<SearchShape> => {
        const token = await supergraph.login(`learner@${tenant}.mx`, PASSWORD, tenant);
        const ask = async (search: string | null) => {
          const response = await supergraph.request<{ courses: { totalCount: number } }>(QUERY, { token, tenant, variables: { search } });
          if (response.status !== 200 || response.body.errors || !response.body.data)
            throw new Error(`courses(search: ${JSON.stringify(search)}) failed: ${JSON.stringify(response.body)}`);
          return response.body.data.courses.totalCount;
        };
        const sample = async (search: string | null) => {
          for (let i = 0; i < 10; i += 1) await ask(search);
          const taken: number[] = [];
          for (let i = 0; i < samples; i += 1) {
            const started = performance.now();
            await ask(search);
            taken.push(performance.now() - started);
          }
          return latency(taken);
        };
        const unsearched = await sample(null);
        log(
          `  ${tenant} (${inTenant.toLocaleString('en')} courses), unsearched first page: p50 ${unsearched.p50} / p99 ${unsearched.p99} ms`,
        );
        const terms: SearchShape['terms'] = {};
        for (const term of TERMS) {
          terms[term] = { matches: await ask(term), gateway: await sample(term) };
          log(`    "${term}": ${terms[term].matches} found, p50 ${terms[term].gateway.p50} / p99 ${terms[term].gateway.p99} ms`);
        }
        return { inTenant, inDatabase: 2 * courses, unsearched, terms };
      };
      return {
        shapes: { oneTenant: await measure(TENANT, courses), twentyTenants: await measure(`${TENANT}-0`, courses / SPREAD) },
        trigramIndexInPlan,
        databaseMs,
      };
    } finally {
      await supergraph.close();
    }
  } finally {
    await owner.end().catch(() => undefined);
    await scratch.drop();
  }
}

/** A tenant, its learner and instructor, and `count` PUBLISHED courses (the trigger writes the search columns). Its id. */
async function buildCatalogue(owner: pg.Client, slug: string, count: number, passwordHash: string): Promise<string> {
  const {
    rows: [tenant],
  } = await owner.query<{ id: string }>(
    `INSERT INTO tenants (id, slug, name, tier, updated_at) VALUES (gen_random_uuid(), $1, $1, 'PROFESSIONAL', now()) RETURNING id`,
    [slug],
  );
  const {
    rows: [instructor],
  } = await owner.query<{ id: string }>(
    `INSERT INTO users (id, tenant_id, email, name, password_hash, persona, updated_at)
     VALUES (gen_random_uuid(), $1, $2, 'Instructora', $3, 'INSTRUCTOR', now()), (gen_random_uuid(), $1, $4, 'Aprendiz', $3, 'LEARNER', now())
     RETURNING id`,
    [tenant!.id, `instructor@${slug}.mx`, passwordHash, `learner@${slug}.mx`],
  );
  // Title: subject, qualifier, number ("Compostaje en comunidad 37"); a description naming two other subjects.
  await owner.query(
    `INSERT INTO courses (id, tenant_id, slug, title, description, status, instructor_id, price_cents, published_at, created_at, updated_at)
     SELECT gen_random_uuid(), $1, 'curso-' || i,
       s.subjects[1 + i % 20] || ' ' || s.qualifiers[1 + (i / 20) % 10] || ' ' || (i / 200 + 1) || CASE WHEN i % 500 = 7 THEN ' 100% en línea' ELSE '' END,
       'Curso ' || i || ' sobre ' || lower(s.subjects[1 + (i * 7) % 20]) || ' y ' || lower(s.subjects[1 + (i * 3) % 20]) || ', con prácticas y evaluación.',
       'PUBLISHED', $2, 0, now(), now() - i * interval '1 minute', now()
     FROM generate_series(0, $3::integer - 1) i, (SELECT $4::text[] AS subjects, $5::text[] AS qualifiers) s`,
    [tenant!.id, instructor!.id, count, SUBJECTS, QUALIFIERS],
  );
  return tenant!.id;
}

/** EXPLAIN of a search's filter in a tenant, looking for both trigram indexes: as the owner (a client) or the services' role (a URL). */
async function usesIndexes(as: pg.Client | string, tenantId: string): Promise<boolean> {
  const client = typeof as === 'string' ? new pg.Client({ connectionString: as }) : as;
  if (typeof as === 'string') await client.connect();
  try {
    await client.query("SELECT set_config('app.tenant_id', $1, false)", [tenantId]);
    const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(
      `EXPLAIN (FORMAT JSON) SELECT c.id FROM courses c
       WHERE c.tenant_id = $2 AND c.status = 'PUBLISHED' AND (c.search_text LIKE '%' || app_search_text($1) || '%' OR app_search_text($1) <<% c.search_title)`,
      ['astronomia', tenantId],
    );
    const plan = JSON.stringify(rows[0]!['QUERY PLAN']);
    return plan.includes('courses_search_text_idx') && plan.includes('courses_search_title_idx');
  } finally {
    if (typeof as === 'string') await client.end();
  }
}

/** p50 database time per term, as the services' role in the tenant: the filter under row-level security, and app_search_courses(). */
async function databaseTimes(appUrl: string, tenantId: string, runs: number): Promise<SearchResult['databaseMs']> {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  const p50 = async (sql: string, values: unknown[]) => {
    const taken: number[] = [];
    for (let i = 0; i < runs + 2; i += 1) {
      await client.query('BEGIN');
      await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
      const started = performance.now();
      await client.query(sql, values);
      if (i >= 2) taken.push(performance.now() - started);
      await client.query('COMMIT');
    }
    return latency(taken).p50;
  };
  try {
    const times: SearchResult['databaseMs'] = {};
    for (const term of TERMS) {
      const fuzzy = term.length >= 4 && /^[\p{L}\p{M}\p{N}\s]+$/u.test(term);
      times[term] = {
        rowByRow: await p50(
          `SELECT count(*) FROM courses c WHERE c.tenant_id = $2
           AND (c.search_text LIKE app_search_pattern($1) OR ($3 AND app_search_text($1) <<% c.search_title))`,
          [term, tenantId, fuzzy],
        ),
        indexed: await p50('SELECT count(*) FROM app_search_courses($1, $2)', [term, fuzzy]),
      };
    }
    return times;
  } finally {
    await client.end();
  }
}
