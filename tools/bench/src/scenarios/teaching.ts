import pg from 'pg';
import { PERSISTED_DOCUMENTS } from '@academy/client-operations';
import { hashPassword } from '@academy/platform';
import { startSupergraph, type RunningSupergraph } from '@academy/testing';
import { scratchDatabase, useTestingHarness } from '../scratch-database';
import { latency, type Latency } from '../stats';
import type { ScenarioOptions } from '../scenario-options';

/** Latency of an operation, one request at a time, and the SQL statements the subgraphs sent for it (mean). */
export type Measured = Latency & { sqlStatements: number };

export interface AuthoringResult {
  /** The course edited: modules, and lessons in all, at the start. */
  course: { modules: number; lessons: number };
  /** Per mutation (and variant), one at a time, as its instructor; moves and removals answer the whole outline (CourseOutline). */
  operations: Record<string, Measured>;
  /** CONCURRENT_MOVERS sessions of the instructor moving lessons of the course at once (within and across modules). */
  concurrentMoves: { workers: number; moves: number; ms: number; movesPerSecond: number; latency: Latency; positionsDense: boolean };
}

export interface AssessmentsResult {
  learners: number;
  questions: number;
  /** Lessons every learner completed before the attempt. */
  lessons: number;
  /** Each learner in turn, once: starting an attempt, and submitting it (one in three passes, which completes the course). */
  start: Measured;
  submit: Measured;
  submitPassing: Measured;
  submitFailing: Measured;
  /** Learners who failed their first attempt, all submitting a passing second attempt at once. */
  concurrentSubmits: { learners: number; ms: number; submitsPerSecond: number; latency: Latency };
}

export type DashboardsResult =
  | { skipped: string }
  | {
      /** Enrolled learners of the course (every lesson completed; attempts as in `assessments`). */
      learners: number;
      /** CourseAnalyticsDashboard, as its instructor. */
      analytics: Measured;
      /** CourseLearners, the first page of 20, as its instructor. */
      learnersPage: Measured;
    };

export interface TeachingResult {
  /** The whole supergraph's rate-limit budgets are multiplied by this (see RATE_LIMIT_SCALE). */
  rateLimitScale: number;
  authoring: AuthoringResult;
  assessments: AssessmentsResult;
  dashboards: DashboardsResult;
}

const TENANT = 'bench-teaching';
const PASSWORD = 'bench-password';
const MODULES = 20;
const LESSONS_PER_MODULE = 10;
const QUESTIONS = 20;
const CONCURRENT_MOVERS = 8;
const CONCURRENT_SUBMITTERS = 20;
/** Untimed calls of each operation before its samples. */
const WARM_UP = 3;
/**
 * One instructor edits far faster here than a person does, and the apps' CourseOutline is
 * costed at 4,844 points (attachments assumed 10 × 10 × 10): at the tests' scale (100) the
 * user's budget runs out within a minute of moves. The budgets are still checked on every request.
 */
const RATE_LIMIT_SCALE = 10_000;
const BODY = `## Objetivos\n\n${'- Comprender la instalación de un sistema fotovoltaico y su mantenimiento.\n'.repeat(12)}\n${'Texto de la lección, con **énfasis** y [un enlace](https://example.org). '.repeat(12)}`;

interface Outline {
  id: string;
  modules: { id: string; position: number; lessons: { id: string; position: number }[] }[];
}
interface AttemptQuestion {
  id: string;
  prompt: string;
  kind: 'SINGLE_CHOICE' | 'MULTIPLE_CHOICE' | 'TRUE_FALSE';
  options: { id: string; text: string }[];
}
/** A course's structure as the bench knows it: its modules in order, each with its lesson ids in order. */
type Structure = { id: string; lessons: string[] }[];

/** What every phase works with. */
interface Session {
  /** A request with one of the apps' documents (by operation name) with this token; any error fails the scenario. */
  call<T>(token: string, operation: string, variables?: Record<string, unknown>): Promise<T>;
  /** Statements sent to PostgreSQL by every subgraph since the last reset. */
  statements: RunningSupergraph['statements'];
  owner: pg.Client;
  quick: boolean;
  log(line: string): void;
}

