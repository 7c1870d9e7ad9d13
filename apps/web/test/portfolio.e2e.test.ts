import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildWebApp } from '@academy/devstack';
import { startSupergraph, type RunningSupergraph } from '@academy/testing';
import { DEMO, DEMO_PASSWORD, launchChromium, openApp, signIn } from './browser.js';

/**
 * The learner's evidence portfolio in a real browser (Debian's Chromium) on the whole stack, its
 * object storage included: a seeded learner whose portfolio still lacks evidence for a criterion
 * opens it, is told in words what is wrong before any file (none attached, a text file), uploads a
 * real PDF from disk through the file input (createUpload, the PUT to the storage, completeUpload),
 * submits it with a note and sees it listed as waiting for review. Then the API says the same: the
 * evidence SUBMITTED with that file and note, the file READY, and its bytes downloadable from the
 * URL the API and the page give, equal to the file on disk. An evaluator rejects it: the learner
 * reads why and submits again.
 */

interface Criterion {
  id: string;
  position: number;
  element: string;
}

interface CourseWithCriteria {
  id: string;
  title: string;
  evaluationCriteria: Criterion[];
}

interface Enrollment {
  id: string;
  status: string;
  learner: { email: string };
  portfolio: { id: string; judgement: string | null; evidence: { status: string; criterion: { id: string } }[] } | null;
}

const ENROLLMENT = 'id status learner { email } portfolio { id judgement evidence { status criterion { id } } }';

interface PortfolioEvidence {
  portfolio: {
    coverage: number;
    evidence: {
      id: string;
      status: string;
      note: string | null;
      criterion: { id: string };
      files: { id: string; name: string; contentType: string; byteSize: number; url: string }[];
    }[];
  };
}

