import {
  asPersonaOf,
  createTenant,
  putUpload,
  SAMPLE_PNG as PNG,
  startSupergraph,
  type RunningSupergraph,
  type TestTenant,
  type UploadTicketResponse as Ticket,
} from '@academy/testing';

const CREATE = `mutation($input: CreateCourseInput!) { createCourse(input: $input) { id durationMinutes category archivedAt
  modules { id lessons { id kind body videoUrl attachments { id } } } } }`;
const ADD_LESSON = `mutation($m: ID!, $input: NewLessonInput!) { addLesson(moduleId: $m, input: $input) {
  title kind durationMinutes body videoUrl attachments { id name contentType } } }`;
const UPDATE_LESSON =
  'mutation($id: ID!, $input: UpdateLessonInput!) { updateLesson(id: $id, input: $input) { kind body videoUrl attachments { id } } }';
const ADD_MODULE = 'mutation($c: ID!, $t: String!) { addModule(courseId: $c, input: { title: $t }) { id } }';
const PUBLISH = 'mutation($id: ID!) { publishCourse(id: $id) { status archivedAt } }';
const ARCHIVE = 'mutation($id: ID!) { archiveCourse(id: $id) { status archivedAt } }';
const UPDATE_COURSE = 'mutation($id: ID!, $input: UpdateCourseInput!) { updateCourse(id: $id, input: $input) { category } }';
const LESSONS = `query($id: ID!) { course(id: $id) { durationMinutes viewerEnrollment { status lastActivityAt }
  modules { lessons { title kind body videoUrl } } } }`;
const ENROLL = 'mutation($c: ID!) { enroll(courseId: $c) { id lastActivityAt } }';
const COMPLETE = 'mutation($e: ID!, $l: ID!) { completeLesson(enrollmentId: $e, lessonId: $l) { lastActivityAt } }';
const CREATE_UPLOAD = `mutation ($purpose: UploadPurpose!, $fileName: String!, $contentType: String!, $byteSize: Int!) {
  createUpload(purpose: $purpose, fileName: $fileName, contentType: $contentType, byteSize: $byteSize) { file { id } uploadUrl headers expiresAt } }`;
const COMPLETE_UPLOAD = 'mutation ($id: ID!) { completeUpload(id: $id) { status } }';

const MARKDOWN = '# Paneles\n\nUn panel **fotovoltaico** convierte luz en electricidad.\n\n<script>alert(1)</script>';

const invalidLesson = (path: string, issues: { field: string; message: string }[]) => ({
  data: null,
  errors: [{ message: 'Invalid lesson', path: [path], extensions: { code: 'BAD_USER_INPUT', issues } }],
});