/**
 * What instructors and learners do with a course, through the whole supergraph (in this process,
 * over HTTP), signed in, with the apps' own documents: an instructor's structure edits of a
 * course of 20 modules × 10 lessons (one at a time, then 8 at once, positions checked
 * afterwards), graded assessments of 20 questions taken by 200 learners (quick: 30) who
 * completed every lesson, and the course's analytics dashboard with those learners.
 */
export async function teachingScenario(options: ScenarioOptions): Promise<TeachingResult> {
  const learners = options.quick ? 30 : 200;
  const scratch = await scratchDatabase(options.serverUrl, `academy_bench_teaching_${process.pid}`, options.appPassword);
  const owner = new pg.Client({ connectionString: scratch.ownerUrl });
  try {
    await owner.connect();
    const tenantId = await buildTenant(owner, learners, await hashPassword(PASSWORD));
    await useTestingHarness({ serverUrl: options.serverUrl, redisUrl: options.redisUrl, database: scratch, runId: `bench-${process.pid}` });
    const supergraph = await startSupergraph({ rateLimitScale: RATE_LIMIT_SCALE });
    try {
      const session: Session = {
        call: async <T>(token: string, operation: string, variables: Record<string, unknown> = {}) => {
          const response = await supergraph.request<T>(documentOf(operation), { token, tenant: TENANT, variables });
          if (response.status !== 200 || response.body.errors || !response.body.data)
            throw new Error(`${operation} failed (HTTP ${response.status}): ${JSON.stringify(response.body.errors ?? response.body)}`);
          return response.body.data;
        },
        statements: supergraph.statements,
        owner,
        quick: options.quick,
        log: options.log,
      };
      const instructor = await supergraph.login(`instructora@${TENANT}.mx`, PASSWORD, TENANT);
      const authoring = await authoringPhase(session, instructor);
      const { courseId, result: assessments } = await assessmentsPhase(session, supergraph, instructor, tenantId);
      const dashboards = await dashboardsPhase(session, instructor, courseId, assessments.learners);
      return { rateLimitScale: RATE_LIMIT_SCALE, authoring, assessments, dashboards };
    } finally {
      await supergraph.close();
    }
  } finally {
    await owner.end().catch(() => undefined);
    await scratch.drop();
  }
}

/** The text of one of the apps' persisted documents (sent as a development client sends it). */
function documentOf(operation: string): string {
  const pattern = new RegExp(`(^|\\s)(query|mutation) ${operation}\\b`);
  const text = [...PERSISTED_DOCUMENTS.values()].find((document) => pattern.test(document));
  if (!text) throw new Error(`no document ${operation} among the apps' persisted documents`);
  return text;
}

/** Timings and SQL statement counts of one operation's samples. */
class Samples {
  private readonly ms: number[] = [];
  private readonly statements: number[] = [];

  add(ms: number, statements: number): void {
    this.ms.push(ms);
    this.statements.push(statements);
  }

  result(): Measured {
    const sqlStatements = Math.round((this.statements.reduce((sum, n) => sum + n, 0) / Math.max(1, this.statements.length)) * 10) / 10;
    return { ...latency(this.ms), sqlStatements };
  }
}

/** `send`, timed, with the statements the subgraphs sent meanwhile (one request at a time only). */
async function measured<T>(session: Session, send: () => Promise<T>): Promise<{ data: T; ms: number; statements: number }> {
  session.statements.reset();
  const started = performance.now();
  const data = await send();
  const ms = performance.now() - started;
  return { data, ms, statements: session.statements.count };
}

/** The tenant, its instructor and `learners` learners (aprendiz<i>@…). Its id. */
async function buildTenant(owner: pg.Client, learners: number, passwordHash: string): Promise<string> {
  const {
    rows: [tenant],
  } = await owner.query<{ id: string }>(
    `INSERT INTO tenants (id, slug, name, tier, updated_at) VALUES (gen_random_uuid(), $1, 'Academia de banco', 'PROFESSIONAL', now()) RETURNING id`,
    [TENANT],
  );
  await owner.query(
    `INSERT INTO users (id, tenant_id, email, name, password_hash, persona, updated_at)
     VALUES (gen_random_uuid(), $1, $2, 'Instructora', $3, 'INSTRUCTOR', now())`,
    [tenant!.id, `instructora@${TENANT}.mx`, passwordHash],
  );
  await owner.query(
    `INSERT INTO users (id, tenant_id, email, name, password_hash, persona, updated_at)
     SELECT gen_random_uuid(), $1, 'aprendiz' || i || '@' || $2 || '.mx', 'Aprendiz ' || i, $3, 'LEARNER', now()
     FROM generate_series(0, $4::integer - 1) i`,
    [tenant!.id, TENANT, passwordHash, learners],
  );
  return tenant!.id;
}

