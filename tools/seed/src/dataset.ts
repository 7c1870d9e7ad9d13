import type { CurpState } from '@academy/curp';
import type { ApiKeyScope, CourseStatus, ImpactDimension, Persona, TenantTier } from '@academy/platform';

/** The password of every seeded account (documented in the README; demo data only). */
export const DEMO_PASSWORD = 'academy-demo-2026';

/**
 * Every tenant's integration key, made by its TENANT_ADMIN with every scope. Its secret is
 * derived from the tenant's slug (`demoApiKey`) and documented in the README: demo data only.
 */
export const DEMO_API_KEY: { name: string; scopes: ApiKeyScope[] } = {
  name: 'Integración de demostración',
  scopes: ['READ_CATALOGUE', 'READ_REPORTS', 'READ_CERTIFICATES', 'MANAGE_ENROLLMENTS'],
};

/** How long a seeded invitation link works (a real one: 7 days; a demo one should outlive the seed). */
export const DEMO_INVITATION_DAYS = 365;

export interface TenantSpec {
  slug: string;
  name: string;
  tier: TenantTier;
  /** State of birth most of its people share (for their CURPs). */
  state: CurpState;
  /** Tenant settings (e.g. arbitraryDocuments: its integrations may send their own GraphQL documents). */
  settings?: Record<string, unknown>;
  /**
   * People the TENANT_ADMIN invited who have not accepted yet: INVITED accounts (no usable
   * password, no CURP yet) with an open invitation link whose token is documented in the README.
   */
  invited?: { email: string; name: string; persona: Persona }[];
  communities: { name: string; description: string }[];
  courses: CourseSpec[];
}

export interface CourseSpec {
  slug: string;
  title: string;
  description: string;
  standard: string;
  status: CourseStatus;
  priceCents: number;
  passingScore: number;
  impactDimensions: ImpactDimension[];
  /** Module titles; each module gets three lessons. */
  modules: string[];
}

