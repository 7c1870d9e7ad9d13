import pg from 'pg';
import type { Chooser, FuzzOperation, SchemaDescription, SchemaField, SchemaInputValue, SchemaType, SchemaTypeRef } from './schema-fuzz';

/**
 * A generated cross-tenant attack suite: every id-taking root field (query, mutation,
 * subscription) of a schema, called by a tenant's people with the ids of another tenant, with
 * plausible values everywhere else; and what a victim tenant has (ids by kind, distinctive
 * strings, a fingerprint of every row) to check that nothing of it comes back or changes.
 *
 * Like schema-fuzz, it depends on neither fast-check nor graphql: randomness through a `Chooser`,
 * the schema as an introspection result.
 */

// ------------------------------------------------------------------ the victim's rows (as the owner)

/** What a tenant has, by kind: a kind is a table (`courses`), `tenants`, or `question_options` (ids inside assessment_questions.options). */
export interface TenantRows {
  tenantId: string;
  slug: string;
  ids: Record<string, string[]>;
  /** Course slugs, coupon codes, course titles: for String arguments that name things. */
  courseSlugs: string[];
  couponCodes: string[];
  courseTitles: string[];
}

export interface TenantTable {
  name: string;
  /** Whether it has an `id` column (its rows are then a kind of id). */
  hasId: boolean;
}

