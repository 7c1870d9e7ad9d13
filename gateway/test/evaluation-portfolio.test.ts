import type { Persona } from '@academy/platform';
import {
  asPersonaOf,
  createCompliantCourse,
  createTenant,
  putUpload,
  SAMPLE_PDF as PDF,
  startSupergraph,
  TEST_PASSWORD,
  until,
  type RunningSupergraph,
  type TestTenant,
  type UploadTicketResponse as Ticket,
} from '@academy/testing';

const CURP = 'HEGG560427MVZRRL04';

const CRITERIA = [
  { element: 'E0875 Preparar la sesión', kind: 'PERFORMANCE', description: 'Presenta el encuadre del taller a la comunidad' },
  { element: 'E0876 Conducir la sesión', kind: 'PRODUCT', description: 'Entrega la carta descriptiva del taller' },
  { element: 'E0877 Evaluar la sesión', kind: 'KNOWLEDGE', description: 'Explica los instrumentos de evaluación' },
];

const SET_CRITERIA = `mutation($c: ID!, $criteria: [CriterionInput!]!) {
  setEvaluationCriteria(courseId: $c, criteria: $criteria) { id element kind description position } }`;
const ENROLL =
  'mutation($c: ID!) { enroll(courseId: $c) { id portfolio { id coverage judgement evidence { id } missingCriteria { position } } } }';
const SUBMIT = `mutation($e: ID!, $c: ID!, $files: [ID!]!, $note: String) {
  submitEvidence(enrollmentId: $e, criterionId: $c, fileIds: $files, note: $note) { id status note criterion { position } files { id } } }`;
const REVIEW = `mutation($id: ID!, $accept: Boolean!, $comment: String) {
  reviewEvidence(id: $id, accept: $accept, comment: $comment) { id status reviewComment reviewer { id } reviewedAt } }`;
const JUDGE = `mutation($id: ID!, $j: Judgement!, $comment: String) {
  judgePortfolio(id: $id, judgement: $j, comment: $comment) { id judgement coverage judgedBy { id } judgedAt missingCriteria { position } } }`;
const PORTFOLIO = `query($id: ID!) { portfolio(id: $id) {
  id learner { id } course { id title evaluationCriteria { position kind } } standard { code }
  coverage judgement judgedBy { id name } judgedAt
  missingCriteria { position }
  evidence { criterion { position } status note reviewComment reviewer { name } files { id name purpose status } submittedAt reviewedAt }
} }`;
const TO_REVIEW = 'query($first: Int, $after: String) { portfoliosToReview(first: $first, after: $after) { id learner { id } } }';
const REQUEST = 'mutation($id: ID!) { requestConocerCertification(certificateId: $id) { id status } }';
const CREATE_UPLOAD = `mutation ($purpose: UploadPurpose!, $fileName: String!, $contentType: String!, $byteSize: Int!) {
  createUpload(purpose: $purpose, fileName: $fileName, contentType: $contentType, byteSize: $byteSize) { file { id } uploadUrl headers expiresAt } }`;
const COMPLETE_UPLOAD = 'mutation ($id: ID!) { completeUpload(id: $id) { status } }';

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; path?: string[]; extensions: Record<string, unknown> }[] };

const refusal = (path: string, code: string, message: string, extra: Record<string, unknown> = {}) => ({
  // A nullable root field (portfolio) is null beside its error; a non-null one nulls the data.
  data: path === 'portfolio' ? { portfolio: null } : null,
  errors: [{ message, path: [path], extensions: { code, ...extra } }],
});