export const TENANTS: TenantSpec[] = [
  {
    slug: 'demo',
    name: 'Academia MADFAM Demo',
    tier: 'PROFESSIONAL',
    state: 'DF',
    // The tenant to explore the API with: any document runs, in production mode too.
    settings: { arbitraryDocuments: true },
    invited: [{ email: 'invited_instructor@demo.academy.mx', name: 'Marisol Téllez Navarro', persona: 'INSTRUCTOR' }],
    communities: [
      { name: 'Huertos Urbanos Iztapalapa', description: 'Vecinas y vecinos que cultivan azoteas y camellones.' },
      { name: 'Círculo de Energía Solar CDMX', description: 'Instaladoras e instaladores de sistemas solares en vivienda.' },
      { name: 'Formadores Regenerativos', description: 'Instructores que diseñan cursos con enfoque regenerativo.' },
    ],
    courses: [
      {
        slug: 'imparticion-cursos-regenerativos',
        title: 'Impartición de cursos presenciales con enfoque regenerativo',
        description: 'Prepara, conduce y evalúa cursos grupales presenciales que dejan capacidad instalada en la comunidad.',
        standard: 'EC0217.01',
        status: 'PUBLISHED',
        priceCents: 180_000,
        passingScore: 80,
        impactDimensions: ['COMMUNITY', 'SOCIAL_JUSTICE'],
        modules: ['Preparación de la sesión', 'Conducción del grupo', 'Evaluación del aprendizaje'],
      },
      {
        slug: 'diseno-cursos-formacion',
        title: 'Diseño de cursos de formación y sus instrumentos de evaluación',
        description: 'Del diagnóstico de necesidades a la carta descriptiva, el material didáctico y los instrumentos de evaluación.',
        standard: 'EC0301',
        status: 'PUBLISHED',
        priceCents: 210_000,
        passingScore: 80,
        impactDimensions: ['COMMUNITY'],
        modules: ['Diagnóstico de necesidades', 'Carta descriptiva', 'Instrumentos de evaluación'],
      },
      {
        slug: 'tutoria-cursos-en-linea',
        title: 'Tutoría de cursos de formación en línea',
        description: 'Acompaña a participantes a distancia: seguimiento, retroalimentación y cierre de cursos virtuales.',
        standard: 'EC0019',
        status: 'PUBLISHED',
        priceCents: 150_000,
        passingScore: 75,
        impactDimensions: ['COMMUNITY', 'SOCIAL_JUSTICE'],
        modules: ['Inicio del curso en línea', 'Seguimiento de participantes', 'Cierre y retroalimentación'],
      },
      {
        slug: 'fotovoltaica-residencial',
        title: 'Instalación de sistemas fotovoltaicos residenciales',
        description: 'Dimensiona, instala y pone en marcha sistemas fotovoltaicos interconectados en casas y comercios.',
        standard: 'EC0586.01',
        status: 'PUBLISHED',
        priceCents: 350_000,
        passingScore: 85,
        impactDimensions: ['SUSTAINABILITY', 'CIRCULARITY'],
        modules: ['Seguridad y normatividad', 'Montaje de módulos', 'Interconexión y pruebas'],
      },
      {
        slug: 'eficiencia-energetica-organizacion',
        title: 'Gestión de eficiencia energética en la organización',
        description: 'Línea base energética, indicadores y un plan de ahorro que se sostiene en el tiempo.',
        standard: 'EC0412',
        status: 'PUBLISHED',
        priceCents: 280_000,
        passingScore: 80,
        impactDimensions: ['SUSTAINABILITY'],
        modules: ['Diagnóstico energético', 'Indicadores de desempeño', 'Plan de ahorro'],
      },
      {
        slug: 'huerto-educativo',
        title: 'Implementación de un huerto educativo urbano',
        description: 'Diseña y opera un huerto educativo con composta, semillas nativas y calendario de siembra.',
        standard: 'EC1680',
        status: 'PUBLISHED',
        priceCents: 90_000,
        passingScore: 70,
        impactDimensions: ['REGENERATIVE', 'COMMUNITY', 'CIRCULARITY'],
        modules: ['Diseño del huerto', 'Suelo vivo y composta', 'Cosecha y semillas'],
      },
      {
        slug: 'igualdad-no-discriminacion',
        title: 'Promoción de igualdad y no discriminación',
        description: 'Herramientas para identificar y prevenir la discriminación en espacios de aprendizaje y trabajo.',
        standard: 'EC0943',
        status: 'DRAFT',
        priceCents: 120_000,
        passingScore: 80,
        impactDimensions: ['SOCIAL_JUSTICE'],
        modules: ['Marco de derechos', 'Prácticas incluyentes', 'Plan de acción'],
      },
      {
        slug: 'manejo-residuos-peligrosos',
        title: 'Manejo de residuos peligrosos',
        description: 'Identificación, envasado, almacenamiento y entrega de residuos peligrosos conforme a la norma.',
        standard: 'EC0674',
        status: 'ARCHIVED',
        priceCents: 200_000,
        passingScore: 85,
        impactDimensions: ['CIRCULARITY', 'SUSTAINABILITY'],
        modules: ['Identificación de residuos', 'Almacenamiento temporal', 'Manifiestos de entrega'],
      },
    ],
  },
  {
    slug: 'cooperativa-sol',
    name: 'Cooperativa Sol y Tierra de Oaxaca',
    tier: 'COMMUNITY',
    state: 'OC',
    communities: [
      { name: 'Cafetaleras de la Sierra Sur', description: 'Productoras de café de sombra en Pluma Hidalgo y alrededores.' },
      { name: 'Brigada de Reforestación Mixteca', description: 'Jóvenes que restauran laderas erosionadas de la Mixteca.' },
      { name: 'Red de Semillas Nativas', description: 'Guardianes de maíz, frijol y calabaza criollos.' },
    ],
    courses: [
      {
        slug: 'vivero-cafe',
        title: 'Producción de planta de café en vivero',
        description: 'Germinadores, trasplante y manejo sanitario de plántulas de café bajo sombra.',
        standard: 'EC0794',
        status: 'PUBLISHED',
        priceCents: 0,
        passingScore: 70,
        impactDimensions: ['REGENERATIVE', 'SUSTAINABILITY'],
        modules: ['Semilla y germinador', 'Trasplante a bolsa', 'Manejo sanitario'],
      },
      {
        slug: 'cosecha-cafe',
        title: 'Cosecha de café de especialidad',
        description: 'Corte selectivo del fruto maduro, acopio y cuidado del cafetal durante la cosecha.',
        standard: 'EC0272',
        status: 'PUBLISHED',
        priceCents: 0,
        passingScore: 70,
        impactDimensions: ['REGENERATIVE', 'COMMUNITY'],
        modules: ['Corte selectivo', 'Acopio y traslado', 'Cuidado del cafetal'],
      },
      {
        slug: 'calentador-solar-vivienda',
        title: 'Calentadores solares de agua para vivienda',
        description: 'Instalación de calentadores solares termosifónicos en viviendas de la comunidad.',
        standard: 'EC0325',
        status: 'PUBLISHED',
        priceCents: 45_000,
        passingScore: 80,
        impactDimensions: ['SUSTAINABILITY', 'CIRCULARITY'],
        modules: ['Evaluación del sitio', 'Instalación del equipo', 'Pruebas y mantenimiento'],
      },
      {
        slug: 'agricultura-familiar-sustentable',
        title: 'Desarrollo rural sustentable de la agricultura familiar',
        description: 'Milpa diversificada, conservación de suelo y comercialización justa desde la familia campesina.',
        standard: 'EC0557',
        status: 'PUBLISHED',
        priceCents: 30_000,
        passingScore: 70,
        impactDimensions: ['REGENERATIVE', 'COMMUNITY', 'SOCIAL_JUSTICE'],
        modules: ['La milpa diversificada', 'Conservación de suelo y agua', 'Comercio justo local'],
      },
      {
        slug: 'seguridad-alimentaria-participativa',
        title: 'Facilitación de procesos participativos para la seguridad alimentaria',
        description: 'Asambleas, diagnósticos participativos y planes comunitarios de alimentación.',
        standard: 'EC0439',
        status: 'PUBLISHED',
        priceCents: 25_000,
        passingScore: 75,
        impactDimensions: ['COMMUNITY', 'SOCIAL_JUSTICE'],
        modules: ['Diagnóstico participativo', 'Facilitación de asambleas', 'Plan comunitario'],
      },
      {
        slug: 'educacion-financiera-mujeres',
        title: 'Educación financiera para el empoderamiento de la mujer',
        description: 'Ahorro, crédito y presupuesto con perspectiva de género para socias de la cooperativa.',
        standard: 'EC0755',
        status: 'PUBLISHED',
        priceCents: 0,
        passingScore: 70,
        impactDimensions: ['SOCIAL_JUSTICE', 'COMMUNITY'],
        modules: ['Presupuesto familiar', 'Ahorro y crédito', 'Autonomía económica'],
      },
      {
        slug: 'brigadas-incendios-forestales',
        title: 'Combate comunitario de incendios forestales',
        description: 'Organización de brigadas comunitarias, brechas cortafuego y liquidación de incendios.',
        standard: 'EC1551',
        status: 'PUBLISHED',
        priceCents: 0,
        passingScore: 85,
        impactDimensions: ['REGENERATIVE', 'COMMUNITY'],
        modules: ['Organización de la brigada', 'Brechas cortafuego', 'Liquidación y vigilancia'],
      },
      {
        slug: 'atencion-lengua-materna',
        title: 'Atención en lengua materna en programas sociales',
        description: 'Orientación a personas hablantes de zapoteco y mixteco sobre programas sociales.',
        standard: 'EC0079',
        status: 'DRAFT',
        priceCents: 0,
        passingScore: 75,
        impactDimensions: ['SOCIAL_JUSTICE'],
        modules: ['Derechos lingüísticos', 'Atención en ventanilla', 'Seguimiento de casos'],
      },
    ],
  },
  {
    slug: 'tec-norte',
    name: 'Tecnológico del Norte',
    tier: 'ENTERPRISE',
    state: 'NL',
    communities: [
      { name: 'Club de Movilidad Sustentable', description: 'Estudiantes que promueven la bici y el transporte compartido.' },
      { name: 'Laboratorio de Economía Circular', description: 'Proyectos de reúso de materiales en la industria regiomontana.' },
    ],
    courses: [
      {
        slug: 'supervision-fotovoltaica',
        title: 'Supervisión de sistemas fotovoltaicos',
        description: 'Supervisa la instalación de sistemas fotovoltaicos en residencia, comercio e industria.',
        standard: 'EC1181',
        status: 'PUBLISHED',
        priceCents: 480_000,
        passingScore: 85,
        impactDimensions: ['SUSTAINABILITY'],
        modules: ['Revisión de proyecto', 'Supervisión en sitio', 'Entrega y documentación'],
      },
      {
        slug: 'generacion-distribuida',
        title: 'Asesoría técnica-comercial en generación distribuida fotovoltaica',
        description: 'Propuestas técnico-económicas de generación distribuida para clientes industriales.',
        standard: 'EC1180',
        status: 'PUBLISHED',
        priceCents: 420_000,
        passingScore: 80,
        impactDimensions: ['SUSTAINABILITY', 'CIRCULARITY'],
        modules: ['Perfil de consumo', 'Propuesta técnica', 'Modelo financiero'],
      },
      {
        slug: 'diagnostico-eficiencia-electrica',
        title: 'Diagnóstico de eficiencia energética en instalaciones eléctricas',
        description: 'Verificación de eficiencia y seguridad de instalaciones y equipos eléctricos.',
        standard: 'EC1125',
        status: 'PUBLISHED',
        priceCents: 390_000,
        passingScore: 85,
        impactDimensions: ['SUSTAINABILITY'],
        modules: ['Levantamiento eléctrico', 'Mediciones', 'Reporte de hallazgos'],
      },
      {
        slug: 'proyectos-emprendimiento',
        title: 'Desarrollo de proyectos de emprendimiento',
        description: 'Del problema al modelo de negocio: emprendimientos con impacto social y ambiental.',
        standard: 'EC1223',
        status: 'PUBLISHED',
        priceCents: 300_000,
        passingScore: 80,
        impactDimensions: ['COMMUNITY', 'CIRCULARITY'],
        modules: ['Problema y usuarios', 'Modelo de negocio', 'Presentación a inversionistas'],
      },
      {
        slug: 'mejoras-sociales-campos-agricolas',
        title: 'Gestión de mejoras sociales sostenibles en campos agrícolas',
        description: 'Condiciones laborales dignas y mejora continua en campos agrícolas del norte.',
        standard: 'EC1174',
        status: 'PUBLISHED',
        priceCents: 260_000,
        passingScore: 80,
        impactDimensions: ['SOCIAL_JUSTICE', 'REGENERATIVE'],
        modules: ['Diagnóstico social', 'Plan de mejoras', 'Seguimiento con trabajadores'],
      },
      {
        slug: 'seguridad-salud-obra',
        title: 'Administración de la seguridad y salud en la obra de construcción',
        description: 'Programa de seguridad, equipos de protección y atención de incidentes en obra.',
        standard: 'EC0470',
        status: 'PUBLISHED',
        priceCents: 340_000,
        passingScore: 85,
        impactDimensions: ['SOCIAL_JUSTICE'],
        modules: ['Programa de seguridad', 'Protección personal', 'Atención de incidentes'],
      },
      {
        slug: 'accesibilidad-inclusion-laboral',
        title: 'Plan de accesibilidad universal para la inclusión laboral',
        description: 'Ajustes razonables y accesibilidad para incluir a personas con discapacidad en el trabajo.',
        standard: 'EC1667',
        status: 'PUBLISHED',
        priceCents: 280_000,
        passingScore: 80,
        impactDimensions: ['SOCIAL_JUSTICE', 'COMMUNITY'],
        modules: ['Diagnóstico de accesibilidad', 'Ajustes razonables', 'Plan de inclusión'],
      },
      {
        slug: 'diseno-cursos-internet',
        title: 'Diseño de cursos de capacitación para impartirse por Internet',
        description: 'Diseño instruccional, guiones y evaluación para cursos en línea.',
        standard: 'EC0050',
        status: 'DRAFT',
        priceCents: 250_000,
        passingScore: 80,
        impactDimensions: ['COMMUNITY'],
        modules: ['Diseño instruccional', 'Guion y recursos', 'Evaluación en línea'],
      },
    ],
  },
];