/** Runs `work` as the owner, row-level security bypassed (the policies' own switch, should the owner not be a superuser). */
async function asOwner<T>(ownerUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.bypass_rls', 'on', true)`);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** Every table with a `tenant_id` column, as the catalog lists them. */
export async function tenantTables(ownerUrl: string): Promise<TenantTable[]> {
  return asOwner(ownerUrl, async (client) => {
    const { rows } = await client.query<{ name: string; has_id: boolean }>(
      `SELECT table_name AS name, bool_or(column_name = 'id') AS has_id FROM information_schema.columns
       WHERE table_schema = 'public' GROUP BY table_name HAVING bool_or(column_name = 'tenant_id') ORDER BY table_name`,
    );
    return rows.map((row) => ({ name: row.name, hasId: row.has_id }));
  });
}

/** A tenant's ids by kind (every table with tenant_id and id), and the strings its arguments can name. */
export async function rowsOfTenant(ownerUrl: string, slug: string): Promise<TenantRows> {
  const tables = await tenantTables(ownerUrl);
  return asOwner(ownerUrl, async (client) => {
    const tenant = (await client.query<{ id: string }>('SELECT id::text FROM tenants WHERE slug = $1', [slug])).rows[0];
    if (!tenant) throw new Error(`no tenant ${slug}`);
    const ids: Record<string, string[]> = { tenants: [tenant.id] };
    for (const table of tables.filter((candidate) => candidate.hasId)) {
      const { rows } = await client.query<{ id: string }>(
        `SELECT id::text AS id FROM ${pg.escapeIdentifier(table.name)} WHERE tenant_id = $1 ORDER BY id`,
        [tenant.id],
      );
      // Ids as the API has them (uuids): not the serial numbers of impact_deltas or the provider's ids of payment_events.
      const uuids = rows.map((row) => row.id).filter((id) => UUID_ONLY.test(id));
      if (uuids.length) ids[table.name] = uuids;
    }
    const options = await client.query<{ id: string }>(
      `SELECT DISTINCT o->>'id' AS id FROM assessment_questions q, jsonb_array_elements(q.options) o
       WHERE q.tenant_id = $1 AND jsonb_typeof(q.options) = 'array' AND o ? 'id' ORDER BY 1`,
      [tenant.id],
    );
    if (options.rows.length) ids.question_options = options.rows.map((row) => row.id);
    const column = async (sql: string) => (await client.query<{ v: string }>(sql, [tenant.id])).rows.map((row) => row.v);
    return {
      tenantId: tenant.id,
      slug,
      ids,
      courseSlugs: await column('SELECT slug AS v FROM courses WHERE tenant_id = $1 ORDER BY 1'),
      couponCodes: await column('SELECT code AS v FROM coupons WHERE tenant_id = $1 ORDER BY 1'),
      courseTitles: await column('SELECT title AS v FROM courses WHERE tenant_id = $1 ORDER BY 1'),
    };
  });
}

/**
 * Gives a tenant's texts a marker (titles, names, descriptions, comments, a coupon code), so that
 * they are its own and can be searched for in answers (a fixture tenant's texts are the same in
 * every fixture tenant). Returns nothing: `distinctiveStrings` reads them back.
 */
export async function markTenantTexts(ownerUrl: string, tenantId: string, marker: string): Promise<void> {
  const texts: [table: string, column: string][] = [
    ['courses', 'title'],
    ['courses', 'description'],
    ['course_modules', 'title'],
    ['lessons', 'title'],
    ['communities', 'name'],
    ['notifications', 'title'],
    ['notifications', 'body'],
    ['impact_events', 'description'],
    ['evaluation_criteria', 'description'],
    ['course_reviews', 'comment'],
    ['assessment_questions', 'prompt'],
    ['api_keys', 'name'],
    ['dc3s', 'employer_name'],
    ['dc3s', 'occupation'],
  ];
  await asOwner(ownerUrl, async (client) => {
    for (const [table, column] of texts) {
      const [t, c] = [pg.escapeIdentifier(table), pg.escapeIdentifier(column)];
      await client.query(`UPDATE ${t} SET ${c} = ${c} || ' ' || $2 WHERE tenant_id = $1 AND ${c} IS NOT NULL`, [tenantId, marker]);
    }
    await client.query(`UPDATE files SET name = $2 || '-' || name WHERE tenant_id = $1`, [tenantId, marker.toLowerCase()]);
    // A coupon code of the tenant's own (codes are upper-cased into code_key, unique per tenant).
    await client.query(
      `UPDATE coupons SET code = $2 || row_number, code_key = $2 || row_number FROM (
        SELECT id AS coupon, row_number() OVER (ORDER BY id) FROM coupons WHERE tenant_id = $1) numbered
      WHERE id = numbered.coupon`,
      [tenantId, marker.toUpperCase().replace(/[^A-Z0-9]/g, '')],
    );
  });
}

/**
 * Strings of a tenant that no other tenant has: its slug and name, its people's emails and names,
 * course slugs, verification codes, coupon codes, payment sessions and events, CURPs, storage keys; with `texts`, also its
 * titles, descriptions and names (after `markTenantTexts`). At least 10 characters each.
 */
export async function distinctiveStrings(ownerUrl: string, tenantId: string, options: { texts?: boolean } = {}): Promise<string[]> {
  const found = new Set<string>();
  await asOwner(ownerUrl, async (client) => {
    const queries = [
      'SELECT slug AS v FROM tenants WHERE id = $1',
      'SELECT name AS v FROM tenants WHERE id = $1',
      'SELECT email AS v FROM users WHERE tenant_id = $1',
      'SELECT name AS v FROM users WHERE tenant_id = $1',
      'SELECT curp AS v FROM users WHERE tenant_id = $1',
      'SELECT slug AS v FROM courses WHERE tenant_id = $1',
      'SELECT verification_code AS v FROM certificates WHERE tenant_id = $1',
      'SELECT code AS v FROM coupons WHERE tenant_id = $1',
      'SELECT provider_session_id AS v FROM orders WHERE tenant_id = $1',
      'SELECT storage_key AS v FROM files WHERE tenant_id = $1',
      'SELECT id AS v FROM payment_events WHERE tenant_id = $1',
      ...(options.texts
        ? [
            'SELECT title AS v FROM courses WHERE tenant_id = $1',
            'SELECT title AS v FROM course_modules WHERE tenant_id = $1',
            'SELECT title AS v FROM lessons WHERE tenant_id = $1',
            'SELECT name AS v FROM communities WHERE tenant_id = $1',
            'SELECT title AS v FROM notifications WHERE tenant_id = $1',
            'SELECT description AS v FROM impact_events WHERE tenant_id = $1',
            'SELECT description AS v FROM evaluation_criteria WHERE tenant_id = $1',
            'SELECT comment AS v FROM course_reviews WHERE tenant_id = $1',
            'SELECT prompt AS v FROM assessment_questions WHERE tenant_id = $1',
            'SELECT name AS v FROM api_keys WHERE tenant_id = $1',
            'SELECT name AS v FROM files WHERE tenant_id = $1',
            'SELECT employer_name AS v FROM dc3s WHERE tenant_id = $1',
          ]
        : []),
    ];
    for (const sql of queries)
      for (const row of (await client.query<{ v: string | null }>(sql, [tenantId])).rows) if (row.v && row.v.length >= 10) found.add(row.v);
  });
  return [...found].sort();
}

/** Every id (of every table with tenant_id and id, and the tenants) that is not of `ownTenantId`: none of them may reach its people. */
export async function idsOfOtherTenants(ownerUrl: string, ownTenantId: string): Promise<Set<string>> {
  const tables = await tenantTables(ownerUrl);
  return asOwner(ownerUrl, async (client) => {
    const ids = new Set<string>();
    const add = (rows: { id: string }[]) => rows.forEach((row) => ids.add(row.id.toLowerCase()));
    add((await client.query<{ id: string }>('SELECT id::text AS id FROM tenants WHERE id <> $1', [ownTenantId])).rows);
    for (const table of tables.filter((candidate) => candidate.hasId))
      add(
        (
          await client.query<{ id: string }>(`SELECT id::text AS id FROM ${pg.escapeIdentifier(table.name)} WHERE tenant_id <> $1`, [
            ownTenantId,
          ])
        ).rows,
      );
    return ids;
  });
}

/** A fingerprint of every row of a tenant (its tenants row, and each table with tenant_id): equal before and after means untouched. */
export async function tenantFingerprint(ownerUrl: string, tenantId: string): Promise<Record<string, string>> {
  const tables = await tenantTables(ownerUrl);
  return asOwner(ownerUrl, async (client) => {
    const fingerprint: Record<string, string> = {};
    const one = async (name: string, where: string) => {
      const { rows } = await client.query<{ n: string; md5: string | null }>(
        `SELECT count(*) AS n, md5(string_agg(t::text, ',' ORDER BY t::text)) AS md5 FROM ${pg.escapeIdentifier(name)} t WHERE ${where}`,
        [tenantId],
      );
      fingerprint[name] = `${rows[0]!.n} rows ${rows[0]!.md5 ?? '-'}`;
    };
    await one('tenants', 'id = $1');
    for (const table of tables) await one(table.name, 'tenant_id = $1');
    return fingerprint;
  });
}

// ------------------------------------------------------------------ what an argument's id is of

/** The kind of id an argument (or input field) names, by its name. */
export const ID_KIND_BY_NAME: Readonly<Record<string, string>> = {
  userId: 'users',
  learnerId: 'users',
  instructorId: 'users',
  authorId: 'users',
  courseId: 'courses',
  moduleId: 'course_modules',
  lessonId: 'lessons',
  enrollmentId: 'enrollments',
  certificateId: 'certificates',
  attemptId: 'assessment_attempts',
  questionId: 'assessment_questions',
  optionIds: 'question_options',
  criterionId: 'evaluation_criteria',
  fileIds: 'files',
  avatarFileId: 'files',
  logoFileId: 'files',
  attachmentFileIds: 'files',
  communityId: 'communities',
  orderId: 'orders',
  submissionId: 'conocer_submissions',
  portfolioId: 'portfolios',
  couponId: 'coupons',
  // A status change: the event a replay (certificationStatusChanged, certificationStatusEvents) starts after.
  afterEventId: 'conocer_status_changes',
};

/** Plain `id` (and `ids`) of a field whose return type does not say what it is of. */
export const ID_KIND_BY_FIELD: Readonly<Record<string, string>> = {
  moveModule: 'course_modules',
  removeModule: 'course_modules',
  moveLesson: 'lessons',
  removeLesson: 'lessons',
  deleteCourseReview: 'course_reviews',
  markNotificationsRead: 'notifications',
  certificationStatusEvent: 'conocer_status_changes',
};

/** The table of an object type. */
export const TABLE_OF_TYPE: Readonly<Record<string, string>> = {
  Tenant: 'tenants',
  User: 'users',
  Community: 'communities',
  Course: 'courses',
  CourseModule: 'course_modules',
  Lesson: 'lessons',
  Enrollment: 'enrollments',
  Certificate: 'certificates',
  ConocerSubmission: 'conocer_submissions',
  ImpactEvent: 'impact_events',
  ApiKey: 'api_keys',
  Assessment: 'assessments',
  AssessmentAttempt: 'assessment_attempts',
  CourseReview: 'course_reviews',
  Order: 'orders',
  Coupon: 'coupons',
  Notification: 'notifications',
  File: 'files',
  Dc3: 'dc3s',
  EvaluationCriterion: 'evaluation_criteria',
  Evidence: 'evidence',
  Portfolio: 'portfolios',
  CertificationStatusEvent: 'conocer_status_changes',
};

// ------------------------------------------------------------------ cases

const namedOf = (ref: SchemaTypeRef): string => (ref.ofType ? namedOf(ref.ofType) : ref.name!);
const typeString = (ref: SchemaTypeRef): string =>
  ref.kind === 'NON_NULL' ? `${typeString(ref.ofType!)}!` : ref.kind === 'LIST' ? `[${typeString(ref.ofType!)}]` : ref.name!;
const isList = (ref: SchemaTypeRef): boolean => (ref.kind === 'NON_NULL' ? isList(ref.ofType!) : ref.kind === 'LIST');
const required = (value: SchemaInputValue) => value.type.kind === 'NON_NULL' && value.defaultValue == null;
const pick = <T>(c: Chooser, items: readonly T[]): T => items[c.int(0, items.length - 1)]!;
const chance = (c: Chooser, p: number) => c.int(0, 9_999) < p * 10_000;

/** Where an id goes in a field's arguments: `id`, `input.courseId`, `answers[].optionIds[]`. */
export interface IdSlot {
  path: string;
  /** The kind of id it names (a table); null when neither its name nor its field says. */
  kind: string | null;
}

export interface RootField {
  operation: 'query' | 'mutation' | 'subscription';
  field: SchemaField;
  slots: IdSlot[];
}

export interface CrossTenantOptions {
  /** Whose ids go where an argument names a thing (one, or more weighted). */
  victims: readonly (readonly [weight: number, rows: TenantRows])[];
  /** The attackers' own tenant: its ids go, sometimes, in the other id arguments (an own enrollment and a foreign lesson). */
  own: TenantRows;
  /** Root fields left out (by name). */
  skip?: readonly string[];
  /** Object fields nested at most this deep in selections (the root field is 1). Default 3. */
  maxDepth?: number;
  /** Dates of things that happened are a second before this (after the attackers joined). Default: the time of construction. */
  now?: Date;
}

/** One attack: an operation of FuzzOperation's shape, and which victim ids it carries where. */
export interface AttackCase extends FuzzOperation {
  operation: 'query' | 'mutation' | 'subscription';
  field: string;
  /** The slot attacked (null: a field without id arguments, asked for its lists). */
  slot: string | null;
  /** Every victim id or string the request carries (the attacker knows them: their echo is no leak). */
  sent: string[];
  /**
   * The same request with each of `sent` replaced by `unknownId(index + 1)`, an id that does not
   * exist (a victim's `search` text excepted: another text would match other courses), to compare answers.
   */
  twin: { query: string; variables?: Record<string, unknown> };
}

/** Leaves worth selecting: ids, and what names or describes a thing. */
const INTERESTING = new Set([
  'id',
  'name',
  'title',
  'email',
  'slug',
  'code',
  'verificationCode',
  'description',
  'prompt',
  'text',
  'body',
  'comment',
  'note',
  'reason',
  'revocationReason',
  'reviewComment',
  'workerName',
  'employerName',
  'courseTitle',
  'learnerName',
  'tenantName',
  'displayName',
  'folio',
  'element',
  'prefix',
  'completedLessonIds',
  'status',
]);

/** Input fields sent always or never when optional: what makes an input valid (exactly one of percentOff and amountOffCents). */
const ALWAYS_SENT = new Set(['percentOff']);
const NEVER_SENT = new Set(['amountOffCents']);
/** Enum values refused whatever the ids (the platform admin's persona; completions only the platform records). */
const UNWANTED_ENUM_VALUES = new Set(['PLATFORM_ADMIN', 'COURSE_COMPLETION']);

/** Plausible values by argument or input-field name. */
const STRING_HINTS: Readonly<Record<string, string>> = {
  reason: 'Prueba de aislamiento',
  comment: 'Comentario de prueba',
  note: 'Nota de prueba',
  title: 'Título de prueba',
  description: 'Descripción de prueba',
  name: 'Nombre de prueba',
  prompt: '¿Pregunta de prueba?',
  text: 'Opción',
  element: 'E1',
  body: 'Texto de la lección',
  occupation: 'Instalador',
  jobTitle: 'Técnico',
  thematicArea: '6000 Seguridad',
  trainerRegistration: 'REG-0001',
  currency: 'MXN',
  locale: 'es-MX',
  language: 'es-MX',
  timezone: 'America/Mexico_City',
  primaryColor: '#112233',
  displayName: 'Academia de prueba',
  employerName: 'Empresa de prueba',
  employerRfc: 'SAT970701NN3',
  emailFrom: 'Academia',
  curp: 'HEGG560427MVZRRL04',
  category: 'Oficios',
  videoUrl: 'https://example.com/video.mp4',
  code: 'ATAQUE10',
  competencyStandardCode: 'EC0217.01',
  fileName: 'documento.pdf',
  contentType: 'application/pdf',
  email: 'nadie@example.com',
};
const INT_HINTS: Readonly<Record<string, number>> = {
  position: 1,
  score: 100,
  rating: 5,
  priceCents: 0,
  percentOff: 10,
  amountOffCents: 100,
  durationMinutes: 10,
  points: 1,
  maxAttempts: 3,
  timeLimitMinutes: 30,
  first: 5,
  passingScore: 70,
  maxRedemptions: 5,
  days: 7,
  level: 1,
  byteSize: 1_000,
};
/** A syntactically valid id that no row has (the twin's stand-in for the `index`th victim value sent). */
export const unknownId = (index: number) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;

/**
 * A value (variables, an answer) with each of `sent` replaced by its unknown id: strings equal to
 * one, and inside longer strings (messages) those of 10 characters or more.
 */
export function withUnknownIds(value: unknown, sent: readonly (string | null)[]): unknown {
  if (typeof value === 'string') {
    const exact = sent.indexOf(value);
    if (exact >= 0) return unknownId(exact + 1);
    return sent.reduce<string>((out, item, index) => (item && item.length >= 10 ? out.split(item).join(unknownId(index + 1)) : out), value);
  }
  if (Array.isArray(value)) return value.map((item) => withUnknownIds(item, sent));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, withUnknownIds(item, sent)]));
  return value;
}