/** The EC evaluation portfolio through the gateway: criteria, evidence, reviews, judgement, and CONOCER's need of it. */
describe('EC evaluation portfolio (through the gateway)', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let other: TestTenant;
  let as: ReturnType<typeof asPersonaOf>;
  let asOther: ReturnType<typeof asPersonaOf>;
  let secondEvaluator: { id: string; token: string };

  beforeAll(async () => {
    supergraph = await startSupergraph({
      isolated: true,
      conocer: { sandbox: { reviewAfterMs: 100, decisionAfterMs: 300, approvalScore: 85 } },
    });
    fixture = await createTenant(supergraph.db.database);
    other = await createTenant(supergraph.db.database);
    as = asPersonaOf(supergraph, fixture);
    asOther = asPersonaOf(supergraph, other);
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const evaluator = await db.run((tx) =>
      tx.user.create({
        data: {
          tenantId: fixture.tenant.id,
          email: 'segundo-evaluador@x.test',
          name: 'Segundo Evaluador',
          passwordHash: fixture.users.EVALUATOR.passwordHash,
          persona: 'EVALUATOR',
        },
      }),
    );
    secondEvaluator = { id: evaluator.id, token: await supergraph.login(evaluator.email, TEST_PASSWORD, fixture.tenant.slug) };
  }, 60_000);
  afterAll(() => supergraph?.close());

  const call = async (persona: Persona, query: string, variables: Record<string, unknown> = {}) =>
    (await as(persona, query, variables)) as Body;
  const data = async <T>(persona: Persona, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const body = await call(persona, query, variables);
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data as T;
  };
  const asSecondEvaluator = async (query: string, variables: Record<string, unknown> = {}) =>
    (await supergraph.request(query, { tenant: fixture.tenant.slug, token: secondEvaluator.token, variables })).body as Body;

  /** A READY EVIDENCE file uploaded by `persona` (createUpload, PUT to storage, completeUpload). */
  const evidenceFile = async (persona: Persona, name = 'evidencia.pdf', person = as): Promise<string> => {
    const created = (await person<{ createUpload: Ticket }>(persona, CREATE_UPLOAD, {
      purpose: 'EVIDENCE',
      fileName: name,
      contentType: 'application/pdf',
      byteSize: PDF.length,
    })) as { data: { createUpload: Ticket } };
    const ticket = created.data.createUpload;
    expect((await putUpload(ticket, PDF)).status).toBe(200);
    expect(await person(persona, COMPLETE_UPLOAD, { id: ticket.file.id })).toEqual({ data: { completeUpload: { status: 'READY' } } });
    return ticket.file.id;
  };

  /** A course aligned to EC0217.01 with the three criteria, set by its instructor. */
  const courseWithCriteria = async () => {
    const course = await createCompliantCourse(supergraph.db.database, fixture);
    const { setEvaluationCriteria } = await data<{ setEvaluationCriteria: { id: string; position: number }[] }>(
      'INSTRUCTOR',
      SET_CRITERIA,
      {
        c: course.id,
        criteria: CRITERIA,
      },
    );
    return { course, criteria: setEvaluationCriteria };
  };

  it("sets a course's criteria: validated whole, only on a course aligned to a standard, by its instructor and staff", async () => {
    const course = await createCompliantCourse(supergraph.db.database, fixture);
    const invalid = await call('INSTRUCTOR', SET_CRITERIA, {
      c: course.id,
      criteria: [CRITERIA[0], { element: ' ', kind: 'PRODUCT', description: 'x'.repeat(2001) }, { ...CRITERIA[2], description: '' }],
    });
    expect(invalid).toEqual(
      refusal('setEvaluationCriteria', 'BAD_USER_INPUT', 'Invalid evaluation criteria', {
        issues: [
          { field: 'criteria.1.element', message: 'must not be empty' },
          { field: 'criteria.1.description', message: 'must be at most 2000 characters' },
          { field: 'criteria.2.description', message: 'must not be empty' },
        ],
      }),
    );
    expect(await call('INSTRUCTOR', SET_CRITERIA, { c: course.id, criteria: [] })).toEqual(
      refusal('setEvaluationCriteria', 'BAD_USER_INPUT', 'Invalid evaluation criteria', {
        issues: [{ field: 'criteria', message: 'must name at least one criterion' }],
      }),
    );
    expect(await call('LEARNER', SET_CRITERIA, { c: course.id, criteria: CRITERIA })).toEqual(
      refusal('setEvaluationCriteria', 'FORBIDDEN', "Only the course's instructor, evaluators and admins set its evaluation criteria"),
    );

    const first = await data<{ setEvaluationCriteria: unknown[] }>('INSTRUCTOR', SET_CRITERIA, { c: course.id, criteria: CRITERIA });
    expect(first.setEvaluationCriteria).toEqual(
      CRITERIA.map((criterion, index) => ({ id: expect.any(String), ...criterion, position: index + 1 })),
    );
    // Replaced whole while no evidence exists (here by an evaluator).
    const replaced = await data<{ setEvaluationCriteria: unknown[] }>('EVALUATOR', SET_CRITERIA, {
      c: course.id,
      criteria: [CRITERIA[2], CRITERIA[0]],
    });
    expect(replaced.setEvaluationCriteria).toEqual([
      { id: expect.any(String), ...CRITERIA[2], position: 1 },
      { id: expect.any(String), ...CRITERIA[0], position: 2 },
    ]);
    const read = (
      await supergraph.request('query($id: ID!) { course(id: $id) { evaluationCriteria { position kind } } }', {
        tenant: fixture.tenant.slug,
        variables: { id: course.id },
      })
    ).body;
    expect(read).toEqual({
      data: {
        course: {
          evaluationCriteria: [
            { position: 1, kind: 'KNOWLEDGE' },
            { position: 2, kind: 'PERFORMANCE' },
          ],
        },
      },
    });

    const unaligned = await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.course.update({ where: { id: course.id }, data: { competencyStandardCode: null }, select: { id: true } }));
    expect(await call('INSTRUCTOR', SET_CRITERIA, { c: unaligned.id, criteria: CRITERIA })).toEqual(
      refusal('setEvaluationCriteria', 'BAD_USER_INPUT', 'Only a course aligned to a competency standard has evaluation criteria', {
        issues: [{ field: 'courseId', message: 'the course is not aligned to a competency standard' }],
      }),
    );
  });

  it('evidence on every criterion, one rejected and resubmitted, COMPETENT, then CONOCER APPROVED; refused without the judgement', async () => {
    const { course, criteria } = await courseWithCriteria();
    const learnerId = fixture.users.LEARNER.id;
    await data('LEARNER', 'mutation($curp: String!) { updateMyProfile(input: { curp: $curp }) { id } }', { curp: CURP });

    // The portfolio exists from the enrollment on, empty.
    const { enroll } = await data<{ enroll: { id: string; portfolio: unknown } }>('LEARNER', ENROLL, { c: course.id });
    const portfolioId = enroll.id;
    expect(enroll.portfolio).toEqual({
      id: portfolioId,
      coverage: 0,
      judgement: null,
      evidence: [],
      missingCriteria: [{ position: 1 }, { position: 2 }, { position: 3 }],
    });
    for (const lesson of course.lessons)
      await data('LEARNER', 'mutation($e: ID!, $l: ID!) { completeLesson(enrollmentId: $e, lessonId: $l) { id } }', {
        e: enroll.id,
        l: lesson.id,
      });
    await data('EVALUATOR', 'mutation($e: ID!, $s: Int!) { submitFinalAssessment(enrollmentId: $e, score: $s) { status } }', {
      e: enroll.id,
      s: 95,
    });
    const { me } = await data<{ me: { certificates: { id: string }[] } }>('LEARNER', '{ me { certificates { id } } }');
    const certificateId = me.certificates[0]!.id;

    // Without the judgement CONOCER is not asked; the missing criteria are listed.
    const missingAll = {
      data: null,
      errors: [
        {
          message: "CONOCER certification needs an evaluator's COMPETENT judgement of your evaluation portfolio",
          path: ['requestConocerCertification'],
          extensions: {
            code: 'BAD_USER_INPUT',
            issues: [
              { field: 'judgement', message: 'missing' },
              ...CRITERIA.map((criterion, index) => ({
                field: `evaluationCriteria.${index}`,
                message: `no accepted evidence for "${criterion.element}" (${criterion.kind}): ${criterion.description}`,
              })),
            ],
          },
        },
      ],
    };
    expect(await call('LEARNER', REQUEST, { id: certificateId })).toEqual(missingAll);

    // Files: the learner's own READY EVIDENCE files only, each named when it is not one.
    const files = [
      await evidenceFile('LEARNER', 'encuadre.pdf'),
      await evidenceFile('LEARNER', 'carta.pdf'),
      await evidenceFile('LEARNER', 'examen.pdf'),
    ];
    const someoneElses = await evidenceFile('INSTRUCTOR');
    expect(await call('LEARNER', SUBMIT, { e: portfolioId, c: criteria[0]!.id, files: [files[0], someoneElses, files[0]] })).toEqual(
      refusal('submitEvidence', 'BAD_USER_INPUT', 'Invalid evidence', {
        issues: [
          { field: 'fileIds.1', message: 'must be a READY EVIDENCE file you uploaded (createUpload, then completeUpload)' },
          { field: 'fileIds.2', message: 'names a file already given' },
        ],
      }),
    );
    expect(await call('LEARNER', SUBMIT, { e: portfolioId, c: criteria[0]!.id, files: [] })).toEqual(
      refusal('submitEvidence', 'BAD_USER_INPUT', 'Invalid evidence', {
        issues: [{ field: 'fileIds', message: 'must name at least one file' }],
      }),
    );
    expect(await call('INSTRUCTOR', SUBMIT, { e: portfolioId, c: criteria[0]!.id, files: [someoneElses] })).toEqual(
      refusal('submitEvidence', 'FORBIDDEN', 'Only the enrolled learner submits evidence to their portfolio'),
    );

    const submitted: string[] = [];
    for (const [index, criterion] of criteria.entries()) {
      const { submitEvidence } = await data<{ submitEvidence: { id: string } }>('LEARNER', SUBMIT, {
        e: portfolioId,
        c: criterion.id,
        files: [files[index]],
        note: `Evidencia ${index + 1}`,
      });
      expect(submitEvidence).toEqual({
        id: expect.any(String),
        status: 'SUBMITTED',
        note: `Evidencia ${index + 1}`,
        criterion: { position: index + 1 },
        files: [{ id: files[index] }],
      });
      submitted.push(submitEvidence.id);
    }
    expect(await call('LEARNER', SUBMIT, { e: portfolioId, c: criteria[0]!.id, files: [files[0]] })).toEqual(
      refusal('submitEvidence', 'CONFLICT', 'Evidence for criterion 1 is still awaiting review'),
    );

    // The review queue: the second evaluator sees it; the learner may not look.
    expect((await asSecondEvaluator(TO_REVIEW)).data).toEqual({ portfoliosToReview: [{ id: portfolioId, learner: { id: learnerId } }] });
    expect(await call('LEARNER', TO_REVIEW)).toEqual(refusal('portfoliosToReview', 'FORBIDDEN', 'Not allowed'));

    // Reviews: the learner cannot; a rejection needs a comment; reviewed evidence is not reviewed again.
    expect(await call('LEARNER', REVIEW, { id: submitted[0], accept: true })).toEqual(
      refusal('reviewEvidence', 'FORBIDDEN', 'Not allowed'),
    );
    expect(await call('EVALUATOR', REVIEW, { id: submitted[1], accept: false })).toEqual(
      refusal('reviewEvidence', 'BAD_USER_INPUT', 'Invalid review', {
        issues: [{ field: 'comment', message: 'is required when rejecting: tell the learner what is missing' }],
      }),
    );
    const evaluatorId = fixture.users.EVALUATOR.id;
    const rejected = await data<{ reviewEvidence: unknown }>('EVALUATOR', REVIEW, {
      id: submitted[1],
      accept: false,
      comment: 'La carta descriptiva no incluye los tiempos',
    });
    expect(rejected.reviewEvidence).toEqual({
      id: submitted[1],
      status: 'REJECTED',
      reviewComment: 'La carta descriptiva no incluye los tiempos',
      reviewer: { id: evaluatorId },
      reviewedAt: expect.any(String),
    });
    for (const id of [submitted[0], submitted[2]]) await data('EVALUATOR', REVIEW, { id, accept: true });
    expect(await call('EVALUATOR', REVIEW, { id: submitted[0], accept: false, comment: 'otra vez' })).toEqual(
      refusal('reviewEvidence', 'CONFLICT', 'The evidence was already reviewed (ACCEPTED)'),
    );

    // COMPETENT needs every criterion; the missing one is named.
    expect(await call('EVALUATOR', JUDGE, { id: portfolioId, j: 'COMPETENT' })).toEqual(
      refusal('judgePortfolio', 'BAD_USER_INPUT', 'COMPETENT needs accepted evidence on every criterion', {
        issues: [
          {
            field: 'evaluationCriteria.1',
            message: `no accepted evidence for "${CRITERIA[1]!.element}" (PRODUCT): ${CRITERIA[1]!.description}`,
          },
        ],
      }),
    );
    expect(await call('LEARNER', SUBMIT, { e: portfolioId, c: criteria[0]!.id, files: [files[0]] })).toEqual(
      refusal('submitEvidence', 'CONFLICT', 'Criterion 1 already has accepted evidence'),
    );

    // The resubmission: a new piece of evidence, the rejected one kept.
    const corrected = await evidenceFile('LEARNER', 'carta-corregida.pdf');
    const { submitEvidence: resubmitted } = await data<{ submitEvidence: { id: string } }>('LEARNER', SUBMIT, {
      e: portfolioId,
      c: criteria[1]!.id,
      files: [corrected, files[1]],
      note: 'Con tiempos',
    });
    await data('EVALUATOR', REVIEW, { id: resubmitted.id, accept: true, comment: 'Completa' });
    expect((await asSecondEvaluator(TO_REVIEW)).data).toEqual({ portfoliosToReview: [] });

    const { judgePortfolio } = await data<{ judgePortfolio: unknown }>('EVALUATOR', JUDGE, {
      id: portfolioId,
      j: 'COMPETENT',
      comment: 'Competente en los tres elementos',
    });
    expect(judgePortfolio).toEqual({
      id: portfolioId,
      judgement: 'COMPETENT',
      coverage: 1,
      judgedBy: { id: evaluatorId },
      judgedAt: expect.any(String),
      missingCriteria: [],
    });
    expect(await call('LEARNER', SUBMIT, { e: portfolioId, c: criteria[1]!.id, files: [corrected] })).toEqual(
      refusal('submitEvidence', 'CONFLICT', 'The portfolio was judged COMPETENT: it takes no more evidence'),
    );

    // The whole portfolio, as the learner sees it (files resolved by the media subgraph).
    const { portfolio } = await data<{ portfolio: { judgedAt: string } }>('LEARNER', PORTFOLIO, { id: portfolioId });
    const file = (id: string, name: string) => ({ id, name, purpose: 'EVIDENCE', status: 'READY' });
    const reviewed = { reviewer: { name: fixture.users.EVALUATOR.name }, submittedAt: expect.any(String), reviewedAt: expect.any(String) };
    expect(portfolio).toEqual({
      id: portfolioId,
      learner: { id: learnerId },
      course: {
        id: course.id,
        title: course.title,
        evaluationCriteria: [
          { position: 1, kind: 'PERFORMANCE' },
          { position: 2, kind: 'PRODUCT' },
          { position: 3, kind: 'KNOWLEDGE' },
        ],
      },
      standard: { code: 'EC0217.01' },
      coverage: 1,
      judgement: 'COMPETENT',
      judgedBy: { id: evaluatorId, name: fixture.users.EVALUATOR.name },
      judgedAt: expect.any(String),
      missingCriteria: [],
      evidence: [
        {
          criterion: { position: 1 },
          status: 'ACCEPTED',
          note: 'Evidencia 1',
          reviewComment: null,
          files: [file(files[0]!, 'encuadre.pdf')],
          ...reviewed,
        },
        {
          criterion: { position: 2 },
          status: 'REJECTED',
          note: 'Evidencia 2',
          reviewComment: 'La carta descriptiva no incluye los tiempos',
          files: [file(files[1]!, 'carta.pdf')],
          ...reviewed,
        },
        {
          criterion: { position: 3 },
          status: 'ACCEPTED',
          note: 'Evidencia 3',
          reviewComment: null,
          files: [file(files[2]!, 'examen.pdf')],
          ...reviewed,
        },
        {
          criterion: { position: 2 },
          status: 'ACCEPTED',
          note: 'Con tiempos',
          reviewComment: 'Completa',
          files: [file(corrected, 'carta-corregida.pdf'), file(files[1]!, 'carta.pdf')],
          ...reviewed,
        },
      ],
    });
    // Evaluators see it too (the files included); the course's instructor does not.
    expect((await asSecondEvaluator(PORTFOLIO, { id: portfolioId })).data).toEqual({ portfolio });
    expect(await call('INSTRUCTOR', PORTFOLIO, { id: portfolioId })).toEqual(
      refusal('portfolio', 'FORBIDDEN', "Only the portfolio's learner, evaluators and admins see it"),
    );

    // Now CONOCER is asked, and receives the judgement, its evaluator and the evidence.
    const { requestConocerCertification } = await data<{ requestConocerCertification: { id: string; status: string } }>(
      'LEARNER',
      REQUEST,
      {
        id: certificateId,
      },
    );
    expect(requestConocerCertification.status).toBe('PENDING');
    const status = async () =>
      (await data<{ me: { certificates: { conocerStatus: string }[] } }>('LEARNER', '{ me { certificates { conocerStatus } } }')).me
        .certificates[0]!.conocerStatus;
    expect(await until(status, (value) => value === 'APPROVED' || value === 'REJECTED', { timeoutMs: 15_000, everyMs: 100 })).toBe(
      'APPROVED',
    );
    expect(supergraph.sandbox!.requestReceived(requestConocerCertification.id)).toMatchObject({
      standardCode: 'EC0217.01',
      evaluator: { name: fixture.users.EVALUATOR.name },
      evaluation: {
        judgement: 'COMPETENT',
        evaluator: { id: evaluatorId, name: fixture.users.EVALUATOR.name },
        evidenceCount: 3,
        judgedAt: portfolio.judgedAt,
      },
    });
    // The judgement CONOCER has stays.
    expect(await call('EVALUATOR', JUDGE, { id: portfolioId, j: 'NOT_YET_COMPETENT' })).toEqual(
      refusal(
        'judgePortfolio',
        'CONFLICT',
        'A CONOCER submission of this certificate exists (APPROVED): the judgement can no longer change',
      ),
    );
    // Criteria with evidence are no longer replaced.
    expect(await call('INSTRUCTOR', SET_CRITERIA, { c: course.id, criteria: CRITERIA })).toEqual(
      refusal(
        'setEvaluationCriteria',
        'CONFLICT',
        'Learners already submitted evidence against these criteria (4): they can no longer be replaced',
      ),
    );

    // The learner was told of each review and of the judgement.
    const kinds = async () =>
      (
        await data<{ me: { notifications: { edges: { node: { kind: string } }[] } } }>(
          'LEARNER',
          '{ me { notifications(first: 50) { edges { node { kind } } } } }',
        )
      ).me.notifications.edges
        .map((edge) => edge.node.kind)
        .filter((kind) => kind === 'EVIDENCE_REVIEWED' || kind === 'EVALUATION_DECIDED');
    const told = await until(kinds, (value) => value.length >= 5, { timeoutMs: 15_000, everyMs: 100 });
    expect([...told].sort()).toEqual([
      'EVALUATION_DECIDED',
      'EVIDENCE_REVIEWED',
      'EVIDENCE_REVIEWED',
      'EVIDENCE_REVIEWED',
      'EVIDENCE_REVIEWED',
    ]);
  }, 90_000);

  it('an evaluator enrolled in the course never reviews or judges their own portfolio; another evaluator does', async () => {
    const { course, criteria } = await courseWithCriteria();
    // An evaluator who enrolled as a learner before becoming one.
    const enrollment = await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) =>
        tx.enrollment.create({ data: { tenantId: fixture.tenant.id, courseId: course.id, learnerId: fixture.users.EVALUATOR.id } }),
      );
    const file = await evidenceFile('EVALUATOR');
    const { submitEvidence } = await data<{ submitEvidence: { id: string } }>('EVALUATOR', SUBMIT, {
      e: enrollment.id,
      c: criteria[0]!.id,
      files: [file],
    });
    expect(await call('EVALUATOR', REVIEW, { id: submitEvidence.id, accept: true })).toEqual(
      refusal('reviewEvidence', 'FORBIDDEN', 'Evaluators never review their own evidence'),
    );
    expect(await call('EVALUATOR', JUDGE, { id: enrollment.id, j: 'NOT_YET_COMPETENT' })).toEqual(
      refusal('judgePortfolio', 'FORBIDDEN', 'Evaluators never judge their own portfolio'),
    );
    // Not in their own queue; in the other evaluator's.
    const mine = await data<{ portfoliosToReview: { id: string }[] }>('EVALUATOR', TO_REVIEW, { first: 100 });
    expect(mine.portfoliosToReview.map((portfolio) => portfolio.id)).not.toContain(enrollment.id);
    const theirs = (await asSecondEvaluator(TO_REVIEW, { first: 100 })).data as { portfoliosToReview: { id: string }[] };
    expect(theirs.portfoliosToReview.map((portfolio) => portfolio.id)).toContain(enrollment.id);
    expect((await asSecondEvaluator(REVIEW, { id: submitEvidence.id, accept: true })).data).toMatchObject({
      reviewEvidence: { status: 'ACCEPTED', reviewer: { id: secondEvaluator.id } },
    });
    // NOT_YET_COMPETENT is allowed at any time, and may change while CONOCER has not been asked.
    expect((await asSecondEvaluator(JUDGE, { id: enrollment.id, j: 'NOT_YET_COMPETENT', comment: 'Faltan dos elementos' })).data).toEqual({
      judgePortfolio: {
        id: enrollment.id,
        judgement: 'NOT_YET_COMPETENT',
        coverage: 1 / 3,
        judgedBy: { id: secondEvaluator.id },
        judgedAt: expect.any(String),
        missingCriteria: [{ position: 2 }, { position: 3 }],
      },
    });
  }, 60_000);

  it('pages the review queue oldest waiting first, by the last portfolio seen', async () => {
    const { course, criteria } = await courseWithCriteria();
    const db = supergraph.db.database.forTenant(fixture.tenant.id);
    const learners = await db.run(async (tx) => {
      const created = [];
      for (const n of [1, 2, 3])
        created.push(
          await tx.user.create({
            data: {
              tenantId: fixture.tenant.id,
              email: `cola-${n}-${course.id.slice(0, 8)}@x.test`,
              name: `Cola ${n}`,
              passwordHash: fixture.users.LEARNER.passwordHash,
              persona: 'LEARNER',
            },
          }),
        );
      return created;
    });
    const order: string[] = [];
    for (const learner of learners) {
      const token = await supergraph.login(learner.email, TEST_PASSWORD, fixture.tenant.slug);
      const request = async (query: string, variables: Record<string, unknown>) =>
        (await supergraph.request(query, { tenant: fixture.tenant.slug, token, variables })).body as { data: Record<string, unknown> };
      const enrolled = (await request(ENROLL, { c: course.id })).data.enroll as { id: string };
      const created = (
        await request(CREATE_UPLOAD, { purpose: 'EVIDENCE', fileName: 'e.pdf', contentType: 'application/pdf', byteSize: PDF.length })
      ).data.createUpload as Ticket;
      await putUpload(created, PDF);
      await request(COMPLETE_UPLOAD, { id: created.file.id });
      await request(SUBMIT, { e: enrolled.id, c: criteria[0]!.id, files: [created.file.id] });
      order.push(enrolled.id);
    }
    const all = await data<{ portfoliosToReview: { id: string }[] }>('EVALUATOR', TO_REVIEW, { first: 100 });
    const ours = all.portfoliosToReview.map((portfolio) => portfolio.id).filter((id) => order.includes(id));
    expect(ours).toEqual(order);
    const next = await data<{ portfoliosToReview: { id: string }[] }>('EVALUATOR', TO_REVIEW, { first: 2, after: order[0] });
    expect(next.portfoliosToReview.map((portfolio) => portfolio.id)).toEqual(order.slice(1));
  }, 60_000);

  it('another tenant reaches none of it: NOT_FOUND for every id, an empty queue', async () => {
    const { course, criteria } = await courseWithCriteria();
    const { enroll } = await data<{ enroll: { id: string } }>('LEARNER', ENROLL, { c: course.id });
    const file = await evidenceFile('LEARNER');
    const { submitEvidence } = await data<{ submitEvidence: { id: string } }>('LEARNER', SUBMIT, {
      e: enroll.id,
      c: criteria[0]!.id,
      files: [file],
    });

    expect(await asOther('EVALUATOR', PORTFOLIO, { id: enroll.id })).toEqual(refusal('portfolio', 'NOT_FOUND', 'Portfolio not found'));
    expect(await asOther('EVALUATOR', REVIEW, { id: submitEvidence.id, accept: true })).toEqual(
      refusal('reviewEvidence', 'NOT_FOUND', 'Evidence not found'),
    );
    expect(await asOther('EVALUATOR', JUDGE, { id: enroll.id, j: 'NOT_YET_COMPETENT' })).toEqual(
      refusal('judgePortfolio', 'NOT_FOUND', 'Portfolio not found'),
    );
    expect(await asOther('TENANT_ADMIN', SET_CRITERIA, { c: course.id, criteria: CRITERIA })).toEqual(
      refusal('setEvaluationCriteria', 'NOT_FOUND', 'Course not found'),
    );
    expect(await asOther('LEARNER', SUBMIT, { e: enroll.id, c: criteria[0]!.id, files: [file] })).toEqual(
      refusal('submitEvidence', 'NOT_FOUND', 'Portfolio not found'),
    );
    expect(await asOther('EVALUATOR', TO_REVIEW, { first: 100 })).toEqual({ data: { portfoliosToReview: [] } });
    // Its own learner's enrollment in its own course can name neither this tenant's criterion nor its file.
    const theirCourse = await createCompliantCourse(supergraph.db.database, other);
    const set = (await asOther('INSTRUCTOR', SET_CRITERIA, { c: theirCourse.id, criteria: CRITERIA })) as {
      data: { setEvaluationCriteria: { id: string }[] };
    };
    const theirs = (await asOther('LEARNER', ENROLL, { c: theirCourse.id })) as { data: { enroll: { id: string } } };
    const theirFile = await evidenceFile('LEARNER', 'suya.pdf', asOther);
    expect(await asOther('LEARNER', SUBMIT, { e: theirs.data.enroll.id, c: criteria[0]!.id, files: [theirFile] })).toEqual(
      refusal('submitEvidence', 'NOT_FOUND', 'Criterion not found'),
    );
    expect(await asOther('LEARNER', SUBMIT, { e: theirs.data.enroll.id, c: set.data.setEvaluationCriteria[0]!.id, files: [file] })).toEqual(
      refusal('submitEvidence', 'BAD_USER_INPUT', 'Invalid evidence', {
        issues: [{ field: 'fileIds.0', message: 'must be a READY EVIDENCE file you uploaded (createUpload, then completeUpload)' }],
      }),
    );
  }, 60_000);
});