/** A course of MODULES × LESSONS_PER_MODULE through createCourse: its id and structure. */
async function createCourse(session: Session, instructor: string, title: string): Promise<{ id: string; structure: Structure }> {
  const { createCourse } = await session.call<{ createCourse: { id: string; modules: { id: string; lessons: { id: string }[] }[] } }>(
    instructor,
    'CreateCourse',
    {
      input: {
        title,
        description: 'Curso de banco: módulos, lecciones y una evaluación final.',
        priceCents: 0,
        modules: Array.from({ length: MODULES }, (_m, m) => ({
          title: `Módulo ${m + 1}`,
          lessons: Array.from({ length: LESSONS_PER_MODULE }, (_l, l) => ({ title: `Lección ${m + 1}.${l + 1}`, durationMinutes: 15 })),
        })),
      },
    },
  );
  return {
    id: createCourse.id,
    structure: createCourse.modules.map((module) => ({ id: module.id, lessons: module.lessons.map((lesson) => lesson.id) })),
  };
}

/** The structure an outline answers, after checking its positions are 1..n (modules, and each module's lessons). */
function structureOf(outline: Outline, context: string): Structure {
  const modules = [...outline.modules].sort((a, b) => a.position - b.position);
  const problem = densityProblem(
    modules.map((module) => module.position),
    modules.map((module) => module.lessons.map((lesson) => lesson.position)),
  );
  if (problem) throw new Error(`teaching: ${context} answered positions that are not 1..n: ${problem}`);
  return modules.map((module) => ({
    id: module.id,
    lessons: [...module.lessons].sort((a, b) => a.position - b.position).map((lesson) => lesson.id),
  }));
}

/** What is wrong with these positions (the modules', and each module's lessons'), or null when each list is 1..n. */
function densityProblem(modulePositions: number[], lessonPositions: number[][]): string | null {
  const dense = (positions: number[]) => [...positions].sort((a, b) => a - b).every((position, index) => position === index + 1);
  if (!dense(modulePositions)) return `module positions ${JSON.stringify(modulePositions)}`;
  const at = lessonPositions.findIndex((positions) => !dense(positions));
  return at < 0 ? null : `lesson positions of module ${at + 1}: ${JSON.stringify(lessonPositions[at])}`;
}

/** A seeded pseudo-random source (mulberry32): every run edits the same way. */
function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** An integer in from..to, both included. */
  const between = (from: number, to: number) => from + Math.floor(next() * (to - from + 1));
  const pick = <T>(items: readonly T[]) => items[between(0, items.length - 1)]!;
  return { between, pick };
}
type Random = ReturnType<typeof randomSource>;

/** One request of a sequential phase: `send` answers what its answer changes in the bench's picture of the course (applied untimed). */
interface Step {
  label: string;
  send(): Promise<() => void>;
}

function step<T>(label: string, send: () => Promise<T>, then?: (data: T) => void): Step {
  return {
    label,
    send: async () => {
      const data = await send();
      return () => then?.(data);
    },
  };
}

