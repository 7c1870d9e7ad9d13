import type { Browser, Page } from 'playwright-core';
import { buildWebApp } from '@academy/devstack';
import { startSupergraph, type RunningSupergraph } from '@academy/testing';
import { DEMO, DEMO_PASSWORD, launchChromium, openApp, signIn, type AppPage } from './browser.js';

/**
 * The instructor's area in a real browser (Debian's Chromium) on the whole stack, with a database
 * of its own (the journey writes): the demo instructor creates a course, gives it two modules
 * with lessons, reorders them, writes its assessment and publishes it once publishing's rules
 * are met; the API then has exactly that course. Then a seeded course's analytics and its
 * learners, as the API lists them.
 */
const TITLE = 'Huertos de azotea para principiantes';
const VIDEO = 'https://videos.academia.mx/impermeabilizar-azotea.mp4';

interface Outline {
  course: {
    status: string;
    priceCents: number;
    currency: string;
    passingScore: number;
    competencyStandardCode: string | null;
    modules: { title: string; position: number; lessons: { title: string; position: number; durationMinutes: number; kind: string }[] }[];
    assessment: {
      questionCount: number;
      maxAttempts: number;
      questions: { prompt: string; kind: string; points: number; options: { text: string; correct: boolean }[] }[];
    } | null;
  } | null;
  solarpunkCompliance: { compliant: boolean; issues: { rule: string }[] };
}

interface LearnersPage {
  course: {
    analytics: { enrollmentCount: number };
    enrollments: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { node: { learner: { name: string }; progressPercent: number } }[];
    };
  };
}

type SavedAssessment = NonNullable<NonNullable<Outline['course']>['assessment']>;

/** The assessment editor shows exactly this assessment: each question, its options and which are correct. */
async function expectAssessmentShown(page: Page, assessment: SavedAssessment, course: { passingScore: number }) {
  const form = page.getByRole('form', { name: 'Evaluación final' });
  await form.getByRole('group', { name: 'Pregunta 1', exact: true }).getByLabel('Enunciado').waitFor();
  expect(await form.locator('fieldset.teach-question').count()).toBe(assessment.questions.length);
  for (const [index, question] of assessment.questions.entries()) {
    const group = form.getByRole('group', { name: `Pregunta ${index + 1}`, exact: true });
    expect(await group.getByLabel('Enunciado').inputValue()).toBe(question.prompt);
    expect(await group.getByLabel('Tipo de pregunta').inputValue()).toBe(question.kind);
    expect(await group.getByLabel('Puntos (1 a 100)').inputValue()).toBe(String(question.points));
    expect(await group.locator('.teach-option').count()).toBe(question.options.length);
    for (const [o, option] of question.options.entries()) {
      expect(await group.getByLabel(`Opción ${o + 1}`, { exact: true }).inputValue()).toBe(option.text);
      expect(await group.getByLabel(`Correcta: opción ${o + 1}`).isChecked()).toBe(option.correct);
    }
  }
  expect(await form.getByLabel('Intentos permitidos (1 a 10)').inputValue()).toBe(String(assessment.maxAttempts));
  expect(await form.getByLabel('Calificación mínima para aprobar (0 a 100)').inputValue()).toBe(String(course.passingScore));
}