/** A small, real one-page PDF ("Carta descriptiva") with a correct cross-reference table. */
function pdfDocument(): Buffer {
  const text = 'BT /F1 18 Tf 72 720 Td (Carta descriptiva de la sesion) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

describe("the learner's evidence portfolio in the web app (Chromium)", () => {
  let supergraph: RunningSupergraph;
  let browser: Browser;
  let directory: string;

  beforeAll(async () => {
    await buildWebApp(() => undefined);
    // A database of its own: evidence is written here.
    supergraph = await startSupergraph({ isolated: true });
    browser = await launchChromium();
    directory = await mkdtemp(path.join(os.tmpdir(), 'academy-portfolio-'));
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await supergraph?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('uploads a PDF from disk as evidence for a criterion without any, and the API has it READY with the same bytes', async () => {
    const origin = supergraph.origin;
    const admin = await supergraph.login(DEMO.tenantAdmin, DEMO_PASSWORD, 'demo');

    // Who has a portfolio awaiting evidence, from the API: an active enrollment in a course with
    // criteria, not judged COMPETENT, with a criterion that has no evidence at all. The demo
    // learner's own enrollments first, then the courses' enrollments as the tenant admin sees them.
    const pick = (course: CourseWithCriteria, enrollment: Enrollment) => {
      const portfolio = enrollment.portfolio;
      if (enrollment.status !== 'ACTIVE' || !portfolio || portfolio.judgement === 'COMPETENT') return null;
      const criterion = course.evaluationCriteria.find((candidate) =>
        portfolio.evidence.every((piece) => piece.criterion.id !== candidate.id),
      );
      return criterion ? { course, email: enrollment.learner.email, portfolioId: portfolio.id, criterion } : null;
    };
    const demoLearner = await supergraph.login(DEMO.learner, DEMO_PASSWORD, 'demo');
    const mine = await supergraph.request<{ me: { enrollments: (Enrollment & { course: CourseWithCriteria })[] } }>(
      `{ me { enrollments(status: ACTIVE) { ${ENROLLMENT} course { id title evaluationCriteria { id position element } } } } }`,
      { tenant: 'demo', token: demoLearner },
    );
    expect(mine.body.errors).toBeUndefined();
    let chosen = mine.body.data!.me.enrollments.map((enrollment) => pick(enrollment.course, enrollment)).find(Boolean) ?? null;
    if (!chosen) {
      const listed = await supergraph.request<{ courses: { edges: { node: CourseWithCriteria }[] } }>(
        '{ courses(first: 50, status: PUBLISHED) { edges { node { id title evaluationCriteria { id position element } } } } }',
        { tenant: 'demo', token: admin },
      );
      expect(listed.body.errors).toBeUndefined();
      const withCriteria = listed.body
        .data!.courses.edges.map((edge) => edge.node)
        .filter((course) => course.evaluationCriteria.length > 0);
      for (const course of withCriteria) {
        const enrollments = await supergraph.request<{ course: { enrollments: { edges: { node: Enrollment }[] } } }>(
          `query ($id: ID!) { course(id: $id) { enrollments(first: 20, status: ACTIVE) { edges { node { ${ENROLLMENT} } } } } }`,
          { tenant: 'demo', token: admin, variables: { id: course.id } },
        );
        expect(enrollments.body.errors).toBeUndefined();
        chosen = enrollments.body.data!.course.enrollments.edges.map(({ node }) => pick(course, node)).find(Boolean) ?? null;
        if (chosen) break;
      }
    }
    expect(chosen).not.toBeNull();
    const { course, email, portfolioId, criterion } = chosen!;
    const heading = `Criterio ${criterion.position}: ${criterion.element}`;

    const bytes = pdfDocument();
    const pdfPath = path.join(directory, 'carta-descriptiva.pdf');
    await writeFile(pdfPath, bytes);
    const textPath = path.join(directory, 'notas.txt');
    await writeFile(textPath, 'Notas de la sesión\n');
    const note = 'Carta descriptiva con actividades, tiempos y materiales';

    // The learner opens the portfolio where a notification links to.
    const app = await openApp(browser);
    const { page } = app;
    await signIn(page, origin, email);
    await page.goto(`${origin}/t/demo/#/portfolios/${portfolioId}`);
    await page.getByRole('heading', { name: 'Portafolio de evidencias', level: 1 }).waitFor();
    await page.getByText(course.title, { exact: true }).waitFor();
    const section = page.getByRole('region', { name: heading });
    expect(await section.getByTestId('criterion-state').textContent()).toBe('Sin evidencia');
    expect(await section.getByText('Todavía no hay evidencia para este criterio.').isVisible()).toBe(true);

    // Refusals in words: nothing attached; a file that cannot be evidence (then removed).
    await section.getByRole('button', { name: 'Enviar evidencia' }).click();
    expect(await section.getByRole('alert').textContent()).toBe('Adjunta al menos un archivo antes de enviar.');
    await section.getByLabel('Archivos de evidencia').setInputFiles(textPath);
    await section
      .getByRole('alert')
      .filter({ hasText: 'No se subió: El archivo «notas.txt» no es un PDF, una imagen PNG, JPEG o WebP ni un video MP4.' })
      .waitFor();
    await section.getByRole('button', { name: 'Quitar notas.txt' }).click();

    // The PDF from disk: uploaded to the storage and checked by the API, then submitted with a note.
    await section.getByLabel('Archivos de evidencia').setInputFiles(pdfPath);
    await section.getByRole('status').filter({ hasText: 'Listo para enviar' }).waitFor({ timeout: 30_000 });
    await section.getByLabel('Nota para el evaluador (opcional)').fill(note);
    await section.getByRole('button', { name: 'Enviar evidencia' }).click();

    // Listed as submitted: announced, the criterion waits for review, the file and note are shown.
    await page
      .getByRole('status')
      .filter({ hasText: `Evidencia enviada para el criterio ${criterion.position}. Un evaluador la revisará.` })
      .waitFor();
    await section
      .getByTestId('criterion-state')
      .filter({ hasText: /^En revisión$/ })
      .waitFor();
    const evidence = section.getByTestId('evidence');
    expect(await evidence.count()).toBe(1);
    expect(await evidence.getByText('Enviada, en revisión').isVisible()).toBe(true);
    expect(await evidence.getByText(note).isVisible()).toBe(true);
    const link = evidence.getByRole('link', { name: /^carta-descriptiva\.pdf/ });
    expect(await link.textContent()).toBe('carta-descriptiva.pdf');
    // No form for a criterion whose evidence waits.
    expect(await section.getByLabel('Archivos de evidencia').count()).toBe(0);
    await app.shot('portfolio');

    // The link the page gives downloads the very bytes.
    const linked = await fetch((await link.getAttribute('href'))!);
    expect(linked.status).toBe(200);
    expect(Buffer.from(await linked.arrayBuffer()).equals(bytes)).toBe(true);

    // The API: the evidence SUBMITTED with the note and the one file, READY, its bytes the same.
    const learner = await supergraph.login(email, DEMO_PASSWORD, 'demo');
    const { portfolio } = (
      await supergraph.request<PortfolioEvidence>(
        `query ($id: ID!) { portfolio(id: $id) { coverage evidence { id status note criterion { id }
           files { id name contentType byteSize url } } } }`,
        { tenant: 'demo', token: learner, variables: { id: portfolioId } },
      )
    ).body.data!;
    const submitted = portfolio.evidence.filter((piece) => piece.criterion.id === criterion.id);
    expect(submitted).toEqual([
      {
        id: expect.any(String),
        status: 'SUBMITTED',
        note,
        criterion: { id: criterion.id },
        files: [
          {
            id: expect.any(String),
            name: 'carta-descriptiva.pdf',
            contentType: 'application/pdf',
            byteSize: bytes.length,
            url: expect.any(String),
          },
        ],
      },
    ]);
    const file = submitted[0]!.files[0]!;
    const stored = await supergraph.request<{ file: { status: string; purpose: string; byteSize: number } }>(
      'query ($id: ID!) { file(id: $id) { status purpose byteSize } }',
      { tenant: 'demo', token: learner, variables: { id: file.id } },
    );
    expect(stored.body).toEqual({ data: { file: { status: 'READY', purpose: 'EVIDENCE', byteSize: bytes.length } } });
    const downloaded = await fetch(file.url);
    expect(downloaded.status).toBe(200);
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(bytes)).toBe(true);

    // An evaluator rejects it; after a reload the learner reads why and sends new evidence.
    const evaluator = await supergraph.login(DEMO.evaluator, DEMO_PASSWORD, 'demo');
    const comment = 'Falta indicar cómo se valoran los aprendizajes';
    const reviewed = await supergraph.request<{ reviewEvidence: { status: string } }>(
      'mutation ($id: ID!, $comment: String) { reviewEvidence(id: $id, accept: false, comment: $comment) { status } }',
      { tenant: 'demo', token: evaluator, variables: { id: submitted[0]!.id, comment } },
    );
    expect(reviewed.body).toEqual({ data: { reviewEvidence: { status: 'REJECTED' } } });
    await page.reload();
    await section
      .getByTestId('criterion-state')
      .filter({ hasText: /^Rechazada: envía otra$/ })
      .waitFor();
    expect(await section.getByText(comment).isVisible()).toBe(true);
    expect(await section.getByRole('heading', { name: 'Enviar una nueva evidencia' }).isVisible()).toBe(true);
    await section.getByLabel('Archivos de evidencia').setInputFiles(pdfPath);
    await section.getByRole('status').filter({ hasText: 'Listo para enviar' }).waitFor({ timeout: 30_000 });
    await section.getByRole('button', { name: 'Enviar evidencia' }).click();
    await section
      .getByTestId('criterion-state')
      .filter({ hasText: /^En revisión$/ })
      .waitFor();
    expect(await section.getByTestId('evidence').allTextContents()).toEqual([
      expect.stringMatching(/^Enviada, en revisión/),
      expect.stringContaining(comment),
    ]);

    // The course's id in the address leads to the same portfolio (the classroom's link).
    await page.goto(`${origin}/t/demo/#/portfolios/${course.id}`);
    await page.waitForURL(`${origin}/t/demo/#/portfolios/${portfolioId}`);
    await section
      .getByTestId('criterion-state')
      .filter({ hasText: /^En revisión$/ })
      .waitFor();
    expect(app.errors).toEqual([]);
    await app.context.close();
  }, 180_000);
});