/** The instructor's structure edits, one at a time, then CONCURRENT_MOVERS sessions moving lessons at once. */
async function authoringPhase(session: Session, instructor: string): Promise<AuthoringResult> {
  const { call, log } = session;
  const samples = session.quick ? 20 : 100;
  const random = randomSource(2026);
  const course = await createCourse(session, instructor, 'Instalación de sistemas fotovoltaicos');
  const structure = course.structure;
  const taken = new Map<string, Samples>();
  const seen = new Map<string, number>();
  /** `count` steps from `next`, each timed after the first WARM_UP of its label. */
  const run = async (count: number, next: () => Step) => {
    for (let i = 0; i < count; i += 1) {
      const { label, send } = next();
      const { data: then, ms, statements } = await measured(session, send);
      const occurrence = (seen.get(label) ?? 0) + 1;
      seen.set(label, occurrence);
      if (occurrence > WARM_UP) (taken.get(label) ?? taken.set(label, new Samples()).get(label)!).add(ms, statements);
      then();
    }
  };
  /** A structure edit answering the course's outline (the answer's field `field`): the bench's picture follows it. */
  const edit = (label: string, operation: string, field: string, variables: Record<string, unknown>) =>
    step(
      label,
      () => call<Record<string, Outline>>(instructor, operation, variables),
      (data) => structure.splice(0, structure.length, ...structureOf(data[field]!, label)),
    );
  const allLessons = () => structure.flatMap((module) => module.lessons);
  const withTwoOrMore = () => structure.filter((module) => module.lessons.length >= 2);

  // addLesson, then removeLesson of each added lesson (the course back to its size).
  const added: string[] = [];
  await run(samples + WARM_UP, () => {
    const module = random.pick(structure);
    const position = random.between(1, module.lessons.length + 1);
    const input = { title: `Lección nueva ${added.length + 1}`, durationMinutes: 20, kind: 'READING', body: BODY };
    return step(
      'addLesson',
      () => call<{ addLesson: { id: string; position: number } }>(instructor, 'AddLesson', { moduleId: module.id, input, position }),
      ({ addLesson: lesson }) => {
        if (lesson.position !== position) throw new Error(`teaching: addLesson at ${position} answered position ${lesson.position}`);
        module.lessons.splice(position - 1, 0, lesson.id);
        added.push(lesson.id);
      },
    );
  });
  await run(added.length, () => {
    const [id] = added.splice(random.between(0, added.length - 1), 1);
    return edit('removeLesson', 'RemoveLesson', 'removeLesson', { id });
  });

  await run(samples + WARM_UP, () => {
    const id = random.pick(allLessons());
    return step('updateLesson (title)', () =>
      call(instructor, 'UpdateLesson', { id, input: { title: `Lección revisada ${id.slice(0, 8)}` } }),
    );
  });
  await run(samples + WARM_UP, () => {
    const id = random.pick(allLessons());
    return step('updateLesson (body)', () => call(instructor, 'UpdateLesson', { id, input: { body: `${BODY}\n\nRevisión ${id}` } }));
  });

  await run(samples + WARM_UP, () => {
    const module = random.pick(withTwoOrMore());
    const variables = { id: random.pick(module.lessons), position: random.between(1, module.lessons.length) };
    return edit('moveLesson (within its module)', 'MoveLesson', 'moveLesson', variables);
  });
  await run(samples + WARM_UP, () => {
    const from = random.pick(withTwoOrMore());
    const into = random.pick(structure.filter((module) => module !== from));
    const variables = { id: random.pick(from.lessons), moduleId: into.id, position: random.between(1, into.lessons.length + 1) };
    return edit('moveLesson (to another module)', 'MoveLesson', 'moveLesson', variables);
  });
  await run(samples + WARM_UP, () =>
    edit('moveModule', 'MoveModule', 'moveModule', { id: random.pick(structure).id, position: random.between(1, structure.length) }),
  );

  // addModule and removeModule in turn: each new (empty) module removed at once.
  let fresh: string | undefined;
  await run(2 * (samples + WARM_UP), () => {
    if (fresh) {
      const id = fresh;
      fresh = undefined;
      return edit('removeModule', 'RemoveModule', 'removeModule', { id });
    }
    const position = random.between(1, structure.length + 1);
    return step(
      'addModule',
      () =>
        call<{ addModule: { id: string; position: number } }>(instructor, 'AddModule', {
          courseId: course.id,
          input: { title: 'Módulo nuevo' },
          position,
        }),
      ({ addModule: module }) => {
        if (module.position !== position) throw new Error(`teaching: addModule at ${position} answered position ${module.position}`);
        structure.splice(position - 1, 0, { id: module.id, lessons: [] });
        fresh = module.id;
      },
    );
  });

  const operations = Object.fromEntries([...taken].map(([label, sampled]) => [label, sampled.result()]));
  for (const [label, l] of Object.entries(operations))
    log(`  ${label}: p50 ${l.p50} / p99 ${l.p99} ms (n=${l.samples}, ${l.sqlStatements} SQL statements)`);
  const concurrentMoves = await concurrentMovesOf(session, instructor, course.id, structure, session.quick ? 5 : 25, random);
  log(
    `  ${concurrentMoves.workers} at once: ${concurrentMoves.moves} moveLesson in ${concurrentMoves.ms} ms, ${concurrentMoves.movesPerSecond}/s (p50 ${concurrentMoves.latency.p50} / p99 ${concurrentMoves.latency.p99} ms); positions 1..n afterwards`,
  );
  return { course: { modules: MODULES, lessons: MODULES * LESSONS_PER_MODULE }, operations, concurrentMoves };
}