/** What a lesson holds (kind, Markdown, video, attachments), who reads it, and what publishing asks of a course. */
describe('lesson content and publishing (through the gateway)', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let other: TestTenant;
  let as: ReturnType<typeof asPersonaOf>;
  let asOther: ReturnType<typeof asPersonaOf>;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    fixture = await createTenant(supergraph.db.database);
    other = await createTenant(supergraph.db.database);
    as = asPersonaOf(supergraph, fixture);
    asOther = asPersonaOf(supergraph, other);
  }, 60_000);
  afterAll(() => supergraph?.close());

  const anonymous = async (query: string, variables: Record<string, unknown>) =>
    (await supergraph.request(query, { tenant: fixture.tenant.slug, variables })).body;

  /** A READY file of this purpose, uploaded by the instructor of `tenant`. */
  const uploaded = async (purpose: string, person = as): Promise<string> => {
    const created = await person<{ createUpload: Ticket }>('INSTRUCTOR', CREATE_UPLOAD, {
      purpose,
      fileName: 'diagrama.png',
      contentType: 'image/png',
      byteSize: PNG.length,
    });
    const ticket = created.data!.createUpload;
    expect((await putUpload(ticket, PNG)).status).toBe(200);
    expect(await person('INSTRUCTOR', COMPLETE_UPLOAD, { id: ticket.file.id })).toEqual({ data: { completeUpload: { status: 'READY' } } });
    return ticket.file.id;
  };

  const newCourse = async (title: string) =>
    (
      await as<{ createCourse: { id: string; modules: { id: string; lessons: { id: string }[] }[] } }>('INSTRUCTOR', CREATE, {
        input: {
          title,
          description: 'Energía para la comunidad',
          priceCents: 0,
          modules: [{ title: 'Fundamentos', lessons: [{ title: 'Luz', durationMinutes: 20 }] }],
        },
      })
    ).data!.createCourse;

  it('a lesson has a kind, a Markdown body, an https video and attachments; its defaults are a plain reading', async () => {
    const created = await as('INSTRUCTOR', CREATE, {
      input: {
        title: 'Paneles solares',
        description: 'Energía para la comunidad',
        priceCents: 0,
        modules: [{ title: 'Fundamentos', lessons: [{ title: 'Luz', durationMinutes: 20 }] }],
      },
    });
    const course = (created.data as { createCourse: { id: string; modules: { id: string; lessons: { id: string }[] }[] } }).createCourse;
    expect(created).toEqual({
      data: {
        createCourse: {
          id: course.id,
          durationMinutes: 20,
          category: null,
          archivedAt: null,
          modules: [
            {
              id: course.modules[0]!.id,
              lessons: [{ id: course.modules[0]!.lessons[0]!.id, kind: 'READING', body: null, videoUrl: null, attachments: [] }],
            },
          ],
        },
      },
    });
    const diagram = await uploaded('LESSON_ATTACHMENT');
    const added = await as('INSTRUCTOR', ADD_LESSON, {
      m: course.modules[0]!.id,
      input: {
        title: 'Instalación',
        durationMinutes: 45,
        kind: 'VIDEO',
        body: MARKDOWN,
        videoUrl: 'https://video.example.mx/paneles?t=30',
        attachmentFileIds: [diagram],
      },
    });
    expect(added).toEqual({
      data: {
        addLesson: {
          title: 'Instalación',
          kind: 'VIDEO',
          durationMinutes: 45,
          body: MARKDOWN,
          videoUrl: 'https://video.example.mx/paneles?t=30',
          attachments: [{ id: diagram, name: 'diagrama.png', contentType: 'image/png' }],
        },
      },
    });
    expect((await as('INSTRUCTOR', LESSONS, { id: course.id })).data).toMatchObject({ course: { durationMinutes: 65 } });

    // Empty strings clear; an empty list removes the attachments.
    const lessonId = course.modules[0]!.lessons[0]!.id;
    expect(
      await as('INSTRUCTOR', UPDATE_LESSON, {
        id: lessonId,
        input: { kind: 'PRACTICE', body: 'Mide tu consumo', attachmentFileIds: [diagram] },
      }),
    ).toEqual({
      data: { updateLesson: { kind: 'PRACTICE', body: 'Mide tu consumo', videoUrl: null, attachments: [{ id: diagram }] } },
    });
    expect(await as('INSTRUCTOR', UPDATE_LESSON, { id: lessonId, input: { body: '  ', attachmentFileIds: [] } })).toEqual({
      data: { updateLesson: { kind: 'PRACTICE', body: null, videoUrl: null, attachments: [] } },
    });
  });

  it('refuses what is not a lesson: every problem at once, wrong files, another tenant’s file', async () => {
    const course = await newCourse('Biodigestores');
    const moduleId = course.modules[0]!.id;
    expect(
      await as('INSTRUCTOR', ADD_LESSON, {
        m: moduleId,
        input: { title: ' ', durationMinutes: 0, videoUrl: 'http://video.example.mx/x', body: 'x'.repeat(100_001) },
      }),
    ).toEqual(
      invalidLesson('addLesson', [
        { field: 'title', message: 'must be 1 to 160 characters' },
        { field: 'durationMinutes', message: 'must be 1 to 1440' },
        { field: 'body', message: 'must be at most 100000 characters' },
        { field: 'videoUrl', message: 'must be an https URL of at most 2000 characters' },
      ]),
    );
    for (const videoUrl of ['javascript:alert(1)', 'https://usuario:clave@video.example.mx/', 'video.example.mx/x'])
      expect(await as('INSTRUCTOR', UPDATE_LESSON, { id: course.modules[0]!.lessons[0]!.id, input: { videoUrl } })).toEqual(
        invalidLesson('updateLesson', [{ field: 'videoUrl', message: 'must be an https URL of at most 2000 characters' }]),
      );

    const fileMessage = 'must be READY LESSON_ATTACHMENT files of this academy (createUpload, then completeUpload)';
    const avatar = await uploaded('AVATAR');
    const theirs = await uploaded('LESSON_ATTACHMENT', asOther);
    const lessonId = course.modules[0]!.lessons[0]!.id;
    for (const ids of [[avatar], [theirs], ['00000000-0000-4000-8000-000000000000'], ['no-es-un-id']])
      expect(await as('INSTRUCTOR', UPDATE_LESSON, { id: lessonId, input: { attachmentFileIds: ids } })).toEqual(
        invalidLesson('updateLesson', [{ field: 'attachmentFileIds', message: fileMessage }]),
      );
    const mine = await uploaded('LESSON_ATTACHMENT');
    expect(await as('INSTRUCTOR', UPDATE_LESSON, { id: lessonId, input: { attachmentFileIds: [mine, mine] } })).toEqual(
      invalidLesson('updateLesson', [{ field: 'attachmentFileIds', message: 'must name each file once' }]),
    );
    // Nothing of the refused edits was kept.
    expect((await as('INSTRUCTOR', LESSONS, { id: course.id })).data).toEqual({
      course: {
        durationMinutes: 20,
        viewerEnrollment: null,
        modules: [{ lessons: [{ title: 'Luz', kind: 'READING', body: null, videoUrl: null }] }],
      },
    });
  });

  it('publishing lists every problem at once; fixed, it publishes; archiving keeps learners and is undone by publishing', async () => {
    const course = await newCourse('Captación pluvial');
    const empty = (await as<{ addModule: { id: string } }>('INSTRUCTOR', ADD_MODULE, { c: course.id, t: 'Cisternas' })).data!.addModule.id;
    await as('INSTRUCTOR', ADD_LESSON, { m: course.modules[0]!.id, input: { title: 'Recorrido', durationMinutes: 5, kind: 'VIDEO' } });
    expect(await as('INSTRUCTOR', PUBLISH, { id: course.id })).toEqual({
      data: null,
      errors: [
        {
          message: 'The course cannot be published yet',
          path: ['publishCourse'],
          extensions: {
            code: 'BAD_USER_INPUT',
            issues: [
              { field: 'modules.1.lessons.2.videoUrl', message: '"Recorrido" is a VIDEO lesson without a video URL' },
              { field: 'modules.2', message: '"Cisternas" has no lesson' },
            ],
          },
        },
      ],
    });
    await as('INSTRUCTOR', ADD_LESSON, {
      m: empty,
      input: { title: 'Filtros', durationMinutes: 10, videoUrl: 'https://video.example.mx/f' },
    });
    const recorrido = (await as<{ course: { modules: { lessons: { title: string }[] }[] } }>('INSTRUCTOR', LESSONS, { id: course.id }))
      .data!;
    expect(recorrido.course.modules.map((module) => module.lessons.map((lesson) => lesson.title))).toEqual([
      ['Luz', 'Recorrido'],
      ['Filtros'],
    ]);
    const withVideo = await supergraph.db.database
      .forTenant(fixture.tenant.id)
      .run((tx) => tx.lesson.findFirstOrThrow({ where: { courseId: course.id, title: 'Recorrido' } }));
    await as('INSTRUCTOR', UPDATE_LESSON, { id: withVideo.id, input: { videoUrl: 'https://video.example.mx/r' } });
    expect(await as('INSTRUCTOR', PUBLISH, { id: course.id })).toEqual({
      data: { publishCourse: { status: 'PUBLISHED', archivedAt: null } },
    });
    // Published, it stays publishable: a VIDEO lesson keeps its video.
    const noVideo = invalidLesson('updateLesson', [
      { field: 'videoUrl', message: 'a VIDEO lesson of a published course needs its video URL' },
    ]);
    expect(await as('INSTRUCTOR', UPDATE_LESSON, { id: withVideo.id, input: { videoUrl: '' } })).toEqual(noVideo);
    expect(await as('INSTRUCTOR', UPDATE_LESSON, { id: course.modules[0]!.lessons[0]!.id, input: { kind: 'VIDEO' } })).toEqual(noVideo);

    expect(await as('INSTRUCTOR', UPDATE_COURSE, { id: course.id, input: { category: '  Agua   y suelo ' } })).toEqual({
      data: { updateCourse: { category: 'Agua y suelo' } },
    });
    expect(await as('INSTRUCTOR', UPDATE_COURSE, { id: course.id, input: { category: 'x'.repeat(61) } })).toEqual({
      data: null,
      errors: [
        {
          message: 'Invalid course',
          path: ['updateCourse'],
          extensions: { code: 'BAD_USER_INPUT', issues: [{ field: 'category', message: 'must be at most 60 characters' }] },
        },
      ],
    });

    const archived = (await as<{ archiveCourse: { status: string; archivedAt: string } }>('INSTRUCTOR', ARCHIVE, { id: course.id })).data!
      .archiveCourse;
    expect(archived.status).toBe('ARCHIVED');
    expect(Date.now() - new Date(archived.archivedAt).getTime()).toBeLessThan(60_000);
    expect(await as('INSTRUCTOR', PUBLISH, { id: course.id })).toEqual({
      data: { publishCourse: { status: 'PUBLISHED', archivedAt: null } },
    });
  });

  it('a lesson’s body is for its learners, its instructor and staff; the outline is everyone’s; activity is recorded (the course is still to be graded)', async () => {
    const course = await newCourse('Compostaje');
    const lessonId = course.modules[0]!.lessons[0]!.id;
    await as('INSTRUCTOR', UPDATE_LESSON, { id: lessonId, input: { body: MARKDOWN } });
    await as('INSTRUCTOR', PUBLISH, { id: course.id });
    const outline = { title: 'Luz', kind: 'READING', videoUrl: null };
    const seen = (body: string | null, viewerEnrollment: unknown = null) => ({
      data: { course: { durationMinutes: 20, viewerEnrollment, modules: [{ lessons: [{ ...outline, body }] }] } },
    });
    expect(await anonymous(LESSONS, { id: course.id })).toEqual(seen(null));
    expect(await as('LEARNER', LESSONS, { id: course.id })).toEqual(seen(null));
    expect(await as('INSTRUCTOR', LESSONS, { id: course.id })).toEqual(seen(MARKDOWN));
    expect(await as('EVALUATOR', LESSONS, { id: course.id })).toEqual(seen(MARKDOWN));
    expect(await as('TENANT_ADMIN', LESSONS, { id: course.id })).toEqual(seen(MARKDOWN));
    // Another tenant does not find the course at all.
    expect((await asOther('TENANT_ADMIN', LESSONS, { id: course.id })).errors).toMatchObject([{ extensions: { code: 'NOT_FOUND' } }]);

    const enrolled = (await as<{ enroll: { id: string; lastActivityAt: string | null } }>('LEARNER', ENROLL, { c: course.id })).data!
      .enroll;
    expect(enrolled.lastActivityAt).toBeNull();
    expect(await as('LEARNER', LESSONS, { id: course.id })).toEqual(seen(MARKDOWN, { status: 'ACTIVE', lastActivityAt: null }));
    const before = Date.now();
    const completed = (await as<{ completeLesson: { lastActivityAt: string } }>('LEARNER', COMPLETE, { e: enrolled.id, l: lessonId })).data!
      .completeLesson;
    expect(new Date(completed.lastActivityAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await as('LEARNER', LESSONS, { id: course.id })).toEqual(
      seen(MARKDOWN, { status: 'ACTIVE', lastActivityAt: completed.lastActivityAt }),
    );
  });
});
