import fs from 'node:fs';
import zlib from 'node:zlib';
import type { Browser, Locator, Page } from 'playwright-core';
import { buildWebApp } from '@academy/devstack';
import { startSupergraph, until, type RunningSupergraph } from '@academy/testing';
import { DEMO, DEMO_PASSWORD, launchChromium, openApp, signIn, type AppPage } from './browser.js';

/**
 * The tenant admin's area in a real browser (Debian's Chromium) on the whole stack, in a database
 * of its own (this journey invites, creates coupons, refunds and renames the academy): every
 * figure on the screens is checked against what the API answers for the same question.
 */

interface Report {
  from: string | null;
  to: string;
  overall: number;
  eventCount: number;
  participantCount: number;
  scores: { dimension: string; score: number }[];
  trend: { periodStart: string }[];
}

const DIMENSIONS: Record<string, string> = {
  SUSTAINABILITY: 'Sustentabilidad',
  COMMUNITY: 'Comunidad',
  REGENERATIVE: 'Regeneración',
  SOCIAL_JUSTICE: 'Justicia social',
  CIRCULARITY: 'Circularidad',
};
const score = new Intl.NumberFormat('es-MX', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format;
const count = new Intl.NumberFormat('es-MX', { maximumFractionDigits: 0 }).format;
const day = new Intl.DateTimeFormat('es-MX', { dateStyle: 'long', timeZone: 'UTC' }).format;

/** A real PNG of `size`×`size` pixels in one colour (RGB, 8 bits), made with zlib as the format says. */
function solidPng(size: number, [red, green, blue]: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_unused, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, checksum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method, no interlace
  const line = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([red, green, blue]))]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(Array.from({ length: size }, () => line)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const rangeOf = (report: Report) =>
  report.from ? `Del ${day(new Date(report.from))} al ${day(new Date(report.to))}` : `Desde el inicio hasta el ${day(new Date(report.to))}`;

describe('tenant admin area in the web app (Chromium)', () => {
  let supergraph: RunningSupergraph;
  let browser: Browser;
  let token: string;
  let app: AppPage;

  beforeAll(async () => {
    await buildWebApp(() => undefined);
    supergraph = await startSupergraph({ isolated: true });
    browser = await launchChromium();
    token = await supergraph.login(DEMO.tenantAdmin, DEMO_PASSWORD, 'demo');
  }, 180_000);
  afterAll(async () => {
    await app?.context.close();
    await browser?.close();
    await supergraph?.close();
  });

  /** What the API answers the tenant admin. */
  const api = async <T>(query: string, variables: Record<string, unknown> = {}, as = token): Promise<T> => {
    const answer = await supergraph.request<T>(query, { tenant: 'demo', token: as, variables });
    expect(answer.body.errors).toBeUndefined();
    return answer.body.data!;
  };
  const reportOf = async (period: string) =>
    (
      await api<{ impactReport: Report }>(
        'query ($period: ReportPeriod!) { impactReport(scope: TENANT, period: $period) { from to overall eventCount participantCount scores { dimension score } trend { periodStart } } }',
        { period },
      )
    ).impactReport;
  const adminNav = (page: Page) => page.getByRole('navigation', { name: 'Secciones de administración' });

  /** The report on the screen: its range, the three figures and the five dimensions. */
  const expectReport = async (page: Page, report: Report) => {
    await page
      .getByTestId('admin-impact-range')
      .filter({ hasText: rangeOf(report) })
      .waitFor();
    const figure = (label: string) =>
      page.locator('.admin-stats > div', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
    expect(await figure('Puntaje general').textContent()).toBe(score(report.overall));
    expect(await figure('Acciones registradas').textContent()).toBe(count(report.eventCount));
    expect(await figure('Participantes').textContent()).toBe(count(report.participantCount));
    const rows = page.getByRole('table', { name: 'Puntaje por dimensión (de 0 a 100)' }).locator('tbody tr');
    const names = await rows.locator('th').allTextContents();
    const values = await rows.locator('td').allTextContents();
    const shown = names.map((name, index) => [name, values[index]]);
    expect(shown).toEqual(report.scores.map((dimension) => [DIMENSIONS[dimension.dimension], score(dimension.score)]));
  };

  it('shows the impact, downloads its CSV, invites someone, makes a coupon, refunds an order and renames the academy', async () => {
    app = await openApp(browser, { acceptDownloads: true });
    const { page, errors, shot } = app;
    const scripts: string[] = [];
    page.on('response', (response) => void (response.request().resourceType() === 'script' && scripts.push(response.url())));

    // A paid order to refund: the demo learner buys a course they do not have, paid on the provider's page.
    const learnerToken = await supergraph.login(DEMO.learner, DEMO_PASSWORD, 'demo');
    const shop = await api<{
      courses: { edges: { node: { id: string; title: string; priceCents: number } }[] };
      me: { name: string; enrollments: { course: { id: string } }[] };
    }>(
      '{ courses(first: 50, status: PUBLISHED) { edges { node { id title priceCents } } } me { name enrollments { course { id } } } }',
      {},
      learnerToken,
    );
    const mine = new Set(shop.me.enrollments.map((enrollment) => enrollment.course.id));
    const course = shop.courses.edges.map((edge) => edge.node).find((node) => node.priceCents > 0 && !mine.has(node.id))!;
    expect(course).toBeDefined();
    const order = (
      await api<{ checkout: { id: string; checkoutUrl: string } }>(
        'mutation ($c: ID!) { checkout(courseId: $c, paymentMethod: CARD) { id checkoutUrl } }',
        { c: course.id },
        learnerToken,
      )
    ).checkout;
    const paid = await fetch(order.checkoutUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'outcome=succeeded',
    });
    expect(paid.status).toBe(200);
    const orderStatus = async () =>
      (await api<{ order: { status: string } }>('query ($id: ID!) { order(id: $id) { status } }', { id: order.id })).order.status;
    expect(await until(orderStatus, (status) => status === 'PAID', { timeoutMs: 20_000 })).toBe('PAID');

    // Signed in, the header leads to Administración: this month's impact of the academy.
    await signIn(page, supergraph.origin, DEMO.tenantAdmin);
    await page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Administración' }).click();
    await page.getByRole('heading', { level: 1, name: 'Impacto de la academia' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Este mes' }).isChecked()).toBe(true);
    await expectReport(page, await reportOf('MONTH'));
    // The trend chart drew, from a chunk of its own.
    await page.locator('.admin-trend-chart svg').first().waitFor();
    expect(scripts.some((url) => /\/assets\/TrendChart-[\w-]+\.js$/.test(url))).toBe(true);

    // Another period: the figures follow it.
    await page.getByRole('radio', { name: 'Desde el inicio' }).check();
    const allTime = await reportOf('ALL_TIME');
    expect(allTime.eventCount).toBeGreaterThan(0);
    await expectReport(page, allTime);
    await shot('admin-impact');

    // The CSV of the period is what the export answers the same admin (its `to` is the moment it was made).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Descargar CSV' }).click()]);
    const name = download.suggestedFilename();
    expect(name).toMatch(/^impact-demo-tenant-all_time-\d{4}-\d{2}-\d{2}\.csv$/);
    await page.getByText(`Descargaste ${name}.`).waitFor();
    const downloaded = fs.readFileSync((await download.path())!, 'utf8');
    const exported = await fetch(`${supergraph.origin}/t/demo/exports/impact-report.csv?scope=TENANT&period=ALL_TIME`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(exported.status).toBe(200);
    const rowsOf = (csv: string) =>
      csv
        .trimEnd()
        .split('\r\n')
        .map((line) => line.split(','));
    const [header, ...rows] = rowsOf(downloaded);
    const [expectedHeader, ...expectedRows] = rowsOf(await exported.text());
    expect(header).toEqual(expectedHeader);
    expect(header![3]).toBe('to');
    const withoutTo = (lines: string[][]) => lines.map((line) => line.filter((_cell, index) => index !== 3));
    expect(withoutTo(rows)).toEqual(withoutTo(expectedRows));
    expect(rows.length).toBe(expectedRows.length);
    for (const [downloadedRow, expectedRow] of rows.map((row, index) => [row, expectedRows[index]!] as const))
      expect(Math.abs(Date.parse(downloadedRow[3]!) - Date.parse(expectedRow[3]!))).toBeLessThan(120_000);
    expect(rows[0]!.slice(0, 5)).toEqual(['TENANT', 'ALL_TIME', '', expect.any(String), 'total']);
    expect(rows.length).toBe(1 + allTime.trend.length);

    // People: an invitation, then the new person in the list (on the page the API puts them).
    await adminNav(page).getByRole('link', { name: 'Personas' }).click();
    await page.getByRole('heading', { level: 1, name: 'Personas' }).waitFor();
    const email = `renata.olvera.${Date.now()}@demo.academy.mx`;
    const invitee = 'Renata Olvera Campos';
    await page.getByLabel('Correo electrónico', { exact: true }).fill(email);
    await page.getByLabel('Nombre', { exact: true }).fill(invitee);
    await page.getByLabel('Perfil', { exact: true }).selectOption({ label: 'Instructor' });
    await page.getByRole('button', { name: 'Enviar invitación' }).click();
    await page.getByText(`Invitamos a ${invitee} (${email}).`).waitFor();
    type UsersPage = {
      users: {
        totalCount: number;
        edges: { node: { id: string; email: string; name: string; persona: string; status: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    /** Every page of people, as the API pages them for the screen (20 a page). */
    const usersPages = async () => {
      const all: UsersPage['users'][] = [];
      for (let after: string | null = null; ;) {
        const users: UsersPage['users'] = (
          await api<UsersPage>(
            'query ($after: String) { users(first: 20, after: $after) { totalCount edges { node { id email name persona status } } pageInfo { hasNextPage endCursor } } }',
            { after },
          )
        ).users;
        all.push(users);
        if (!users.pageInfo.hasNextPage) return all;
        after = users.pageInfo.endCursor;
      }
    };
    const pages = await usersPages();
    const found = pages.findIndex((users) => users.edges.some((edge) => edge.node.email === email));
    expect(found).toBeGreaterThanOrEqual(0);
    expect(pages[found]!.edges.find((edge) => edge.node.email === email)!.node).toEqual({
      id: expect.any(String),
      email,
      name: invitee,
      persona: 'INSTRUCTOR',
      status: 'INVITED',
    });
    await page.getByText(`${pages[0]!.totalCount} personas`).waitFor();
    const pager = page.getByRole('navigation', { name: 'Páginas de personas' });
    for (let index = 1; index <= found; index += 1) {
      await pager.getByRole('button', { name: 'Siguientes' }).click();
      await page.locator('tbody tr', { hasText: pages[index]!.edges[0]!.node.email }).waitFor();
    }
    const row = page.locator('tbody tr', { hasText: email });
    await row.waitFor();
    expect(await row.locator('th').textContent()).toBe(`${invitee} Invitación enviada`);
    expect(await row.getByLabel(`Perfil de ${invitee}`).inputValue()).toBe('INSTRUCTOR');
    // Every person of the page: the status the API has, and only the action it allows.
    const STATUS: Record<string, string> = { ACTIVE: 'Activa', INVITED: 'Invitación enviada', SUSPENDED: 'Suspendida' };
    const rowOf = (someone: { email: string }) => page.locator('tbody tr', { has: page.locator('td', { hasText: someone.email }) });
    const adminId = (await api<{ me: { id: string } }>('{ me { id } }')).me.id;
    const shownPage = pages[found]!.edges.map((edge) => edge.node);
    expect(await page.locator('tbody tr th').allTextContents()).toEqual(shownPage.map((node) => `${node.name} ${STATUS[node.status]}`));
    expect(new Set(shownPage.map((node) => node.status)).size).toBeGreaterThan(1);
    for (const node of shownPage) {
      const line = rowOf(node);
      const actions = line.locator('td.admin-actions');
      // A platform administrator's account is the platform's: no action on it.
      const actionable = node.id !== adminId && node.persona !== 'PLATFORM_ADMIN';
      const suspendable = actionable && node.status === 'ACTIVE';
      const reactivable = actionable && node.status === 'SUSPENDED';
      expect(await actions.getByRole('button', { name: `Suspender ${node.name}` }).count()).toBe(suspendable ? 1 : 0);
      expect(await actions.getByRole('button', { name: `Reactivar ${node.name}` }).count()).toBe(reactivable ? 1 : 0);
      if (node.id === adminId) expect(await actions.textContent()).toBe('Tu cuenta');
      else if (node.status === 'INVITED') expect(await actions.textContent()).toBe('Invitación pendiente');
    }
    // Suspend someone active (not the admin themself), then reactivate them: the API says so each time.
    const statusOf = async (id: string) =>
      (await usersPages()).flatMap((users) => users.edges.map((edge) => edge.node)).find((node) => node.id === id)!.status;
    const someone = shownPage.find((node) => node.id !== adminId && node.status === 'ACTIVE' && node.persona !== 'PLATFORM_ADMIN')!;
    expect(someone).toBeDefined();
    const line = rowOf(someone);
    await line.getByRole('button', { name: `Suspender ${someone.name}` }).click();
    await line.getByLabel(`Motivo de la suspensión de ${someone.name}`).fill('Compartía su cuenta con otras personas');
    await line.getByRole('button', { name: 'Confirmar la suspensión' }).click();
    await line.getByText(`Suspendimos la cuenta de ${someone.name}; sus sesiones terminaron.`).waitFor();
    await line.locator('th .badge', { hasText: 'Suspendida' }).waitFor();
    expect(await line.getByRole('button', { name: `Suspender ${someone.name}` }).count()).toBe(0);
    expect(await statusOf(someone.id)).toBe('SUSPENDED');
    await shot('admin-users-suspended');
    await line.getByRole('button', { name: `Reactivar ${someone.name}` }).click();
    await line.getByText(`La cuenta de ${someone.name} está activa.`).waitFor();
    await line.locator('th .badge', { hasText: 'Activa' }).waitFor();
    await line.getByRole('button', { name: `Suspender ${someone.name}` }).waitFor();
    expect(await line.getByRole('button', { name: `Reactivar ${someone.name}` }).count()).toBe(0);
    expect(await statusOf(someone.id)).toBe('ACTIVE');
    // The same email again: refused, in words.
    await page.getByLabel('Correo electrónico', { exact: true }).fill(email);
    await page.getByLabel('Nombre', { exact: true }).fill(invitee);
    await page.getByRole('button', { name: 'Enviar invitación' }).click();
    await page.getByRole('alert').filter({ hasText: 'Ya existe una cuenta con ese correo en esta academia.' }).waitFor();
    await shot('admin-users');

    // Coupons: one by percentage, one by a fixed amount.
    await adminNav(page).getByRole('link', { name: 'Cupones' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cupones' }).waitFor();
    const suffix = Date.now().toString(36).toUpperCase();
    const percentCode = `VERANO-${suffix}`;
    await page.getByLabel('Código', { exact: true }).fill(percentCode);
    await page.getByLabel('Porcentaje de descuento (1 a 100)').fill('15');
    await page.getByRole('button', { name: 'Crear cupón' }).click();
    await page.getByText(`Creamos el cupón ${percentCode}.`).waitFor();
    const amountCode = `FIJO-${suffix}`;
    await page.getByLabel('Código', { exact: true }).fill(amountCode);
    await page.getByRole('radio', { name: 'Monto fijo' }).check();
    await page.getByLabel('Monto de descuento (MXN)').fill('150');
    await page.getByRole('button', { name: 'Crear cupón' }).click();
    await page.getByText(`Creamos el cupón ${amountCode}.`).waitFor();
    const coupons = (
      await api<{ coupons: { code: string; percentOff: number | null; amountOffCents: number | null; active: boolean }[] }>(
        '{ coupons { code percentOff amountOffCents active } }',
      )
    ).coupons;
    expect(coupons).toEqual(
      expect.arrayContaining([
        { code: percentCode, percentOff: 15, amountOffCents: null, active: true },
        { code: amountCode, percentOff: null, amountOffCents: 15_000, active: true },
      ]),
    );
    const couponRow = (code: string) => page.locator('tbody tr', { hasText: code });
    await couponRow(percentCode).waitFor();
    await couponRow(amountCode).waitFor();
    expect(await couponRow(percentCode).locator('td').nth(0).textContent()).toBe('15 %');
    expect(await couponRow(amountCode).locator('td').nth(0).textContent()).toBe(
      new Intl.NumberFormat('es-MX', { style: 'currency', currency: 'MXN' }).format(150),
    );
    expect(await couponRow(percentCode).locator('.badge').textContent()).toBe('Activo');

    // Orders: the paid one, refunded with a reason.
    await adminNav(page).getByRole('link', { name: 'Pedidos' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pedidos' }).waitFor();
    const orders = (await api<{ orders: { totalCount: number } }>('{ orders(first: 20) { totalCount } }')).orders;
    await page.getByText(orders.totalCount === 1 ? '1 pedido' : `${orders.totalCount} pedidos`).waitFor();
    const orderRow = page.locator('tbody tr', { hasText: course.title }).filter({ hasText: shop.me.name }).first();
    expect(await orderRow.locator('.badge').textContent()).toBe('Pagado');
    expect(await orderRow.locator('td.admin-number strong').textContent()).toBe(
      new Intl.NumberFormat('es-MX', { style: 'currency', currency: 'MXN' }).format(course.priceCents / 100),
    );
    await shot('admin-orders');
    await orderRow.getByRole('button', { name: /^Reembolsar/ }).click();
    await orderRow.getByLabel('Motivo del reembolso').fill('El curso cambió de fecha');
    await orderRow.getByRole('button', { name: 'Confirmar el reembolso' }).click();
    await orderRow.locator('.badge', { hasText: 'Reembolsado' }).waitFor();
    expect(await orderStatus()).toBe('REFUNDED');

    // Settings: a new display name, and the header says it.
    await adminNav(page).getByRole('link', { name: 'Configuración' }).click();
    await page.getByRole('heading', { level: 1, name: 'Configuración' }).waitFor();
    const displayName = 'Academia MADFAM Demo Solar';
    await page.getByLabel('Nombre para mostrar').fill(displayName);
    await page.getByRole('button', { name: 'Guardar cambios' }).click();
    await page.getByText('Guardamos los cambios.').waitFor();
    await page.getByTestId('academy-name').filter({ hasText: displayName }).waitFor();
    expect(await page.getByTestId('academy-name').textContent()).toBe(displayName);
    expect((await api<{ tenantBranding: { displayName: string } }>('{ tenantBranding { displayName } }')).tenantBranding.displayName).toBe(
      displayName,
    );

    // A logo: a real PNG uploaded to the object storage, saved; the header shows it (it loads).
    const headerLogo = page.locator('header img.brand-logo');
    const logoBefore = (await headerLogo.count()) > 0 ? await headerLogo.getAttribute('src') : null;
    await page
      .getByLabel('Archivo del logotipo')
      .setInputFiles({ name: 'logo-solar.png', mimeType: 'image/png', buffer: solidPng(48, [234, 179, 8]) });
    await page.getByRole('button', { name: 'Subir logotipo' }).click();
    await page.getByText('Cambiamos el logotipo.').waitFor();
    /** An image's width as it loaded in the page (0 until it has loaded, or when it could not). */
    const loadedWidth = (image: Locator) =>
      image.evaluate((element) => {
        const img = element as unknown as { complete: boolean; naturalWidth: number };
        return img.complete ? img.naturalWidth : 0;
      });
    const headerShows = await until(
      async () =>
        (await headerLogo.count()) === 0 ? null : { src: await headerLogo.getAttribute('src'), width: await loadedWidth(headerLogo) },
      (shown) => shown !== null && shown.src !== logoBefore && shown.width > 0,
      { timeoutMs: 15_000, everyMs: 100 },
    );
    expect(headerShows?.src).not.toBe(logoBefore);
    expect(headerShows?.width).toBe(48);
    const current = page.getByRole('img', { name: 'Logotipo actual' });
    expect(
      await until(
        () => loadedWidth(current),
        (width) => width > 0,
        { timeoutMs: 15_000, everyMs: 100 },
      ),
    ).toBe(48);
    const { logoUrl } = (await api<{ tenantBranding: { logoUrl: string | null } }>('{ tenantBranding { logoUrl } }')).tenantBranding;
    expect(logoUrl).not.toBeNull();
    // The stored file is the PNG uploaded (what the API's URL serves).
    const stored = await fetch(logoUrl!);
    expect(stored.status).toBe(200);
    expect(Buffer.from(await stored.arrayBuffer())).toEqual(solidPng(48, [234, 179, 8]));
    await shot('admin-settings');

    // DC-3s: the list the API answers (or its absence, said).
    await adminNav(page).getByRole('link', { name: 'Constancias DC-3' }).click();
    await page.getByRole('heading', { level: 1, name: 'Constancias DC-3' }).waitFor();
    const dc3s = (await api<{ dc3s: { workerName: string }[] }>('{ dc3s(first: 20) { workerName } }')).dc3s;
    if (dc3s.length === 0) await page.getByText('La academia todavía no ha emitido constancias DC-3.').waitFor();
    else await page.locator('tbody tr', { hasText: dc3s[0]!.workerName }).first().waitFor();

    // Nothing refused by the page's CSP, nothing thrown.
    expect(errors).toEqual([]);
  }, 180_000);
});