interface Build {
  c: Chooser;
  field: string;
  target: string | null;
  /** Victim of this case. */
  victim: TenantRows;
  sent: Set<string>;
  /** Sent values the twin keeps. */
  kept: Set<string>;
  notes: string[];
}

/**
 * Cases over every id-taking root field: the attacked slot gets an id of the victim of the kind
 * its name suggests (sometimes of another kind), other id slots the attacker's own ids or more of
 * the victim's, every other required argument a plausible value, optional ones now and then
 * (a list's `after` a victim id, `search` a victim's title, `slug` a victim's course); the
 * selection asks for ids and names.
 */
export class CrossTenantCases {
  readonly idFields: RootField[] = [];
  /** Root fields without id arguments that answer objects (lists, reports): asked as the attacker too. */
  readonly otherFields: RootField[] = [];
  private readonly types = new Map<string, SchemaType>();
  private readonly maxDepth: number;
  private readonly past: string;

  constructor(
    readonly schema: SchemaDescription,
    private readonly options: CrossTenantOptions,
  ) {
    for (const type of schema.types) this.types.set(type.name, type);
    this.maxDepth = options.maxDepth ?? 3;
    this.past = new Date((options.now ?? new Date()).getTime() - 1_000).toISOString();
    const roots = [
      ['query', schema.queryType],
      ['mutation', schema.mutationType],
      ['subscription', schema.subscriptionType],
    ] as const;
    for (const [operation, ref] of roots) {
      for (const field of (ref && this.types.get(ref.name)?.fields) ?? []) {
        if (field.name.startsWith('_') || options.skip?.includes(field.name)) continue;
        const slots = this.slotsOf(field);
        if (slots.length) this.idFields.push({ operation, field, slots });
        else if (operation === 'query' && !this.isLeaf(field.type) && field.args.every((arg) => !required(arg) || this.hasHint(arg)))
          this.otherFields.push({ operation, field, slots });
      }
    }
  }