describe('instructor journey in the web app (Chromium)', () => {
  let supergraph: RunningSupergraph;
  let browser: Browser;
  let app: AppPage;
  let page: Page;
  let token: string;

  /** The API as the demo instructor; its errors fail the test. */
  const api = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const answer = await supergraph.request<T>(query, { tenant: 'demo', token, variables });
    if (answer.body.errors?.length) throw new Error(JSON.stringify(answer.body.errors));
    return answer.body.data!;
  };

  beforeAll(async () => {
    await buildWebApp(() => undefined);
    supergraph = await startSupergraph({ isolated: true });
    browser = await launchChromium();
    token = await supergraph.login(DEMO.instructor, DEMO_PASSWORD, 'demo');
    app = await openApp(browser);
    page = app.page;
  }, 240_000);
  afterAll(async () => {
    await app?.context.close();
    await browser?.close();
    await supergraph?.close();
  });

  it('creates a course, writes two modules with lessons, reorders them, writes the assessment and publishes it', async () => {
    const taught = await api<{ me: { coursesTaught: { title: string; status: string }[] } }>('{ me { coursesTaught { title status } } }');
    await signIn(page, supergraph.origin, DEMO.instructor);
    await page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Enseñar' }).click();
    await page.getByRole('heading', { name: 'Enseñar', level: 1 }).waitFor();
    await page.getByTestId('taught-course').first().waitFor();
    expect(await page.locator('[data-testid="taught-course"] th').allTextContents()).toEqual(
      taught.me.coursesTaught.map((course) => course.title),
    );
    const STATUS: Record<string, string> = { DRAFT: 'Borrador', PUBLISHED: 'Publicado', ARCHIVED: 'Archivado' };
    expect(await page.locator('[data-testid="taught-course"] .badge').allTextContents()).toEqual(
      taught.me.coursesTaught.map((course) => STATUS[course.status]),
    );
    await app.shot('teach-courses');

    // A new course: its details and a first module with a first lesson (price in pesos).
    const create = page.getByRole('form', { name: 'Nuevo curso' });
    await create.getByLabel('Título', { exact: true }).fill(TITLE);
    await create.getByLabel('Descripción').fill('Diseña, instala y cuida un huerto en la azotea de tu casa o de tu cooperativa.');
    await create.getByLabel('Precio (en pesos, 0 si es gratis)').fill('450.50');
    await create.getByLabel('Estándar de competencia CONOCER (opcional)').fill('EC0217.01');
    await create.getByLabel('Comunidad').check();
    await create.getByLabel('Regeneración').check();
    await create.getByLabel('Título del módulo').fill('Preparar la azotea');
    await create.getByLabel('Título de la lección').fill('Medir la carga del techo');
    await create.getByLabel('Duración (minutos)').fill('30');
    await create.getByRole('button', { name: 'Crear curso' }).click();

    await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    const courseId = /#\/teach\/courses\/([^/?]+)$/.exec(page.url())![1]!;
    expect(await page.getByTestId('course-status').textContent()).toBe('Borrador');

    // A second module, empty: publishing says which module stops it, in words.
    const outline = page.getByRole('region', { name: 'Módulos y lecciones' });
    await outline.getByLabel('Título del nuevo módulo').fill('Sembrar y regar');
    await outline.getByRole('button', { name: 'Agregar módulo' }).click();
    await outline.getByRole('heading', { name: 'Módulo 2: Sembrar y regar' }).waitFor();
    await page.getByRole('button', { name: 'Publicar el curso' }).click();
    const refusal = page.getByTestId('publish-refusal');
    await refusal.waitFor();
    expect(await refusal.locator('li').allTextContents()).toEqual([
      'El módulo 2 («Sembrar y regar») no tiene lecciones: agrega al menos una o quítalo.',
    ]);
    expect(await page.getByTestId('course-status').textContent()).toBe('Borrador');

    // Lessons for both modules (the form stays open for the next one).
    const addLesson = async (module: string, lesson: { title: string; minutes: string; kind?: string; video?: string; body?: string }) => {
      const form = outline.getByRole('form', { name: `Nueva lección en «${module}»` });
      if ((await form.count()) === 0) await outline.getByRole('button', { name: `Agregar lección a «${module}»` }).click();
      await form.getByLabel('Título de la lección').fill(lesson.title);
      await form.getByLabel('Duración (minutos)').fill(lesson.minutes);
      if (lesson.kind) await form.getByLabel('Tipo de lección').selectOption({ label: lesson.kind });
      if (lesson.video) await form.getByLabel('Dirección del video').fill(lesson.video);
      if (lesson.body) await form.getByLabel('Contenido (Markdown)').fill(lesson.body);
      await form.getByRole('button', { name: 'Agregar la lección' }).click();
      await outline.locator('.teach-lesson-title', { hasText: lesson.title }).waitFor();
    };
    await addLesson('Sembrar y regar', {
      title: 'Elegir semillas nativas',
      minutes: '25',
      body: '## Semillas\n\nConsigue semillas **nativas** de tu región.',
    });
    await addLesson('Sembrar y regar', { title: 'Riego por goteo', minutes: '20', kind: 'Práctica' });
    await addLesson('Preparar la azotea', { title: 'Impermeabilizar', minutes: '40', kind: 'Video', video: VIDEO });
    while ((await outline.getByRole('button', { name: 'Cerrar' }).count()) > 0)
      await outline.getByRole('button', { name: 'Cerrar' }).first().click();

    // Reorder: the second module up with the mouse; a lesson up with the keyboard. The focus stays on the part moved.
    await outline.getByRole('button', { name: 'Subir el módulo «Sembrar y regar»' }).click();
    await outline.getByRole('heading', { name: 'Módulo 1: Sembrar y regar' }).waitFor();
    // At the top its Up button is disabled: the focus is on its Down button.
    await outline.getByRole('button', { name: 'Bajar el módulo «Sembrar y regar»' }).and(page.locator(':focus')).waitFor();
    await outline.getByRole('button', { name: 'Subir la lección «Impermeabilizar»' }).focus();
    await page.keyboard.press('Enter');
    await outline.getByRole('button', { name: 'Subir la lección «Impermeabilizar»' }).and(page.locator(':disabled')).waitFor();
    await outline.getByRole('button', { name: 'Bajar la lección «Impermeabilizar»' }).and(page.locator(':focus')).waitFor();
    const shown = async () => {
      const modules = outline.getByTestId('outline-module');
      const seen: { module: string | null; lessons: string[] }[] = [];
      for (let index = 0; index < (await modules.count()); index += 1)
        seen.push({
          module: await modules.nth(index).locator('h3').textContent(),
          lessons: await modules.nth(index).locator('.teach-lesson-title').allTextContents(),
        });
      return seen;
    };
    expect(await shown()).toEqual([
      { module: 'Módulo 1: Sembrar y regar', lessons: ['Elegir semillas nativas', 'Riego por goteo'] },
      { module: 'Módulo 2: Preparar la azotea', lessons: ['Impermeabilizar', 'Medir la carga del techo'] },
    ]);

    // The assessment: a single-choice question with three options and a true-or-false one.
    const assessment = page.getByRole('form', { name: 'Evaluación final' });
    const first = assessment.getByRole('group', { name: 'Pregunta 1', exact: true });
    await first.getByLabel('Enunciado').fill('¿Qué conviene medir antes de instalar un huerto en la azotea?');
    await first.getByLabel('Opción 1', { exact: true }).fill('El color de las macetas');
    await first.getByLabel('Opción 2', { exact: true }).fill('La carga que soporta el techo');
    await first.getByRole('button', { name: 'Agregar opción a la pregunta 1' }).click();
    await first.getByLabel('Opción 3', { exact: true }).fill('La marca de la manguera');
    await first.getByLabel('Correcta: opción 2').check();
    await assessment.getByRole('button', { name: 'Agregar pregunta' }).click();
    const second = assessment.getByRole('group', { name: 'Pregunta 2', exact: true });
    await second.getByLabel('Enunciado').fill('El riego por goteo ahorra agua.');
    await second.getByLabel('Tipo de pregunta').selectOption({ label: 'Verdadero o falso' });
    await second.getByLabel('Puntos (1 a 100)').fill('2');
    expect(await second.getByLabel('Correcta: opción 1').isChecked()).toBe(true);
    await assessment.getByLabel('Calificación mínima para aprobar (0 a 100)').fill('80');
    await assessment.getByRole('button', { name: 'Guardar la evaluación' }).click();
    await assessment.getByText('Evaluación guardada: 2 preguntas, 3 intentos.').waitFor();

    // Published now: nothing stands in the way.
    await page.getByRole('button', { name: 'Publicar el curso' }).click();
    await page.getByTestId('course-status').getByText('Publicado').waitFor();
    await page.getByRole('status').getByText('Curso publicado.').waitFor();
    expect(await refusal.count()).toBe(0);

    // The API has exactly that course, in that order; the compliance panel says what the API says.
    const saved = await api<Outline>(
      `query ($id: ID!) {
        course(id: $id) {
          status priceCents currency passingScore competencyStandardCode
          modules { title position lessons { title position durationMinutes kind } }
          assessment { questionCount maxAttempts questions { prompt kind points options { text correct } } }
        }
        solarpunkCompliance(courseId: $id) { compliant issues { rule } }
      }`,
      { id: courseId },
    );
    expect(saved.course).toEqual({
      status: 'PUBLISHED',
      priceCents: 45050,
      currency: 'MXN',
      passingScore: 80,
      competencyStandardCode: 'EC0217.01',
      modules: [
        {
          title: 'Sembrar y regar',
          position: 1,
          lessons: [
            { title: 'Elegir semillas nativas', position: 1, durationMinutes: 25, kind: 'READING' },
            { title: 'Riego por goteo', position: 2, durationMinutes: 20, kind: 'PRACTICE' },
          ],
        },
        {
          title: 'Preparar la azotea',
          position: 2,
          lessons: [
            { title: 'Impermeabilizar', position: 1, durationMinutes: 40, kind: 'VIDEO' },
            { title: 'Medir la carga del techo', position: 2, durationMinutes: 30, kind: 'READING' },
          ],
        },
      ],
      assessment: {
        questionCount: 2,
        maxAttempts: 3,
        questions: [
          {
            prompt: '¿Qué conviene medir antes de instalar un huerto en la azotea?',
            kind: 'SINGLE_CHOICE',
            points: 1,
            options: [
              { text: 'El color de las macetas', correct: false },
              { text: 'La carga que soporta el techo', correct: true },
              { text: 'La marca de la manguera', correct: false },
            ],
          },
          {
            prompt: 'El riego por goteo ahorra agua.',
            kind: 'TRUE_FALSE',
            points: 2,
            options: [
              { text: 'Verdadero', correct: true },
              { text: 'Falso', correct: false },
            ],
          },
        ],
      },
    });
    await page
      .getByTestId('compliance-state')
      .getByText(saved.solarpunkCompliance.compliant ? 'Cumple' : 'Aún no cumple')
      .waitFor();
    await app.shot('teach-authoring');

    // Read again: the editor starts from the saved assessment (its questions, answers and settings).
    await page.reload();
    await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    await expectAssessmentShown(page, saved.course!.assessment!, { passingScore: 80 });

    // Learners find it in the catalogue.
    const learner = await supergraph.login(DEMO.learner, DEMO_PASSWORD, 'demo');
    const catalogue = await supergraph.request<{ courses: { edges: { node: { id: string; title: string } }[] } }>(
      'query ($search: String) { courses(first: 5, search: $search, status: PUBLISHED) { edges { node { id title } } } }',
      { tenant: 'demo', token: learner, variables: { search: TITLE } },
    );
    expect(catalogue.body.data!.courses.edges.map(({ node }) => node)).toContainEqual({ id: courseId, title: TITLE });
    expect(app.errors).toEqual([]);
  }, 180_000);

  it('shows a seeded course’s analytics and its learners, page by page as the API pages them', async () => {
    const taught = await api<{ me: { coursesTaught: { id: string; title: string; enrollmentCount: number }[] } }>(
      '{ me { coursesTaught { id title enrollmentCount } } }',
    );
    const course = [...taught.me.coursesTaught].sort((a, b) => b.enrollmentCount - a.enrollmentCount)[0]!;
    expect(course.enrollmentCount).toBeGreaterThan(0);
    const learnersPage = (first: number, after: string | null) =>
      api<LearnersPage>(
        `query ($id: ID!, $first: Int, $after: String) {
          course(id: $id) {
            analytics { enrollmentCount }
            enrollments(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { learner { name } progressPercent } } }
          }
        }`,
        { id: course.id, first, after },
      );
    const firstPage = await learnersPage(10, null);

    await page.goto(`${supergraph.origin}/t/demo/#/teach`);
    await page.getByRole('link', { name: `Analítica de «${course.title}»` }).click();
    await page.getByRole('heading', { name: `Analítica: ${course.title}`, level: 1 }).waitFor();
    expect(await page.getByTestId('figure-enrollments').textContent()).toBe(String(firstPage.course.analytics.enrollmentCount));
    const learners = page.getByRole('region', { name: 'Estudiantes y su avance' });
    await learners.getByTestId('learner-row').first().waitFor();
    const names = () => learners.locator('[data-testid="learner-row"] th').allTextContents();
    const expectPage = async (expected: LearnersPage) => {
      expect(await names()).toEqual(expected.course.enrollments.edges.map(({ node }) => node.learner.name));
      const [top] = expected.course.enrollments.edges;
      expect(
        await learners
          .getByRole('progressbar', { name: `Avance de ${top!.node.learner.name}` })
          .first()
          .getAttribute('value'),
      ).toBe(String(top!.node.progressPercent));
    };
    /** Until the list shows that page (the pager's buttons are disabled while it loads). */
    const showing = async (expected: LearnersPage) => {
      const wanted = JSON.stringify(expected.course.enrollments.edges.map(({ node }) => node.learner.name));
      for (let tries = 0; tries < 100 && JSON.stringify(await names()) !== wanted; tries += 1) await page.waitForTimeout(100);
    };
    await expectPage(firstPage);
    await learners.getByText(`${firstPage.course.enrollments.totalCount} inscripciones`).waitFor();
    // The charts: their own chunk, drawn once it arrives.
    await page.locator('.teach-charts svg.recharts-surface').first().waitFor();
    await app.shot('teach-analytics');

    const pager = learners.getByRole('navigation', { name: 'Páginas de estudiantes' });
    expect(await pager.getByRole('button', { name: 'Siguientes' }).isDisabled()).toBe(!firstPage.course.enrollments.pageInfo.hasNextPage);

    // Three a page (the link keeps the size): every page by its cursor, as the API pages them, then back.
    await page.goto(`${supergraph.origin}/t/demo/#/teach/courses/${course.id}/analytics?first=3`);
    const pages = [await learnersPage(3, null)];
    while (pages[pages.length - 1]!.course.enrollments.pageInfo.hasNextPage)
      pages.push(await learnersPage(3, pages[pages.length - 1]!.course.enrollments.pageInfo.endCursor));
    expect(pages.length).toBeGreaterThan(1);
    await showing(pages[0]!);
    await expectPage(pages[0]!);
    expect(await pager.getByRole('button', { name: 'Anteriores' }).isDisabled()).toBe(true);
    for (const next of pages.slice(1)) {
      await pager.getByRole('button', { name: 'Siguientes' }).click();
      await showing(next);
      await expectPage(next);
    }
    expect(await pager.getByRole('button', { name: 'Siguientes' }).isDisabled()).toBe(true);
    await pager.getByRole('button', { name: 'Anteriores' }).click();
    await showing(pages[pages.length - 2]!);
    await expectPage(pages[pages.length - 2]!);
    expect(app.errors).toEqual([]);
  }, 120_000);
  it('lets the tenant admin open a course they do not teach: its outline and assessment as the API has them', async () => {
    const adminToken = await supergraph.login(DEMO.tenantAdmin, DEMO_PASSWORD, 'demo');
    const asAdmin = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const answer = await supergraph.request<T>(query, { tenant: 'demo', token: adminToken, variables });
      if (answer.body.errors?.length) throw new Error(JSON.stringify(answer.body.errors));
      return answer.body.data!;
    };
    const listed = await asAdmin<{
      me: { id: string; coursesTaught: { id: string }[] };
      courses: { edges: { node: { id: string; instructor: { id: string } } }[] };
    }>('{ me { id coursesTaught { id } } courses(first: 50) { edges { node { id instructor { id } } } } }');
    const theirs = new Set(listed.me.coursesTaught.map((course) => course.id));
    const candidates = listed.courses.edges
      .map(({ node }) => node)
      .filter((node) => node.instructor.id !== listed.me.id && !theirs.has(node.id));
    type Authored = {
      course: {
        id: string;
        title: string;
        status: string;
        passingScore: number;
        modules: { title: string; lessons: { title: string }[] }[];
        assessment: SavedAssessment | null;
      };
    };
    const read = (id: string) =>
      asAdmin<Authored>(
        `query ($id: ID!) {
          course(id: $id) {
            id title status passingScore
            modules { title lessons { title } }
            assessment { questionCount maxAttempts questions { prompt kind points options { text correct } } }
          }
        }`,
        { id },
      );
    // A seeded course of someone else with lessons, one with an assessment if there is one.
    const courses = (await Promise.all(candidates.map((candidate) => read(candidate.id)))).map((answer) => answer.course);
    const withLessons = courses.filter((course) => course.modules.some((module) => module.lessons.length > 0));
    const course = withLessons.find((one) => one.assessment && one.assessment.questions.length > 0) ?? withLessons[0]!;
    expect(course).toBeDefined();

    const adminApp = await openApp(browser);
    try {
      const adminPage = adminApp.page;
      await signIn(adminPage, supergraph.origin, DEMO.tenantAdmin);
      await adminPage.goto(`${supergraph.origin}/t/demo/#/teach/courses/${course.id}`);
      await adminPage.getByRole('heading', { name: course.title, level: 1 }).waitFor();
      const STATUS: Record<string, string> = { DRAFT: 'Borrador', PUBLISHED: 'Publicado', ARCHIVED: 'Archivado' };
      expect(await adminPage.getByTestId('course-status').textContent()).toBe(STATUS[course.status]);
      const outline = adminPage.getByRole('region', { name: 'Módulos y lecciones' });
      const modules = outline.getByTestId('outline-module');
      await modules.first().waitFor();
      const shown: { module: string | null; lessons: string[] }[] = [];
      for (let index = 0; index < (await modules.count()); index += 1)
        shown.push({
          module: await modules.nth(index).locator('h3').textContent(),
          lessons: await modules.nth(index).locator('.teach-lesson-title').allTextContents(),
        });
      expect(shown).toEqual(
        course.modules.map((module, index) => ({
          module: `Módulo ${index + 1}: ${module.title}`,
          lessons: module.lessons.map((lesson) => lesson.title),
        })),
      );
      if (course.assessment && course.assessment.questions.length > 0) await expectAssessmentShown(adminPage, course.assessment, course);
      await adminApp.shot('teach-authoring-admin');
      expect(adminApp.errors).toEqual([]);
    } finally {
      await adminApp.context.close();
    }
  }, 120_000);
});