/**
 * CONCURRENT_MOVERS sessions of the instructor, each moving lessons of its own (the first two
 * of each module stay, so no module empties and positions 1..anchors+1 are always valid), in
 * turn within their module and into another; then the positions in the database must be 1..n
 * (the modules, every module's lessons) and no lesson lost, or the scenario fails.
 */
async function concurrentMovesOf(
  session: Session,
  instructor: string,
  courseId: string,
  structure: Structure,
  movesPerWorker: number,
  random: Random,
): Promise<AuthoringResult['concurrentMoves']> {
  const anchors = Math.min(2, ...structure.map((module) => module.lessons.length));
  const lessons = structure.reduce((sum, module) => sum + module.lessons.length, 0);
  const movable = structure.flatMap((module) => module.lessons.slice(2).map((id) => ({ id, moduleId: module.id })));
  const owned = Array.from({ length: CONCURRENT_MOVERS }, (_w, w) => movable.filter((_lesson, i) => i % CONCURRENT_MOVERS === w));
  const taken: number[] = [];
  const started = performance.now();
  await Promise.all(
    owned.map(async (mine) => {
      for (let i = 0; i < movesPerWorker; i += 1) {
        const lesson = random.pick(mine);
        const moduleId = i % 2 === 1 ? random.pick(structure.filter((module) => module.id !== lesson.moduleId)).id : lesson.moduleId;
        const begun = performance.now();
        await session.call(instructor, 'MoveLesson', { id: lesson.id, moduleId, position: random.between(1, anchors + 1) });
        taken.push(performance.now() - begun);
        lesson.moduleId = moduleId;
      }
    }),
  );
  const ms = performance.now() - started;
  const { rows } = await session.owner.query<{ position: number; lessons: number[] }>(
    `SELECT m.position, array_remove(array_agg(l.position ORDER BY l.position), NULL) AS lessons
     FROM course_modules m LEFT JOIN lessons l ON l.module_id = m.id
     WHERE m.course_id = $1 GROUP BY m.id, m.position ORDER BY m.position`,
    [courseId],
  );
  const problem = densityProblem(
    rows.map((row) => row.position),
    rows.map((row) => row.lessons),
  );
  const counted = rows.reduce((sum, row) => sum + row.lessons.length, 0);
  if (problem || counted !== lessons)
    throw new Error(
      `teaching: after ${CONCURRENT_MOVERS} concurrent moveLesson sessions the course's positions are wrong: ${problem ?? `${counted} lessons, expected ${lessons}`}`,
    );
  const moves = CONCURRENT_MOVERS * movesPerWorker;
  return {
    workers: CONCURRENT_MOVERS,
    moves,
    ms: Math.round(ms),
    movesPerSecond: Math.round((moves / ms) * 10_000) / 10,
    latency: latency(taken),
    positionsDense: true,
  };
}

/** QUESTIONS questions, in turn SINGLE_CHOICE (4 options, 1 correct), MULTIPLE_CHOICE (5, 2 correct) and TRUE_FALSE; the correct options' texts per prompt. */
function assessmentInput(): { input: Record<string, unknown>; correct: Map<string, Set<string>> } {
  const correct = new Map<string, Set<string>>();
  const questions = Array.from({ length: QUESTIONS }, (_q, q) => {
    const kind = (['SINGLE_CHOICE', 'MULTIPLE_CHOICE', 'TRUE_FALSE'] as const)[q % 3]!;
    const prompt = `Pregunta ${q + 1}: ¿qué afirmación sobre la instalación es correcta?`;
    const options =
      kind === 'TRUE_FALSE'
        ? [
            { text: 'Verdadero', correct: q % 2 === 0 },
            { text: 'Falso', correct: q % 2 === 1 },
          ]
        : Array.from({ length: kind === 'SINGLE_CHOICE' ? 4 : 5 }, (_o, o) => ({
            text: `Opción ${o + 1} de la pregunta ${q + 1}`,
            correct: kind === 'SINGLE_CHOICE' ? o === q % 4 : o === q % 5 || o === (q + 2) % 5,
          }));
    correct.set(prompt, new Set(options.filter((option) => option.correct).map((option) => option.text)));
    return { prompt, kind, points: kind === 'MULTIPLE_CHOICE' ? 2 : 1, options };
  });
  return { input: { questions, maxAttempts: 3, timeLimitMinutes: 60 }, correct };
}