  /** Every id slot of a field, with the kind it names. */
  private slotsOf(field: SchemaField): IdSlot[] {
    const slots: IdSlot[] = [];
    const returned = TABLE_OF_TYPE[namedOf(field.type)] ?? null;
    const walk = (values: readonly SchemaInputValue[], prefix: string, depth: number) => {
      for (const value of values) {
        const named = namedOf(value.type);
        const path = `${prefix}${value.name}${isList(value.type) ? '[]' : ''}`;
        if (named === 'ID') {
          const byName = ID_KIND_BY_NAME[value.name];
          const plain = value.name === 'id' || value.name === 'ids';
          slots.push({ path, kind: byName ?? (plain && depth === 0 ? (ID_KIND_BY_FIELD[field.name] ?? returned) : null) });
        }
        const type = this.types.get(named);
        if (type?.kind === 'INPUT_OBJECT' && depth < 3) walk(type.inputFields ?? [], `${path}.`, depth + 1);
      }
    };
    walk(field.args, '', 0);
    return slots;
  }

  private hasHint(arg: SchemaInputValue): boolean {
    const named = this.types.get(namedOf(arg.type));
    return named?.kind === 'ENUM' || arg.name in STRING_HINTS || arg.name in INT_HINTS;
  }

  private isLeaf(ref: SchemaTypeRef): boolean {
    const kind = this.types.get(namedOf(ref))?.kind;
    return kind === 'SCALAR' || kind === 'ENUM';
  }

