import type { Browser } from 'playwright-core';
import { buildWebApp } from '@academy/devstack';
import { startSupergraph, type RunningSupergraph } from '@academy/testing';
import { DEMO, DEMO_PASSWORD, launchChromium, openApp, signIn } from './browser.js';

/**
 * The evaluator's journey in a real browser (Debian's Chromium), on the whole stack with the
 * workers (the learner's notifications are made by a notify job the outbox relay queues, and published live): the
 * seeded evaluator opens a portfolio whose every criterion waits for review, is refused
 * COMPETENT while nothing is accepted, accepts every piece of evidence and judges COMPETENT; the
 * API then says the same. The learner whose portfolio it was signs in: the bell shows the
 * EVIDENCE_REVIEWED and EVALUATION_DECIDED notifications, and one made while the page is open
 * (the evaluator confirms the judgement through the API) raises the count without a reload.
 */

/** The queue's page size in the app (apps/web/src/evaluator/PortfolioQueue.tsx): the portfolio is picked on its first page. */
const QUEUE_PAGE_SIZE = 10;
/** The bell's page size (apps/web/src/notifications/NotificationBell.tsx). */
const BELL_PAGE_SIZE = 8;

interface QueuedPortfolio {
  id: string;
  learner: { id: string; name: string };
  course: { title: string };
  evidence: { id: string; status: string; criterion: { id: string; element: string; position: number } }[];
  missingCriteria: { id: string }[];
}

interface JudgedPortfolio {
  portfolio: {
    judgement: string | null;
    judgedBy: { id: string } | null;
    coverage: number;
    missingCriteria: { id: string }[];
    evidence: { id: string; status: string; reviewer: { id: string } | null }[];
  };
}

interface Inbox {
  me: {
    notifications: {
      unreadCount: number;
      edges: { node: { id: string; kind: string; title: string; link: string | null; readAt: string | null } }[];
    };
  };
}

const INBOX = `query Inbox($first: Int!) { me { notifications(first: $first) {
  unreadCount edges { node { id kind title link readAt } } } } }`;