/** Answers to an attempt's questions: every correct option (a score of 100), or one wrong option each (0). */
function answersTo(questions: AttemptQuestion[], correct: Map<string, Set<string>>, pass: boolean) {
  return questions.map((question) => {
    const right = correct.get(question.prompt)!;
    const chosen = question.options.filter((option) => right.has(option.text) === pass);
    return { questionId: question.id, optionIds: (pass ? chosen : chosen.slice(0, 1)).map((option) => option.id) };
  });
}

type Attempt = { id: string; questions: AttemptQuestion[] };

/**
 * A published course of MODULES × LESSONS_PER_MODULE with an assessment of QUESTIONS questions;
 * every learner enrolled with every lesson completed (written as the owner, enrollments spread
 * over 45 days); each learner in turn starts an attempt and submits it (one in three passes);
 * then CONCURRENT_SUBMITTERS of those who failed start again and submit passing answers at once.
 */
async function assessmentsPhase(
  session: Session,
  supergraph: RunningSupergraph,
  instructor: string,
  tenantId: string,
): Promise<{ courseId: string; result: AssessmentsResult }> {
  const { call, owner, log } = session;
  const course = await createCourse(session, instructor, 'Mantenimiento de sistemas fotovoltaicos');
  await call(instructor, 'PublishCourse', { id: course.id });
  const { input, correct } = assessmentInput();
  await call(instructor, 'SetCourseAssessment', { courseId: course.id, input });
  const { rows: enrollments } = await owner.query<{ id: string; email: string }>(
    `WITH enrolled AS (
       INSERT INTO enrollments (id, tenant_id, course_id, learner_id, status, enrolled_at, last_activity_at, updated_at)
       SELECT gen_random_uuid(), $1, $2, u.id, 'ACTIVE', now() - (u.n % 45) * interval '1 day' - interval '2 hours', now(), now()
       FROM (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users WHERE tenant_id = $1 AND persona = 'LEARNER') u
       RETURNING id, learner_id
     )
     SELECT enrolled.id, users.email FROM enrolled JOIN users ON users.id = enrolled.learner_id ORDER BY users.email`,
    [tenantId, course.id],
  );
  await owner.query(
    `INSERT INTO lesson_completions (tenant_id, enrollment_id, lesson_id, completed_at)
     SELECT e.tenant_id, e.id, l.id, least(now(), e.enrolled_at + (m.position * 10 + l.position) * interval '5 minutes')
     FROM enrollments e JOIN lessons l ON l.course_id = e.course_id JOIN course_modules m ON m.id = l.module_id
     WHERE e.course_id = $1`,
    [course.id],
  );
  await owner.query('VACUUM ANALYZE enrollments, lesson_completions');
  const lessons = MODULES * LESSONS_PER_MODULE;
  log(`  ${enrollments.length} learners enrolled, each with ${lessons} lessons completed; an assessment of ${QUESTIONS} questions`);

  // Each learner signs in through the real login, four at a time.
  const tokens = new Map<string, string>();
  const queue = [...enrollments];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) tokens.set(next.id, await supergraph.login(next.email, PASSWORD, TENANT));
    }),
  );
  const start = (enrollmentId: string) =>
    call<{ startAssessmentAttempt: Attempt }>(tokens.get(enrollmentId)!, 'StartAssessmentAttempt', { enrollmentId }).then(
      (data) => data.startAssessmentAttempt,
    );
  const submit = async (enrollmentId: string, attempt: Attempt, pass: boolean) => {
    const answers = answersTo(attempt.questions, correct, pass);
    const { submitAssessmentAttempt: graded } = await call<{ submitAssessmentAttempt: { status: string; score: number; passed: boolean } }>(
      tokens.get(enrollmentId)!,
      'SubmitAssessmentAttempt',
      { attemptId: attempt.id, answers },
    );
    if (graded.status !== 'SUBMITTED' || graded.passed !== pass)
      throw new Error(`teaching: an attempt answered to ${pass ? 'pass' : 'fail'} came back ${JSON.stringify(graded)}`);
  };

  const taken = { start: new Samples(), submit: new Samples(), passing: new Samples(), failing: new Samples() };
  const failed: string[] = [];
  for (const [i, enrollment] of enrollments.entries()) {
    const pass = i % 3 === 0;
    const started = await measured(session, () => start(enrollment.id));
    if (started.data.questions.length !== QUESTIONS) throw new Error(`teaching: an attempt has ${started.data.questions.length} questions`);
    const submitted = await measured(session, () => submit(enrollment.id, started.data, pass));
    if (!pass) failed.push(enrollment.id);
    if (i < WARM_UP) continue;
    taken.start.add(started.ms, started.statements);
    taken.submit.add(submitted.ms, submitted.statements);
    (pass ? taken.passing : taken.failing).add(submitted.ms, submitted.statements);
  }
  const sequential = {
    start: taken.start.result(),
    submit: taken.submit.result(),
    submitPassing: taken.passing.result(),
    submitFailing: taken.failing.result(),
  };
  log(`  startAssessmentAttempt: p50 ${sequential.start.p50} / p99 ${sequential.start.p99} ms (n=${sequential.start.samples})`);
  log(
    `  submitAssessmentAttempt: p50 ${sequential.submit.p50} / p99 ${sequential.submit.p99} ms (passing p50 ${sequential.submitPassing.p50}, failing p50 ${sequential.submitFailing.p50})`,
  );

  if (failed.length < CONCURRENT_SUBMITTERS) throw new Error(`teaching: only ${failed.length} learners to submit at once`);
  const second = await Promise.all(
    failed.slice(0, CONCURRENT_SUBMITTERS).map(async (enrollmentId) => ({ enrollmentId, attempt: await start(enrollmentId) })),
  );
  const begun = performance.now();
  const concurrent = await Promise.all(
    second.map(async ({ enrollmentId, attempt }) => {
      const sent = performance.now();
      await submit(enrollmentId, attempt, true);
      return performance.now() - sent;
    }),
  );
  const ms = performance.now() - begun;
  const concurrentSubmits = {
    learners: CONCURRENT_SUBMITTERS,
    ms: Math.round(ms),
    submitsPerSecond: Math.round((CONCURRENT_SUBMITTERS / ms) * 10_000) / 10,
    latency: latency(concurrent),
  };
  log(
    `  ${CONCURRENT_SUBMITTERS} submitting at once (passing): ${concurrentSubmits.ms} ms, ${concurrentSubmits.submitsPerSecond}/s (p50 ${concurrentSubmits.latency.p50} / p99 ${concurrentSubmits.latency.p99} ms)`,
  );
  return {
    courseId: course.id,
    result: { learners: enrollments.length, questions: QUESTIONS, lessons, ...sequential, concurrentSubmits },
  };
}