  /** Slots whose kind nothing says (to fix the maps above, not to guess). */
  unmappedSlots(): string[] {
    return this.idFields.flatMap((root) => root.slots.filter((slot) => !slot.kind).map((slot) => `${root.field.name}(${slot.path})`));
  }

  /** A case on `root` as `identity`, attacking `slot` (default: one at random). `tenant`: X-Tenant (the attacker's, or the victim's). */
  attack(c: Chooser, root: RootField, identity: string, tenant: string | null, slot?: string, path?: string): AttackCase {
    const victim = this.pickVictim(c);
    const target = slot ?? (root.slots.length ? pick(c, root.slots).path : null);
    const build: Build = { c, field: root.field.name, target, victim, sent: new Set(), kept: new Set(), notes: [] };
    const variables: Record<string, unknown> = {};
    const definitions: string[] = [];
    const args: string[] = [];
    const asVariables = chance(c, 0.7);
    // `course(id, slug)` takes exactly one: the victim's id, or now and then its slug instead.
    const names = root.field.args.map((arg) => arg.name);
    const bySlug = names.includes('id') && names.includes('slug') && target === 'id' && chance(c, 0.3);
    for (const arg of root.field.args) {
      const path = `${arg.name}${isList(arg.type) ? '[]' : ''}`;
      if (names.includes('id') && names.includes('slug') && arg.name === (bySlug ? 'id' : 'slug') && target !== null) continue;
      const holdsTarget = target !== null && (target === path || target.startsWith(`${path}.`) || (bySlug && arg.name === 'slug'));
      if (!required(arg) && !holdsTarget && !this.wantsOptional(c, root, arg)) continue;
      const value = this.value(arg.type, arg.name, path, build);
      if (value === undefined) continue;
      if (asVariables) {
        definitions.push(`$${arg.name}: ${typeString(arg.type)}`);
        variables[arg.name] = value;
        args.push(`${arg.name}: $${arg.name}`);
      } else {
        args.push(`${arg.name}: ${this.literal(value, arg.type)}`);
      }
    }
    const selection = this.selection(c, root.field.type, 1);
    const header = `${root.operation} Attack${definitions.length ? `(${definitions.join(', ')})` : ''}`;
    const query = `${header} { ${root.field.name}${args.length ? `(${args.join(', ')})` : ''}${selection ? ` { ${selection} }` : ''} }`;
    const sent = [...build.sent];
    const swapped = sent.map((value) => (build.kept.has(value) ? null : value));
    const twinVariables = asVariables ? (withUnknownIds(variables, swapped) as Record<string, unknown>) : undefined;
    // Inline values are JSON strings in the document: swapped quoted, whole.
    const twinQuery = swapped.reduce<string>(
      (out, value, index) => (value === null ? out : out.split(JSON.stringify(value)).join(JSON.stringify(unknownId(index + 1)))),
      query,
    );
    return {
      operation: root.operation,
      field: root.field.name,
      slot: target,
      target: `${root.operation}.${root.field.name}${target ? `(${target})` : ''}`,
      identity,
      tenant,
      ...(path ? { path } : {}),
      values: build.notes,
      query,
      ...(asVariables ? { variables } : {}),
      sent,
      twin: { query: twinQuery, ...(twinVariables ? { variables: twinVariables } : {}) },
    };
  }

