import { buildCurp } from '@academy/curp';
import type { Browser } from 'playwright-core';
import { buildWebApp } from '@academy/devstack';
import { startSupergraph, type RunningSupergraph } from '@academy/testing';
import { DEMO, DEMO_PASSWORD, launchChromium, openApp } from './browser.js';

/**
 * A new learner's whole way through the app in Chromium, on the real stack (workers, the payment
 * sandbox speaking Stripe's API, the CONOCER sandbox): signs up, finds a paid course, pays it on
 * the provider's page and comes back to the order, which turns PAID live; takes every lesson,
 * passes the graded assessment, gives their CURP and watches CONOCER approve the certificate
 * without a reload. Then the API says the same: one PAID order, a COMPLETED enrollment, APPROVED.
 */
interface CatalogueCourse {
  id: string;
  slug: string;
  title: string;
  priceCents: number;
  currency: string;
  competencyStandardCode: string | null;
  evaluationCriteria: { id: string }[];
  modules: { lessons: { id: string }[] }[];
}

const QUESTIONS = [
  {
    prompt: '¿De dónde toma su energía un sistema fotovoltaico?',
    kind: 'SINGLE_CHOICE',
    points: 2,
    options: [
      { text: 'De la radiación solar', correct: true },
      { text: 'Del viento', correct: false },
      { text: 'Del gas natural', correct: false },
    ],
  },
  {
    prompt: 'Antes de trabajar en un tablero se corta la energía.',
    kind: 'TRUE_FALSE',
    points: 1,
    options: [
      { text: 'Verdadero', correct: true },
      { text: 'Falso', correct: false },
    ],
  },
  {
    prompt: '¿Qué equipos son de protección personal?',
    kind: 'MULTIPLE_CHOICE',
    points: 2,
    options: [
      { text: 'Guantes dieléctricos', correct: true },
      { text: 'Casco', correct: true },
      { text: 'Sandalias', correct: false },
    ],
  },
];