/** Lessons of every module: the module's topic seen three ways. */
/** Each module's three lessons: a video of the key ideas, a guided practice, a case to read. */
export const LESSON_KINDS = [
  {
    suffix: 'conceptos clave',
    minutes: 20,
    kind: 'VIDEO',
    body: (topic: string) => `## ${topic}\n\nMira el video y anota **tres ideas** que puedas aplicar en tu comunidad.`,
  },
  {
    suffix: 'práctica guiada',
    minutes: 35,
    kind: 'PRACTICE',
    body: (topic: string) =>
      `## Práctica: ${topic}\n\n1. Reúne los materiales de la lista.\n2. Sigue los pasos con tu grupo.\n3. Registra lo que observaste.`,
  },
  {
    suffix: 'caso de estudio',
    minutes: 25,
    kind: 'READING',
    body: (topic: string) =>
      `## Caso de estudio\n\nUna cooperativa de Oaxaca aplicó *${topic.toLowerCase()}*; lee su experiencia y compárala con la tuya.`,
  },
] as const;

/** A course's catalogue category, from the first Solarpunk dimension it declares. */
export const CATEGORY_BY_DIMENSION: Readonly<Record<ImpactDimension, string>> = {
  SUSTAINABILITY: 'Energía y sustentabilidad',
  COMMUNITY: 'Comunidad',
  REGENERATIVE: 'Agricultura regenerativa',
  SOCIAL_JUSTICE: 'Inclusión y derechos',
  CIRCULARITY: 'Economía circular',
};