  private pickVictim(c: Chooser): TenantRows {
    const total = this.options.victims.reduce((sum, [weight]) => sum + weight, 0);
    let at = c.int(0, total - 1);
    for (const [weight, rows] of this.options.victims) {
      if (at < weight) return rows;
      at -= weight;
    }
    return this.options.victims[0]![1];
  }

  private wantsOptional(c: Chooser, root: RootField, arg: SchemaInputValue): boolean {
    // Strings that name a victim's things: always worth sending in a list query.
    if (['after', 'search', 'slug', 'couponCode'].includes(arg.name)) return chance(c, root.slots.length ? 0.5 : 0.7);
    return chance(c, 0.35);
  }

  /** A victim id of a kind (any kind the victim has, when it has none of that one). */
  private victimId(build: Build, kind: string | null): string {
    const { c, victim } = build;
    const kinds = Object.keys(victim.ids);
    let chosen = kind && victim.ids[kind]?.length ? kind : pick(c, kinds);
    // Now and then an id of another kind: a course id where a lesson is expected.
    if (chance(c, 0.12)) chosen = pick(c, kinds);
    const id = pick(c, victim.ids[chosen]!);
    build.sent.add(id);
    build.notes.push(`${victim.slug} ${chosen}${chosen !== kind ? ` (for ${kind ?? '?'})` : ''}`);
    return id;
  }