describe('a learner buys, completes and certifies a course in the web app (Chromium)', () => {
  let supergraph: RunningSupergraph;
  let browser: Browser;
  let course: CatalogueCourse;

  beforeAll(async () => {
    await buildWebApp(() => undefined);
    // The payment provider's return URL leads back to this gateway's app; CONOCER decides fast.
    supergraph = await startSupergraph({
      isolated: true,
      appAtGateway: true,
      conocer: { sandbox: { reviewAfterMs: 300, decisionAfterMs: 800, approvalScore: 0 } },
    });
    browser = await launchChromium();

    // A paid course with a competency standard and no evaluation portfolio (CONOCER then needs
    // only the passed course), that passes the Solarpunk rules; its staff writes its assessment.
    const admin = await supergraph.login(DEMO.tenantAdmin, DEMO_PASSWORD, 'demo');
    const listed = await supergraph.request<{ courses: { edges: { node: CatalogueCourse }[] } }>(
      `{ courses(first: 50, status: PUBLISHED) { edges { node { id slug title priceCents currency competencyStandardCode
           evaluationCriteria { id } modules { lessons { id } } } } } }`,
      { tenant: 'demo', token: admin },
    );
    const candidates = listed.body
      .data!.courses.edges.map((edge) => edge.node)
      .filter((node) => node.priceCents > 0 && node.competencyStandardCode && node.evaluationCriteria.length === 0);
    for (const candidate of candidates) {
      const compliance = await supergraph.request<{ solarpunkCompliance: { compliant: boolean } }>(
        'query ($id: ID!) { solarpunkCompliance(courseId: $id) { compliant } }',
        { tenant: 'demo', token: admin, variables: { id: candidate.id } },
      );
      if (compliance.body.data?.solarpunkCompliance.compliant) {
        course = candidate;
        break;
      }
    }
    expect(course).toBeDefined();
    const assessment = await supergraph.request(
      'mutation ($id: ID!, $input: AssessmentInput!) { setCourseAssessment(courseId: $id, input: $input) { questionCount } }',
      { tenant: 'demo', token: admin, variables: { id: course.id, input: { questions: QUESTIONS, maxAttempts: 2 } } },
    );
    expect(assessment.body).toEqual({ data: { setCourseAssessment: { questionCount: QUESTIONS.length } } });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await supergraph?.close();
  });

  it('signs up, pays by card on the provider page, takes the lessons and the assessment, and sees CONOCER approve live', async () => {
    const app = await openApp(browser);
    const { page } = app;
    const email = `compradora.${Date.now()}@example.mx`;
    const price = new Intl.NumberFormat('es-MX', { style: 'currency', currency: course.currency }).format(course.priceCents / 100);

    // Sign up from the sign-in page.
    await page.goto(`${supergraph.origin}/t/demo/`);
    await page.getByRole('link', { name: 'Crea una' }).click();
    await page.getByLabel('Nombre completo').fill('Renata Salgado Ibarra');
    await page.getByLabel('Correo electrónico').fill(email);
    await page.getByLabel('Contraseña').fill('corto');
    await page.getByRole('button', { name: 'Crear cuenta' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('La contraseña necesita al menos 10 caracteres.');
    await page.getByLabel('Contraseña').fill('renata-aprende-2026');
    await page.getByRole('button', { name: 'Crear cuenta' }).click();

    // The catalogue, the course page with its price, the card checkout.
    await page.getByRole('heading', { name: 'Catálogo de cursos' }).waitFor();
    await page.getByLabel('Buscar cursos').fill(course.title);
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.getByRole('link', { name: course.title }).click();
    await page.getByRole('heading', { name: course.title, level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Compra este curso' }).waitFor();
    await page.getByTestId('total').filter({ hasText: price }).waitFor();
    await app.shot('course-page');
    expect(await page.getByLabel('Tarjeta de crédito o débito').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Comprar' }).click();

    // The provider's hosted page (the payment sandbox), then back to the order in the app.
    await page.waitForURL((url: URL) => url.href.startsWith(supergraph.paymentsUrl));
    await page.getByRole('button', { name: 'Pagar' }).click();
    await page.waitForURL(/\/t\/demo\/#\/orders\//);
    await page
      .getByTestId('order-status')
      .filter({ hasText: /^Pagado$/ })
      .waitFor({ timeout: 30_000 });
    await app.shot('order-paid');
    await page.getByRole('link', { name: 'Ir al curso' }).click();

    // Every lesson, in order, then the assessment.
    await page.getByRole('heading', { name: course.title, level: 1 }).waitFor();
    const lessons = course.modules.flatMap((module) => module.lessons).length;
    for (let done = 1; done <= lessons; done += 1) {
      await page.getByRole('button', { name: 'Marcar como completada' }).click();
      await page
        .getByTestId('progress')
        .filter({ hasText: `${Math.round((done / lessons) * 100)} %` })
        .waitFor();
    }
    await app.shot('classroom');
    await page.getByRole('button', { name: 'Comenzar la evaluación' }).click();
    for (const question of QUESTIONS) {
      const group = page.getByRole('group', { name: new RegExp(`^${question.prompt.replace(/[?¿.]/g, '.')}`) });
      for (const option of question.options.filter((candidate) => candidate.correct)) await group.getByLabel(option.text).check();
    }
    await app.shot('assessment');
    await page.getByRole('button', { name: 'Enviar respuestas' }).click();
    await page.getByTestId('assessment-score').filter({ hasText: 'Tu calificación: 100 de 100' }).waitFor();
    // Still there once the course is completed (the classroom's end shows the grade too).
    await page.getByRole('heading', { name: '¡Terminaste el curso!' }).waitFor();
    expect(await page.getByText('Aprobaste. Tu certificado ya está en tu panel.').count()).toBe(1);
    expect(await page.getByTestId('assessment-score').textContent()).toBe('Tu calificación: 100 de 100');
    await page.getByRole('link', { name: 'Ver mis certificados' }).click();

    // The certificate on the dashboard: CONOCER asks for the CURP, then approves, live.
    const card = page.locator('li.certificate').filter({ has: page.getByRole('heading', { name: course.title }) });
    await card.locator('.badge', { hasText: /^Sin solicitar$/ }).waitFor();
    await card.getByRole('button', { name: 'Solicitar certificación CONOCER' }).click();
    await card.getByLabel('Tu CURP').fill('XXXX000000HDFXXX00');
    await card.getByRole('button', { name: 'Guardar y solicitar' }).click();
    expect(await card.getByRole('alert').textContent()).toBe('Revisa tu CURP: son 18 letras y números, como aparece en tu constancia.');
    const curp = buildCurp({
      givenNames: 'Renata',
      firstSurname: 'Salgado',
      secondSurname: 'Ibarra',
      birthDate: new Date(Date.UTC(1994, 6, 21)),
      sex: 'M',
      state: 'DF',
    });
    await card.getByLabel('Tu CURP').fill(curp);
    await card.getByRole('button', { name: 'Guardar y solicitar' }).click();
    try {
      await card.locator('.badge', { hasText: /^Aprobado$/ }).waitFor({ timeout: 45_000 });
    } finally {
      await app.shot('certificate-approved');
    }
    expect(app.errors).toEqual([]);

    // What the screens said is what the API says.
    const token = await supergraph.login(email, 'renata-aprende-2026', 'demo');
    const mine = await supergraph.request<{
      me: {
        curp: string;
        orders: { status: string; totalCents: number; course: { id: string } }[];
        enrollments: { status: string; finalScore: number; course: { id: string } }[];
        certificates: { conocerStatus: string; course: { id: string } }[];
      };
    }>(
      `{ me { curp orders { status totalCents course { id } } enrollments { status finalScore course { id } }
              certificates { conocerStatus course { id } } } }`,
      { tenant: 'demo', token },
    );
    expect(mine.body).toEqual({
      data: {
        me: {
          curp,
          orders: [{ status: 'PAID', totalCents: course.priceCents, course: { id: course.id } }],
          enrollments: [{ status: 'COMPLETED', finalScore: 100, course: { id: course.id } }],
          certificates: [{ conocerStatus: 'APPROVED', course: { id: course.id } }],
        },
      },
    });
    await app.context.close();
  }, 180_000);

  it('pays in cash at OXXO: the order shows the voucher the provider issued, pending until paid', async () => {
    const other = (
      await supergraph.request<{ courses: { edges: { node: { id: string; slug: string; title: string; priceCents: number } }[] } }>(
        '{ courses(first: 50, status: PUBLISHED) { edges { node { id slug title priceCents } } } }',
        { tenant: 'demo', token: await supergraph.login(DEMO.learner, DEMO_PASSWORD, 'demo') },
      )
    ).body
      .data!.courses.edges.map((edge) => edge.node)
      .find((node) => node.priceCents > 0 && node.id !== course.id);
    expect(other).toBeDefined();
    const app = await openApp(browser);
    const { page } = app;
    await page.goto(`${supergraph.origin}/t/demo/`);
    await page.getByRole('link', { name: 'Crea una' }).click();
    const email = `efectivo.${Date.now()}@example.mx`;
    await page.getByLabel('Nombre completo').fill('Joaquín Ortega Ruiz');
    await page.getByLabel('Correo electrónico').fill(email);
    await page.getByLabel('Contraseña').fill('joaquin-paga-en-efectivo');
    await page.getByRole('button', { name: 'Crear cuenta' }).click();
    await page.getByRole('heading', { name: 'Catálogo de cursos' }).waitFor();
    await page.goto(`${supergraph.origin}/t/demo/#/courses/${other!.slug}`);
    await page.getByLabel('Efectivo en OXXO').check();
    await page.getByRole('button', { name: 'Comprar' }).click();
    await page.getByRole('heading', { name: 'Paga en efectivo en cualquier OXXO' }).waitFor();
    expect(await page.getByTestId('order-status').textContent()).toBe('Esperando el pago');
    await app.shot('order-oxxo');

    const token = await supergraph.login(email, 'joaquin-paga-en-efectivo', 'demo');
    const orders = await supergraph.request<{
      me: { orders: { status: string; paymentMethod: string; totalCents: number; oxxo: { reference: string } | null }[] };
    }>('{ me { orders { status paymentMethod totalCents oxxo { reference } } } }', { tenant: 'demo', token });
    const [order] = orders.body.data!.me.orders;
    expect(orders.body.data!.me.orders).toEqual([
      { status: 'PENDING', paymentMethod: 'OXXO', totalCents: other!.priceCents, oxxo: { reference: expect.any(String) } },
    ]);
    expect(await page.getByTestId('oxxo-reference').textContent()).toBe(order!.oxxo!.reference);
    expect(app.errors).toEqual([]);
    await app.context.close();
  }, 90_000);
});