describe('evaluator area and notifications bell in the web app (Chromium)', () => {
  let supergraph: RunningSupergraph;
  let browser: Browser;

  beforeAll(async () => {
    await buildWebApp(() => undefined);
    // A database of its own (reviews and a judgement are written here) and the workers: without
    // the outbox relay no notification is made or published.
    supergraph = await startSupergraph({ isolated: true, conocer: {} });
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await supergraph?.close();
  });

  it('reviews every piece of evidence, judges COMPETENT, and the learner sees it in the bell, live', async () => {
    const origin = supergraph.origin;
    const evaluatorToken = await supergraph.login(DEMO.evaluator, DEMO_PASSWORD, 'demo');
    const asEvaluator = <T>(query: string, variables: Record<string, unknown> = {}) =>
      supergraph.request<T>(query, { tenant: 'demo', token: evaluatorToken, variables });

    // What the queue's first page holds, from the API; the portfolio whose every criterion waits.
    const queue = (
      await asEvaluator<{ me: { id: string; name: string }; portfoliosToReview: QueuedPortfolio[] }>(
        `query Queue($first: Int!) { me { id name } portfoliosToReview(first: $first) { id learner { id name } course { title }
           evidence { id status criterion { id element position } } missingCriteria { id } } }`,
        { first: QUEUE_PAGE_SIZE },
      )
    ).body.data!;
    const target = queue.portfoliosToReview.find(
      (portfolio) =>
        portfolio.evidence.length > 0 &&
        portfolio.evidence.every((evidence) => evidence.status === 'SUBMITTED') &&
        portfolio.missingCriteria.length > 0 &&
        portfolio.missingCriteria.every((criterion) => portfolio.evidence.some((evidence) => evidence.criterion.id === criterion.id)),
    );
    expect(target).toBeDefined();
    const portfolio = target!;
    const elements = [...new Map(portfolio.evidence.map((evidence) => [evidence.criterion.position, evidence.criterion.element])).entries()]
      .sort(([a], [b]) => a - b)
      .map(([, element]) => element);
    const adminToken = await supergraph.login(DEMO.tenantAdmin, DEMO_PASSWORD, 'demo');
    const learnerEmail = (
      await supergraph.request<{ user: { email: string } }>('query Learner($id: ID!) { user(id: $id) { email } }', {
        tenant: 'demo',
        token: adminToken,
        variables: { id: portfolio.learner.id },
      })
    ).body.data!.user.email;

    // The evaluator: the queue, as the API orders it.
    const evaluator = await openApp(browser);
    const page = evaluator.page;
    await signIn(page, origin, DEMO.evaluator);
    await page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Evaluar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Portafolios por revisar' }).waitFor();
    const queueItems = page.locator('ol.evaluate-queue > li h2');
    await queueItems.first().waitFor();
    expect(await queueItems.allTextContents()).toEqual(
      queue.portfoliosToReview.map((queued) => `${queued.learner.name} — ${queued.course.title}`),
    );
    await evaluator.shot('evaluate-list');

    await page.getByRole('link', { name: `${portfolio.learner.name} — ${portfolio.course.title}`, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `Portafolio de ${portfolio.learner.name}` }).waitFor();
    expect(await page.locator('.evaluate-criterion h3').allTextContents()).toEqual(
      elements.map((element, index) => `Criterio ${index + 1}: ${element}`),
    );
    // Each piece links to its file.
    expect(await page.locator('.evaluate-files a[href]').count()).toBe(portfolio.evidence.length);

    // COMPETENT before any acceptance: refused, each missing criterion named in words.
    await page.getByRole('radio', { name: 'Competente', exact: true }).check();
    await page.getByRole('button', { name: 'Registrar el juicio' }).click();
    const refusal = page.locator('.evaluate-judgement [role="alert"]');
    await refusal.waitFor();
    expect(await refusal.locator('p').first().textContent()).toMatch(/^No se pudo registrar el juicio:/);
    expect(await refusal.locator('li').allTextContents()).toEqual(
      elements.map((element, index) => `El criterio ${index + 1}, «${element}», no tiene evidencia aceptada.`),
    );

    // Every piece accepted, one at a time (the first with a comment).
    for (const [index, element] of elements.entries()) {
      const accept = page.getByRole('button', { name: `Aceptar la evidencia de «${element}»`, exact: true });
      if (index === 0)
        await page.getByLabel(`Comentario para la persona sobre la evidencia de «${element}»`).fill('Encuadre claro y completo');
      await accept.click();
      await page
        .getByRole('status')
        .filter({ hasText: `Aceptaste la evidencia de «${element}».` })
        .waitFor();
      await accept.waitFor({ state: 'detached' });
    }
    await page.getByText(`${elements.length} de ${elements.length} criterios con evidencia aceptada`).first().waitFor();
    expect(await page.locator('.badge-evidence-accepted').count()).toBe(portfolio.evidence.length);

    await page.getByLabel('Comentario del juicio (opcional)').fill('Demostró la competencia en los tres elementos');
    await page.getByRole('button', { name: 'Registrar el juicio' }).click();
    await page.getByRole('status').filter({ hasText: 'Juicio registrado: Competente.' }).waitFor();
    await page
      .getByTestId('current-judgement')
      .filter({ hasText: `Juicio actual: Competente, de ${queue.me.name}` })
      .waitFor();
    expect(await refusal.count()).toBe(0);
    await evaluator.shot('evaluate-portfolio');

    // What the screen said is what the API says.
    const judged = (
      await asEvaluator<JudgedPortfolio>(
        `query Judged($id: ID!) { portfolio(id: $id) { judgement judgedBy { id } coverage missingCriteria { id }
           evidence { id status reviewer { id } } } }`,
        { id: portfolio.id },
      )
    ).body.data!.portfolio;
    expect(judged.judgement).toBe('COMPETENT');
    expect(judged.judgedBy?.id).toBe(queue.me.id);
    expect(judged.coverage).toBe(1);
    expect(judged.missingCriteria).toEqual([]);
    expect(judged.evidence.map((evidence) => [evidence.id, evidence.status, evidence.reviewer?.id]).sort()).toEqual(
      portfolio.evidence.map((evidence) => [evidence.id, 'ACCEPTED', queue.me.id]).sort(),
    );
    expect(evaluator.errors).toEqual([]);
    await evaluator.context.close();

    // The learner's inbox, once the workers made the notifications of the reviews and the judgement.
    const learnerToken = await supergraph.login(learnerEmail, DEMO_PASSWORD, 'demo');
    const inbox = async () =>
      (await supergraph.request<Inbox>(INBOX, { tenant: 'demo', token: learnerToken, variables: { first: BELL_PAGE_SIZE } })).body.data!.me
        .notifications;
    const link = `/portfolios/${portfolio.id}`;
    const ofPortfolio = (kind: string, notifications: Inbox['me']['notifications']) =>
      notifications.edges.filter(({ node }) => node.kind === kind && node.link === link);
    let made = await inbox();
    for (const started = Date.now(); Date.now() - started < 30_000; made = await inbox()) {
      if (ofPortfolio('EVALUATION_DECIDED', made).length === 1 && ofPortfolio('EVIDENCE_REVIEWED', made).length === elements.length) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(ofPortfolio('EVALUATION_DECIDED', made)).toHaveLength(1);
    expect(ofPortfolio('EVIDENCE_REVIEWED', made)).toHaveLength(elements.length);

    const learner = await openApp(browser);
    const learnerPage = learner.page;
    await signIn(learnerPage, origin, learnerEmail);
    const bell = learnerPage.getByRole('button', { name: /^Notificaciones/ });
    const count = learnerPage.getByTestId('notifications-count');
    await count.filter({ hasText: new RegExp(`^${made.unreadCount}$`) }).waitFor();
    expect(await bell.getAttribute('aria-expanded')).toBe('false');
    await bell.click();
    const panel = learnerPage.getByRole('region', { name: 'Notificaciones' });
    await panel.waitFor();
    const titles = panel.locator('.notification-title');
    await titles.first().waitFor();
    // Newest first, as the API lists them: the judgement, then the reviews.
    expect((await titles.allTextContents()).map((title: string) => title.replace(/^Nueva/, ''))).toEqual(
      made.edges.map(({ node }) => node.title),
    );
    const decided = ofPortfolio('EVALUATION_DECIDED', made)[0]!.node;
    const decidedLink = panel.getByRole('link', { name: decided.title }).first();
    expect(await decidedLink.getAttribute('href')).toBe(`#${link}`);
    await learner.shot('notifications');

    // A notification made while the page is open arrives live: the count rises without a reload.
    await learnerPage.evaluate(() => ((globalThis as unknown as { stillHere: boolean }).stillHere = true));
    const judgedAgain = await asEvaluator<{ judgePortfolio: { judgement: string } }>(
      'mutation Again($id: ID!) { judgePortfolio(id: $id, judgement: COMPETENT, comment: "Confirmo el juicio: ¡felicidades!") { judgement } }',
      { id: portfolio.id },
    );
    expect(judgedAgain.body.data?.judgePortfolio.judgement).toBe('COMPETENT');
    await count.filter({ hasText: new RegExp(`^${made.unreadCount + 1}$`) }).waitFor({ timeout: 30_000 });
    expect(await learnerPage.evaluate(() => (globalThis as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    const newest = panel.locator('.notifications-list > li').first();
    await newest.filter({ hasText: decided.title }).filter({ hasText: 'Nueva' }).waitFor();
    expect((await inbox()).unreadCount).toBe(made.unreadCount + 1);

    // Mark one as read, then all.
    await newest.getByRole('button', { name: `Marcar como leída «${decided.title}»` }).click();
    await count.filter({ hasText: new RegExp(`^${made.unreadCount}$`) }).waitFor();
    await panel.getByRole('button', { name: 'Marcar todas como leídas' }).click();
    await count.waitFor({ state: 'detached' });
    await panel.getByText('0 sin leer').waitFor();
    expect((await inbox()).unreadCount).toBe(0);
    // Escape closes the panel and gives the focus back to the bell.
    await learnerPage.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    expect(
      await bell.evaluate(
        (element: unknown) => element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
      ),
    ).toBe(true);
    expect(learner.errors).toEqual([]);
    await learner.context.close();
  }, 240_000);
});