  private value(ref: SchemaTypeRef, name: string, path: string, build: Build): unknown {
    const { c } = build;
    const type = ref.kind === 'NON_NULL' ? ref.ofType! : ref;
    if (type.kind === 'LIST') {
      const inner = type.ofType!;
      const isTarget = build.target === path;
      const count = isTarget ? c.int(1, 2) : namedOf(inner) === 'ID' ? c.int(0, 1) : 1;
      const items: unknown[] = [];
      for (let i = 0; i < count; i += 1) {
        const item = this.value(inner, name, isTarget ? path.slice(0, -2) : path, {
          ...build,
          target: isTarget ? path.slice(0, -2) : build.target,
        });
        if (item !== undefined) items.push(item);
      }
      return items;
    }
    const named = this.types.get(type.name!);
    if (named?.kind === 'ENUM') {
      const values = (named.enumValues ?? []).map((value) => value.name).filter((value) => !UNWANTED_ENUM_VALUES.has(value));
      return pick(c, values);
    }
    if (named?.kind === 'INPUT_OBJECT') {
      const object: Record<string, unknown> = {};
      for (const field of named.inputFields ?? []) {
        const fieldPath = `${path}.${field.name}${isList(field.type) ? '[]' : ''}`;
        const holdsTarget = build.target !== null && (build.target === fieldPath || build.target.startsWith(`${fieldPath}.`));
        const wanted = ALWAYS_SENT.has(field.name) || (!NEVER_SENT.has(field.name) && chance(c, 0.3));
        if (!required(field) && !holdsTarget && !wanted) continue;
        const value = this.value(field.type, field.name, fieldPath, build);
        if (value !== undefined) object[field.name] = value;
      }
      return object;
    }
    switch (type.name) {
      case 'ID': {
        if (build.target === path) return this.victimId(build, this.kindAt(build.field, path));
        // Another id slot: the attacker's own id of its kind, or another of the victim's.
        const kind = this.kindAt(build.field, path);
        const own = kind ? this.options.own.ids[kind] : undefined;
        if (own?.length && chance(c, 0.6)) return pick(c, own);
        return this.victimId(build, kind);
      }
      case 'Int':
        return INT_HINTS[name] ?? 1;
      case 'Float':
        return 1;
      case 'Boolean':
        return chance(c, 0.5);
      case 'DateTime':
        // Deadlines ahead, what happened behind.
        return /until|expires/i.test(name) ? '2030-01-01T00:00:00.000Z' : this.past;
      case 'JSON':
        return { hours: 1 };
      default:
        return this.string(name, build);
    }
  }

  private kindAt(field: string, path: string): string | null {
    const root = this.idFields.find((candidate) => candidate.field.name === field);
    return root?.slots.find((slot) => slot.path === path || slot.path === `${path}[]`)?.kind ?? null;
  }

  private string(name: string, build: Build): string | undefined {
    const { c, victim } = build;
    const named = (value: string | undefined) => {
      if (value) build.sent.add(value);
      return value;
    };
    if (name === 'after') {
      // A victim's id as it is (lists paged by id), or in a cursor made up around it (cursors are
      // base64url JSON: anyone can write one). The id counts as sent; the cursor stays the same in the twin.
      const kinds = Object.keys(victim.ids);
      const id = named(pick(c, victim.ids[pick(c, kinds)]!))!;
      const forged = chance(c, 0.5);
      build.notes.push(`after: ${victim.slug} id${forged ? ' in a cursor' : ''}`);
      return forged ? Buffer.from(JSON.stringify(['2030-01-01T00:00:00.000Z', id])).toString('base64url') : id;
    }
    const theirs = ({ slug: victim.courseSlugs, couponCode: victim.couponCodes, search: victim.courseTitles } as Record<string, string[]>)[
      name
    ];
    if (theirs?.length) {
      build.notes.push(`${name}: ${victim.slug}'s`);
      const value = named(pick(c, theirs))!;
      if (name === 'search') build.kept.add(value);
      return value;
    }
    return STRING_HINTS[name] ?? 'Prueba';
  }

