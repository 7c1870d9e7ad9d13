import { randomBytes } from 'node:crypto';
import type { CourseStatus } from '@academy/platform';
import { createTenant, startSupergraph, TEST_PASSWORD, type RunningSupergraph, type TestTenant } from '@academy/testing';

const COURSES = `query ($search: String, $first: Int, $after: String) {
  courses(search: $search, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { title } } }
}`;
const STANDARDS = `query ($search: String, $first: Int, $after: String) {
  competencyStandards(search: $search, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { code title } } }
}`;

/** Issue 15, item 5: courses(search:) and competencyStandards(search:) for Spanish, through the gateway. */
describe('catalogue search', () => {
  let supergraph: RunningSupergraph;
  let fixture: TestTenant;
  let instructor: string;
  beforeAll(async () => {
    supergraph = await startSupergraph();
    fixture = await createTenant(supergraph.db.database);
    // Oldest first: unsearched, the catalogue is newest first, so an order other than the reverse of this one is the ranking's.
    const catalogue: [title: string, description: string, status?: CourseStatus][] = [
      ['Energía solar fotovoltaica', 'Paneles, inversores y baterías para la vivienda.'],
      ['Eficiencia energética en el hogar', 'Ahorro de luz y gas en casa.'],
      ['Instalación eléctrica residencial', 'Circuitos del hogar y conexión de paneles de energía solar a la red.'],
      ['Huerto urbano', 'Hortalizas en azoteas y balcones.'],
      ['Proyecto h_erto comunitario', 'Un nombre en clave.'],
      ['Descuento 100% garantizado', 'Oferta de temporada.'],
      ['Curso de 100 horas', 'Para quien tiene tiempo.'],
      ['Auditoría energética (borrador)', 'Aún sin publicar.', 'DRAFT'],
    ];
    for (const [i, [title, description, status]] of catalogue.entries())
      await createCourse(fixture, { title, description, status: status ?? 'PUBLISHED', createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)) });
    // Another tenant's course that would match every energy search: never seen from this tenant.
    const other = await createTenant(supergraph.db.database);
    await createCourse(other, { title: 'Eficiencia energética y energía solar', description: 'Huerto h_erto 100%', status: 'PUBLISHED' });
    instructor = await supergraph.login(fixture.users.INSTRUCTOR.email, TEST_PASSWORD, fixture.tenant.slug);
  });
  afterAll(() => supergraph?.close());

  async function createCourse(owner: TestTenant, course: { title: string; description: string; status: CourseStatus; createdAt?: Date }) {
    const tenantId = owner.tenant.id;
    await supergraph.db.database.forTenant(tenantId).run((tx) =>
      tx.course.create({
        data: {
          ...course,
          tenantId,
          slug: `curso-${randomBytes(4).toString('hex')}`,
          instructorId: owner.users.INSTRUCTOR.id,
          priceCents: 0,
          ...(course.status === 'PUBLISHED' ? { publishedAt: new Date() } : {}),
        },
      }),
    );
  }

  const search = (variables: Record<string, unknown>, token?: string) =>
    supergraph
      .request(COURSES, { tenant: fixture.tenant.slug, variables, ...(token ? { token } : {}) })
      .then((response) => response.body as { data: { courses: { pageInfo: { endCursor: string | null } } } });
  /** The whole answer, by the titles it lists in order. */
  const courses = (titles: string[], totalCount = titles.length, hasNextPage = false) => ({
    data: {
      courses: {
        totalCount,
        pageInfo: { hasNextPage, endCursor: titles.length > 0 ? expect.any(String) : null },
        edges: titles.map((title) => ({ node: { title } })),
      },
    },
  });

  it('ignores accents and case, in the term and in the titles', async () => {
    expect(await search({ search: 'energetica' })).toEqual(courses(['Eficiencia energética en el hogar']));
    expect(await search({ search: 'ENERGÉTICA' })).toEqual(courses(['Eficiencia energética en el hogar']));
    expect(await search({ search: '  Eficiencia ENERGETICA ' })).toEqual(courses(['Eficiencia energética en el hogar']));
    // Decomposed (NFD: "e" and a combining acute accent), as some keyboards send it.
    expect(await search({ search: 'energe\u0301tica' })).toEqual(courses(['Eficiencia energética en el hogar']));
    // What the viewer may see still decides: the instructor's own draft (newer, as good a match) comes first for them.
    expect(await search({ search: 'Energética' }, instructor)).toEqual(
      courses(['Auditoría energética (borrador)', 'Eficiencia energética en el hogar']),
    );
  });

  it('ranks the best match first: the title before the description, whatever their age; paged in that order', async () => {
    expect(await search({ search: 'energía solar' })).toEqual(courses(['Energía solar fotovoltaica', 'Instalación eléctrica residencial']));
    expect(await search({ search: 'ENERGIA SOLAR' })).toEqual(courses(['Energía solar fotovoltaica', 'Instalación eléctrica residencial']));
    // "hogar": in the older course's title, in the newer one's description.
    expect(await search({ search: 'hogar' })).toEqual(courses(['Eficiencia energética en el hogar', 'Instalación eléctrica residencial']));

    const first = await search({ search: 'energía solar', first: 1 });
    expect(first).toEqual(courses(['Energía solar fotovoltaica'], 2, true));
    const second = await search({ search: 'energía solar', first: 1, after: first.data.courses.pageInfo.endCursor });
    expect(second).toEqual(courses(['Instalación eléctrica residencial'], 2, false));
    expect(await search({ search: 'energía solar', first: 1, after: second.data.courses.pageInfo.endCursor })).toEqual(
      courses([], 2, false),
    );
  });

  it('forgives a typo in a title', async () => {
    expect(await search({ search: 'fotovoltaca' })).toEqual(courses(['Energía solar fotovoltaica']));
    expect(await search({ search: 'eficiensia energetica' })).toEqual(courses(['Eficiencia energética en el hogar']));
    expect(await search({ search: 'huertto' })).toEqual(courses(['Huerto urbano']));
  });

  it("takes LIKE's wildcards and escape character as text", async () => {
    expect(await search({ search: 'huerto' })).toEqual(courses(['Huerto urbano']));
    expect(await search({ search: 'h_erto' })).toEqual(courses(['Proyecto h_erto comunitario']));
    expect(await search({ search: '_' })).toEqual(courses(['Proyecto h_erto comunitario']));
    expect(await search({ search: '100%' })).toEqual(courses(['Descuento 100% garantizado']));
    expect(await search({ search: '%' })).toEqual(courses(['Descuento 100% garantizado']));
    expect(await search({ search: '100' })).toEqual(courses(['Curso de 100 horas', 'Descuento 100% garantizado']));
    expect(await search({ search: '\\' })).toEqual(courses([]));
    expect(await search({ search: 'h%o' })).toEqual(courses([]));
  });

  it("never shows another tenant's course", async () => {
    expect(await search({ search: 'energía solar' }, instructor)).toEqual(
      courses(['Energía solar fotovoltaica', 'Instalación eléctrica residencial']),
    );
    expect(await search({ search: 'eficiencia' })).toEqual(courses(['Eficiencia energética en el hogar']));
    // Unsearched, the catalogue is as before: newest first.
    expect(await search({ first: 3 })).toEqual(
      courses(['Curso de 100 horas', 'Descuento 100% garantizado', 'Proyecto h_erto comunitario'], 7, true),
    );
  });

  it('searches the RENEC catalogue without regard to accents, best match first', async () => {
    const standards = (variables: Record<string, unknown>) =>
      supergraph.request(STANDARDS, { tenant: fixture.tenant.slug, variables }).then((response) => response.body);
    // Titles with "eléctrica(s)" first, all as good: by code.
    const electrical = [
      ['EC0118', 'Realización de instalaciones eléctricas en edificación de vivienda'],
      ['EC0195', 'Reparación de cables de energía monopolares de 15 y 23 kv de mediana tensión de la red eléctrica'],
      ['EC0215', 'Mantenimiento correctivo a instalaciones eléctricas industriales'],
      ['EC0368', 'Dirigir las actividades de montaje de equipo e instalaciones eléctricas para obras de construcción industrial'],
      ['EC0736', 'Instalación de máquinas eléctricas rotativas, de equipo de control eléctrico y electrónico'],
      ['EC0737', 'Instalación eléctrica y mantenimiento a máquinas eléctricas rotativas'],
      ['EC1011', 'Manejo de instalaciones eléctricas avanzadas'],
      ['EC1137', 'Supervisión del diseño de construcción de infraestructura en proyectos de subestaciones eléctricas de potencia'],
      ['EC1157', 'Implementación y mantenimiento de instalaciones eléctricas en la industria'],
      ['EC1411', 'Evaluación de las instalaciones eléctricas en áreas clinicas de atención general y terapéuticas'],
      ['EC1423', 'Colocación de luminarias en set, cajas de distribución y lineas eléctricas en locación y foros'],
      ['EC1547', 'Manejo del sistema de alto voltaje en vehículos con fuentes eléctricas'],
      ['EC1641', 'Instalación de estaciones de carga nivel 2 y 3 para vehículos con fuentes eléctricas'],
    ];
    // Then titles with a word close to it (a typo away), the closest first: "eléctrico", "eléctricos", "electrónica"; not
    // "electrónico" nor "electromecánico".
    const close = [
      [
        'EC0523',
        'Ejecución de trabajos de soldadura por arco eléctrico y alambre tubular con núcleo de fundente FCAW-G con protección de gas en tubería de acero al carbono en posición 6G',
      ],
      [
        'EC0524',
        'Ejecución de trabajos de soldadura por arco eléctrico y electrodo de tungsteno con protección de gas GTAW/TIG en tubería de acero al carbono en posición 6G',
      ],
      [
        'EC0636',
        'Ejecución de trabajos de soldadura por arco eléctrico y alambre tubular con núcleo de fundente FCAW-S autoprotegido en tubería de acero al carbono en posición 6GR',
      ],
      ['EC0937', 'Unión de perfiles por soldadura derivada de arco eléctrico'],
      ['EC0728', 'Diagnóstico del estado de circuitos eléctricos y electrónicos'],
      ['EC1023', 'Realización y mantenimiento de instalaciones y sistemas eléctricos'],
      [
        'EC1125',
        'Realizar el diagnóstico de verificación de la eficiencia energética y seguridad de instalaciones y equipos eléctricos en vivienda',
      ],
      ['EC1138', 'Supervisión del diseño de equipos y sistemas eléctricos de potencia y control'],
      ['EC1528', 'Aplicación de procedimientos básicos de movilidad en vehículos eléctricos'],
      ['EC1607', 'Ensamblado y armado de arneses eléctricos para automóviles'],
      ['EC1642', 'Personalización de tableros eléctricos de media y baja tensión'],
      ['EC0262', 'Venta de boletos, tarjeta recargable y recarga electrónica.'],
      ['EC0629', 'Afinación de motores a gasolina con sistemas de inyección electrónica'],
    ];
    const all = [...electrical, ...close];
    const page = (rows: string[][], totalCount = rows.length, hasNextPage = false) => ({
      data: {
        competencyStandards: {
          totalCount,
          pageInfo: { hasNextPage, endCursor: rows.length > 0 ? expect.any(String) : null },
          edges: rows.map(([code, title]) => ({ node: { code, title } })),
        },
      },
    });
    expect(await standards({ search: 'electrica', first: 50 })).toEqual(page(all));
    expect(await standards({ search: 'ELÉCTRICA', first: 50 })).toEqual(page(all));
    // Paged in the ranked order.
    const first = (await standards({ search: 'Eléctrica', first: 12 })) as {
      data: { competencyStandards: { pageInfo: { endCursor: string } } };
    };
    expect(first).toEqual(page(all.slice(0, 12), all.length, true));
    expect(await standards({ search: 'Eléctrica', first: 50, after: first.data.competencyStandards.pageInfo.endCursor })).toEqual(
      page(all.slice(12), all.length),
    );
    // A code still finds its standard first.
    expect(await standards({ search: 'ec0118', first: 1 })).toEqual(page([electrical[0]!], 1));
  });
});
