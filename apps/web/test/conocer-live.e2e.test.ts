import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildWebApp } from '@academy/devstack';
import { startSupergraph, type RunningSupergraph } from '@academy/testing';

/**
 * The learner asks CONOCER for the official certification of a certificate from the dashboard
 * and watches its status change live (graphql-ws), up to APPROVED, without reloading: the real
 * workers deliver the request to the CONOCER sandbox, which decides quickly here.
 */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '../../../artifacts/screenshots');
const LEARNER = { email: 'learner@demo.academy.mx', password: 'academy-demo-2026' };

interface Certificates {
  me: { certificates: { id: string; conocerStatus: string; course: { title: string; competencyStandardCode: string | null } }[] };
}

describe('live CONOCER status in the web app (Chromium)', () => {
  let supergraph: RunningSupergraph;
  let browser: Browser;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium); .ci/run does it in CI`);
    await buildWebApp(() => undefined);
    // A database of its own (the demo learner's certificate is requested here), the workers and
    // a sandbox that approves every request within a second.
    supergraph = await startSupergraph({
      isolated: true,
      conocer: { sandbox: { reviewAfterMs: 300, decisionAfterMs: 800, approvalScore: 0 } },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await supergraph?.close();
  });

  it('requests CONOCER certification and shows its status change live, up to APPROVED, without a reload', async () => {
    const token = await supergraph.login(LEARNER.email, LEARNER.password, 'demo');
    const mine = async () =>
      (
        await supergraph.request<Certificates>('{ me { certificates { id conocerStatus course { title competencyStandardCode } } } }', {
          tenant: 'demo',
          token,
        })
      ).body.data!.me.certificates;
    const waiting = (await mine()).find(
      (certificate) => certificate.conocerStatus === 'NOT_REQUESTED' && certificate.course.competencyStandardCode,
    );
    expect(waiting).toBeDefined();

    const context = await browser.newContext({ locale: 'es-MX', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${supergraph.origin}/t/demo/`);
    await page.getByLabel('Correo electrónico').fill(LEARNER.email);
    await page.getByLabel('Contraseña').fill(LEARNER.password);
    await page.getByRole('button', { name: 'Entrar' }).click();

    const card = page.locator('li.certificate').filter({ has: page.getByRole('heading', { name: waiting!.course.title }) });
    const badge = card.locator('.badge');
    await badge.waitFor();
    expect(await badge.textContent()).toBe('Sin solicitar');
    await card.getByRole('button', { name: 'Solicitar certificación CONOCER' }).click();

    // No reload from here on: the badge follows CONOCER through the subscription.
    await card.locator('.badge', { hasText: /^Aprobado$/ }).waitFor({ timeout: 45_000 });
    expect(await card.getByRole('button', { name: 'Solicitar certificación CONOCER' }).count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'conocer-approved.png'), fullPage: true });
    // What the screen says is what the API says.
    expect((await mine()).find((certificate) => certificate.id === waiting!.id)!.conocerStatus).toBe('APPROVED');
    await context.close();
  }, 90_000);
});