  /** A value as a GraphQL literal of its type (enums bare). */
  private literal(value: unknown, ref: SchemaTypeRef): string {
    const type = ref.kind === 'NON_NULL' ? ref.ofType! : ref;
    if (value === null || value === undefined) return 'null';
    if (type.kind === 'LIST') return `[${(value as unknown[]).map((item) => this.literal(item, type.ofType!)).join(', ')}]`;
    const named = this.types.get(type.name!);
    if (named?.kind === 'ENUM') return String(value);
    if (named?.kind === 'INPUT_OBJECT') {
      const fields = new Map((named.inputFields ?? []).map((field) => [field.name, field.type]));
      return `{${Object.entries(value as Record<string, unknown>)
        .map(([key, item]) => `${key}: ${this.literal(item, fields.get(key)!)}`)
        .join(', ')}}`;
    }
    if (typeof value === 'object') return jsonLiteral(value);
    return JSON.stringify(value);
  }

  /** Ids and names, and a few nested objects (theirs too), to the depth allowed. */
  private selection(c: Chooser, ref: SchemaTypeRef, depth: number): string {
    const type = this.types.get(namedOf(ref));
    if (!type || type.kind === 'SCALAR' || type.kind === 'ENUM') return '';
    if (type.kind !== 'OBJECT') return '__typename';
    const fields = (type.fields ?? []).filter((field) => field.args.every((arg) => !required(arg)));
    const leaves = fields.filter((field) => this.isLeaf(field.type) && INTERESTING.has(field.name)).map((field) => field.name);
    const objects = depth < this.maxDepth ? fields.filter((field) => !this.isLeaf(field.type)) : [];
    const parts = leaves.length ? leaves : ['__typename'];
    // Connections and edges: always through; other objects, two at most.
    const through = objects.filter((field) => field.name === 'edges' || field.name === 'node');
    const others = objects.filter((field) => !through.includes(field));
    const chosen = [...through];
    for (let i = 0, n = Math.min(others.length, c.int(1, 2)); i < n; i += 1) {
      const field = pick(c, others);
      if (!chosen.includes(field)) chosen.push(field);
    }
    for (const field of chosen) {
      const inner = this.selection(c, field.type, depth + 1);
      if (inner) parts.push(`${field.name} { ${inner} }`);
    }
    return parts.join(' ');
  }
}

function jsonLiteral(json: unknown): string {
  if (json === null || typeof json !== 'object') return JSON.stringify(json) ?? 'null';
  if (Array.isArray(json)) return `[${json.map(jsonLiteral).join(', ')}]`;
  return `{${Object.entries(json as Record<string, unknown>)
    .map(([key, item]) => `${key}: ${jsonLiteral(item)}`)
    .join(', ')}}`;
}

// ------------------------------------------------------------------ leaks

const UUID_ONLY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * What of another tenant an answer carries: ids of other tenants (any, not only the victim's)
 * and the victim's distinctive strings, except those the request itself sent (an echo of what
 * the attacker already knows is no leak).
 */
export function foreignDataIn(
  text: string,
  secrets: { ids: ReadonlySet<string>; strings: readonly string[] },
  sent: readonly string[],
): string[] {
  const known = new Set(sent.map((value) => value.toLowerCase()));
  const found = new Set<string>();
  for (const match of text.match(UUID) ?? []) {
    const id = match.toLowerCase();
    if (secrets.ids.has(id) && !known.has(id)) found.add(`id ${id}`);
  }
  // Strings as they are, and as JSON escapes them (accents and quotes).
  for (const value of secrets.strings) {
    if (known.has(value.toLowerCase())) continue;
    if (text.includes(value) || text.includes(JSON.stringify(value).slice(1, -1))) found.add(`string ${JSON.stringify(value)}`);
  }
  return [...found];
}