/** What learners who finished a course say of it, by stars (the seed picks one per review). */
export const REVIEW_COMMENTS: Readonly<Record<3 | 4 | 5, string>> = {
  3: 'Buen contenido; me faltaron más ejemplos prácticos.',
  4: 'Muy útil para mi trabajo; lo recomiendo.',
  5: 'Excelente: lo apliqué con mi cooperativa desde la primera semana.',
};

export const GIVEN_NAMES_F = [
  'María Fernanda',
  'Guadalupe',
  'Ximena',
  'Itzel',
  'Citlali',
  'Valeria',
  'Renata',
  'Daniela',
  'Abril',
  'Yareli',
  'Camila',
  'Natalia',
  'Paola',
  'Sofía',
  'Xóchitl',
  'Ana Lucía',
  'Rosa Elena',
  'Leticia',
];
export const GIVEN_NAMES_M = [
  'José Luis',
  'Juan Carlos',
  'Emiliano',
  'Tonatiuh',
  'Santiago',
  'Mateo',
  'Diego',
  'Alejandro',
  'Ricardo',
  'Héctor',
  'Andrés',
  'Jorge',
  'Miguel Ángel',
  'Cuauhtémoc',
  'Rodrigo',
  'Efraín',
  'Bernardo',
  'Tomás',
];
export const SURNAMES = [
  'Hernández',
  'García',
  'Martínez',
  'López',
  'González',
  'Pérez',
  'Rodríguez',
  'Sánchez',
  'Ramírez',
  'Cruz',
  'Flores',
  'Gómez',
  'Morales',
  'Vázquez',
  'Jiménez',
  'Reyes',
  'Díaz',
  'Torres',
  'Gutiérrez',
  'Ruiz',
  'Mendoza',
  'Aguilar',
  'Ortiz',
  'Castillo',
  'Santiago',
  'Luna',
  'Ramos',
  'Chávez',
  'Velasco',
  'Nava',
];

