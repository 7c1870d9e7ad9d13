import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * What every browser journey shares: Debian's Chromium (never a downloaded browser), the folder
 * CI keeps the screenshots in, the seeded people and signing in through the app's own form.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(__dirname, '../../../artifacts/screenshots');
export const DEMO_PASSWORD = 'academy-demo-2026';
export const DEMO = {
  learner: 'learner@demo.academy.mx',
  instructor: 'instructor@demo.academy.mx',
  evaluator: 'evaluator@demo.academy.mx',
  tenantAdmin: 'tenant_admin@demo.academy.mx',
} as const;

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium); .ci/run does it in CI`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

export interface AppPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors of the page: a journey ends with none. */
  errors: string[];
  shot(name: string): Promise<unknown>;
}

/** A fresh context (Spanish, desktop size) and page, collecting the page's errors. */
export async function openApp(browser: Browser, options: { locale?: string; acceptDownloads?: boolean } = {}): Promise<AppPage> {
  const context = await browser.newContext({
    locale: options.locale ?? 'es-MX',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: options.acceptDownloads ?? false,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  if (process.env.E2E_DEBUG) {
    page.on('console', (message) => console.log('console', message.type(), message.text(), JSON.stringify(message.location())));
    page.on('websocket', (socket) => console.log('websocket', socket.url()));
    page.on('requestfailed', (request) => console.log('requestfailed', request.url(), request.failure()?.errorText));
    page.on('response', (response) => {
      if (response.url().includes('/graphql'))
        void response.text().then(
          (body) => console.log('graphql', response.status(), response.request().postData()?.slice(0, 300), body.slice(0, 500)),
          () => undefined,
        );
    });
  }
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
  // Which request a console's "Failed to load resource" was about.
  page.on(
    'response',
    (response) => void (response.status() >= 400 && errors.push(`${response.status()} ${response.request().method()} ${response.url()}`)),
  );
  return { context, page, errors, shot: (name) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true }) };
}

/** Signs in through the app's form at `<origin>/t/<tenant>/` (Spanish labels) and waits for the dashboard. */
export async function signIn(
  page: Page,
  origin: string,
  email: string,
  options: { tenant?: string; password?: string } = {},
): Promise<void> {
  await page.goto(`${origin}/t/${options.tenant ?? 'demo'}/`);
  await page.getByRole('heading', { name: 'Inicia sesión' }).waitFor();
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill(options.password ?? DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByRole('heading', { name: /^Hola, / }).waitFor();
}