/**
 * The course's dashboard as its instructor: CourseAnalyticsDashboard and the first page of
 * CourseLearners, one request at a time. Skipped, with the reason, when the supergraph does not
 * answer it (course analytics were being built when this scenario was written).
 */
async function dashboardsPhase(session: Session, instructor: string, courseId: string, learners: number): Promise<DashboardsResult> {
  const { call, log } = session;
  const samples = session.quick ? 20 : 100;
  try {
    await call(instructor, 'CourseAnalyticsDashboard', { courseId });
  } catch (error) {
    const skipped = `course analytics not answered: ${(error as Error).message.slice(0, 300)}`;
    log(`  dashboards skipped: ${skipped}`);
    return { skipped };
  }
  const sample = async (operation: string, variables: Record<string, unknown>) => {
    const taken = new Samples();
    for (let i = 0; i < samples + WARM_UP; i += 1) {
      const { ms, statements } = await measured(session, () => call(instructor, operation, variables));
      if (i >= WARM_UP) taken.add(ms, statements);
    }
    return taken.result();
  };
  const analytics = await sample('CourseAnalyticsDashboard', { courseId, days: 30 });
  const learnersPage = await sample('CourseLearners', { courseId, first: 20 });
  log(`  CourseAnalyticsDashboard (${learners} learners): p50 ${analytics.p50} / p99 ${analytics.p99} ms`);
  log(`  CourseLearners, first 20: p50 ${learnersPage.p50} / p99 ${learnersPage.p99} ms`);
  return { learners, analytics, learnersPage };
}