/** Besides one account per persona, each tenant has these many more people. */
export const EXTRA_PEOPLE = { INSTRUCTOR: 2, EVALUATOR: 1, LEARNER: 16 } as const;

export const IMPACT_ACTIVITIES = [
  {
    type: 'COMMUNITY_PROJECT',
    description: 'Jornada de limpieza y reforestación del parque del barrio',
    quantities: { hours: 6, participants: 18, treesPlanted: 40 },
  },
  { type: 'SKILL_SHARING', description: 'Taller de composta doméstica para vecinas', quantities: { hours: 3, participants: 12 } },
  {
    type: 'SUSTAINABILITY_ACTION',
    description: 'Cambio de luminarias a LED en el centro comunitario',
    quantities: { kgCo2eAvoided: 180, kwhSaved: 420 },
  },
  {
    type: 'REGENERATIVE_PROJECT',
    description: 'Terrazas de conservación de suelo en la ladera',
    quantities: { hours: 12, squareMetersRestored: 350 },
  },
  { type: 'SUSTAINABILITY_ACTION', description: 'Acopio de envases para reciclaje', quantities: { kgWasteDiverted: 95 } },
  {
    type: 'SKILL_SHARING',
    description: 'Asesoría entre pares para instalar calentadores solares',
    quantities: { hours: 4, participants: 6 },
  },
  { type: 'COMMUNITY_PROJECT', description: 'Banco de semillas nativas de la comunidad', quantities: { hours: 8, participants: 25 } },
  {
    type: 'REGENERATIVE_PROJECT',
    description: 'Restauración de un manantial con plantas nativas',
    quantities: { hours: 10, treesPlanted: 60 },
  },
] as const;
