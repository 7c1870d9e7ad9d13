import { buildCurp } from '@academy/curp';
import { findRenecStandard } from '@academy/renec';
import { CredentialIssuer, statusListEntry, type CredentialInput } from '@academy/credentials';
import { certificationEvent, courseCompletionEvent, scoredEvent } from '@academy/impact-scoring';
import type { ConocerStatus, Persona, Prisma, VerificationLevel } from '@academy/platform';
import { PERSONAS } from '@academy/permissions';
import {
  DEMO_API_KEY,
  DEMO_INVITATION_DAYS,
  EXTRA_PEOPLE,
  GIVEN_NAMES_F,
  GIVEN_NAMES_M,
  IMPACT_ACTIVITIES,
  CATEGORY_BY_DIMENSION,
  LESSON_KINDS,
  REVIEW_COMMENTS,
  SURNAMES,
  TENANTS,
  type TenantSpec,
} from './dataset';
import { seedApiKeySecret, seedFraction, seedId, seedSecret, sha256Hex } from './ids';
import { buildPortfolios, emptyPortfolioSeed, type PortfolioSeed } from './portfolios';

export type SeedUser = Omit<Prisma.UserCreateManyInput, 'passwordHash'>;

/** One tenant's rows, in insertion order. */
export interface TenantSeed {
  tenant: Prisma.TenantCreateManyInput & { id: string; slug: string };
  users: SeedUser[];
  communities: Prisma.CommunityCreateManyInput[];
  memberships: Prisma.CommunityMembershipCreateManyInput[];
  courses: Prisma.CourseCreateManyInput[];
  modules: Prisma.CourseModuleCreateManyInput[];
  lessons: Prisma.LessonCreateManyInput[];
  enrollments: Prisma.EnrollmentCreateManyInput[];
  lessonCompletions: Prisma.LessonCompletionCreateManyInput[];
  /** Reviews by learners who finished or are finishing a course. */
  reviews: Prisma.CourseReviewCreateManyInput[];
  /** What learners paid for paid courses: a PAID order per enrollment (a cancelled one's was refunded). */
  orders: Prisma.OrderCreateManyInput[];
  /** The credential is signed when the rows are written (signing is the only async step). */
  certificates: (Omit<Prisma.CertificateCreateManyInput, 'credential'> & { credential: CredentialInput })[];
  submissions: Prisma.ConocerSubmissionCreateManyInput[];
  statusChanges: Prisma.ConocerStatusChangeCreateManyInput[];
  impactEvents: Prisma.ImpactEventCreateManyInput[];
  /** The tenant's integration key (only its hash is stored; the secret is `demoApiKey(slug).secret`). */
  apiKeys: Prisma.ApiKeyCreateManyInput[];
  /** The invited people's invitation links (only their hash is stored; the token is `demoInvitationToken(email)`). */
  accountTokens: Prisma.AccountTokenCreateManyInput[];
  /** EC evaluation portfolios of two courses (portfolios.ts). */
  portfolios: PortfolioSeed;
}

/** A tenant's seeded API key: its documented secret (sent as X-Api-Key with X-Tenant: slug) and prefix. */
export function demoApiKey(slug: string): { prefix: string; secret: string } {
  return seedApiKeySecret(`tenant:${slug}`);
}

/** The documented token of a seeded invitation (the link is /accept-invitation?token=<token>). */
export function demoInvitationToken(email: string): string {
  return seedSecret('invitation', email);
}

const DAY = 86_400_000;

/** Enrollment stages the seed covers, from just enrolled to completed and cancelled. */
type Stage = 'enrolled' | 'in-progress' | 'lessons-done' | 'failed-assessment' | 'completed' | 'cancelled';
const STAGES: Stage[] = ['enrolled', 'in-progress', 'lessons-done', 'failed-assessment', 'completed', 'cancelled'];
/** The demo learner account shows a bit of everything. */
const DEMO_LEARNER_STAGES: Stage[] = ['completed', 'completed', 'in-progress', 'enrolled'];

/**
 * The whole data set as rows. Pure: ids depend only on names, times only on `anchor` (the day
 * the seed runs, so that "this month" reports show data), never on randomness.
 */
export function buildSeed(anchor: Date): TenantSeed[] {
  let personCounter = 0;
  return TENANTS.map((spec) => buildTenant(spec, anchor, () => personCounter++));
}

function buildTenant(spec: TenantSpec, anchor: Date, nextPerson: () => number): TenantSeed {
  const daysAgo = (days: number, hours = 10) => new Date(anchor.getTime() - days * DAY + hours * 3_600_000);
  const tenantId = seedId('tenant', spec.slug);
  const key = (...parts: (string | number)[]) => [spec.slug, ...parts].join(':');
  const seed: TenantSeed = {
    tenant: {
      id: tenantId,
      slug: spec.slug,
      name: spec.name,
      tier: spec.tier,
      settings: (spec.settings ?? {}) as Prisma.InputJsonObject,
      createdAt: daysAgo(400),
    },
    users: [],
    communities: [],
    memberships: [],
    courses: [],
    modules: [],
    lessons: [],
    enrollments: [],
    lessonCompletions: [],
    reviews: [],
    orders: [],
    certificates: [],
    submissions: [],
    statusChanges: [],
    impactEvents: [],
    apiKeys: [],
    accountTokens: [],
    portfolios: emptyPortfolioSeed(),
  };

  // People: one account per persona (<persona>@<slug>.academy.mx), then the rest of the tenant.
  const emails = new Set<string>();
  const addUser = (persona: Persona, email: string | null, index: number): SeedUser => {
    const n = nextPerson();
    const female = n % 2 === 0;
    const givenNames = (female ? GIVEN_NAMES_F : GIVEN_NAMES_M)[(n * 7) % GIVEN_NAMES_F.length]!;
    const first = SURNAMES[(n * 11) % SURNAMES.length]!;
    const second = SURNAMES[(n * 17 + 5) % SURNAMES.length]!;
    let address = email ?? `${ascii(givenNames.split(' ')[0]!)}.${ascii(first)}@${spec.slug}.academy.mx`;
    for (let suffix = 2; emails.has(address); suffix += 1) {
      address = `${ascii(givenNames.split(' ')[0]!)}.${ascii(first)}${suffix}@${spec.slug}.academy.mx`;
    }
    emails.add(address);
    const birthDate = new Date(Date.UTC(1975 + (n % 30), n % 12, 1 + (n % 28)));
    const user: SeedUser = {
      id: seedId('user', address),
      tenantId,
      email: address,
      name: `${givenNames} ${first} ${second}`,
      persona,
      curp: buildCurp({
        givenNames,
        firstSurname: first,
        secondSurname: second,
        birthDate,
        sex: female ? 'M' : 'H',
        state: spec.state,
        differentiator: n,
      }),
      createdAt: daysAgo(email ? 380 : 160 + ((index * 13) % 140)),
    };
    seed.users.push(user);
    return user;
  };
  const personaAccounts = new Map(
    PERSONAS.map((persona, index) => [persona, addUser(persona, `${persona.toLowerCase()}@${spec.slug}.academy.mx`, index)]),
  );
  const instructors = [personaAccounts.get('INSTRUCTOR')!];
  for (let i = 0; i < EXTRA_PEOPLE.INSTRUCTOR; i += 1) instructors.push(addUser('INSTRUCTOR', null, i));
  const evaluators = [personaAccounts.get('EVALUATOR')!];
  for (let i = 0; i < EXTRA_PEOPLE.EVALUATOR; i += 1) evaluators.push(addUser('EVALUATOR', null, i));
  const learners = [personaAccounts.get('LEARNER')!];
  for (let i = 0; i < EXTRA_PEOPLE.LEARNER; i += 1) learners.push(addUser('LEARNER', null, i));
  const admin = personaAccounts.get('TENANT_ADMIN')!;

  // The tenant admin's integration key, with every scope, and the people it invited (not yet
  // accepted). These take no number from nextPerson, so everyone above keeps their name and CURP.
  const apiKey = demoApiKey(spec.slug);
  seed.apiKeys.push({
    id: seedId('api-key', key(DEMO_API_KEY.name)),
    tenantId,
    name: DEMO_API_KEY.name,
    prefix: apiKey.prefix,
    secretHash: sha256Hex(apiKey.secret),
    scopes: DEMO_API_KEY.scopes,
    createdById: admin.id!,
    createdAt: daysAgo(60),
  });
  for (const person of spec.invited ?? []) {
    emails.add(person.email);
    const user: SeedUser = {
      id: seedId('user', person.email),
      tenantId,
      email: person.email,
      name: person.name,
      persona: person.persona,
      status: 'INVITED',
      curp: null,
      createdAt: daysAgo(2),
    };
    seed.users.push(user);
    seed.accountTokens.push({
      id: seedId('account-token', `invitation:${person.email}`),
      tenantId,
      userId: user.id!,
      purpose: 'INVITATION',
      tokenHash: sha256Hex(demoInvitationToken(person.email)),
      expiresAt: new Date(anchor.getTime() + DEMO_INVITATION_DAYS * DAY),
      createdAt: user.createdAt!,
    });
  }

  // Communities: every learner belongs to one, every third to a second; instructors lead one.
  for (const [index, community] of spec.communities.entries()) {
    seed.communities.push({
      id: seedId('community', key(community.name)),
      tenantId,
      name: community.name,
      description: community.description,
      createdAt: daysAgo(300 - index * 10),
    });
  }
  const communityOf = (index: number) => seed.communities[index % seed.communities.length]!.id!;
  learners.forEach((learner, index) => {
    seed.memberships.push({
      tenantId,
      communityId: communityOf(index),
      userId: learner.id!,
      role: 'MEMBER',
      joinedAt: daysAgo(150 - index),
    });
    if (index % 3 === 0)
      seed.memberships.push({
        tenantId,
        communityId: communityOf(index + 1),
        userId: learner.id!,
        role: 'MEMBER',
        joinedAt: daysAgo(120 - index),
      });
  });
  instructors.forEach((instructor, index) => {
    if (index < seed.communities.length)
      seed.memberships.push({
        tenantId,
        communityId: communityOf(index + 2),
        userId: instructor.id!,
        role: 'LEAD',
        joinedAt: daysAgo(290),
      });
  });

  // Courses with their modules and lessons.
  const lessonsByCourse = new Map<string, { id: string; minutes: number }[]>();
  spec.courses.forEach((course, c) => {
    if (!findRenecStandard(course.standard)) throw new Error(`seed: ${course.standard} is not in the RENEC catalogue`);
    const courseId = seedId('course', key(course.slug));
    const createdAt = daysAgo(240 - c * 5);
    seed.courses.push({
      id: courseId,
      tenantId,
      slug: course.slug,
      title: course.title,
      description: course.description,
      status: course.status,
      instructorId: instructors[c % instructors.length]!.id!,
      priceCents: course.priceCents,
      currency: 'MXN',
      competencyStandardCode: course.standard,
      passingScore: course.passingScore,
      impactDimensions: course.impactDimensions,
      category: course.impactDimensions[0] ? CATEGORY_BY_DIMENSION[course.impactDimensions[0]] : null,
      publishedAt: course.status === 'DRAFT' ? null : new Date(createdAt.getTime() + 7 * DAY),
      createdAt,
    });
    const lessons: { id: string; minutes: number }[] = [];
    course.modules.forEach((moduleTitle, m) => {
      const moduleId = seedId('module', key(course.slug, m));
      seed.modules.push({ id: moduleId, tenantId, courseId, title: moduleTitle, position: m + 1, createdAt });
      LESSON_KINDS.forEach((kind, l) => {
        const lessonId = seedId('lesson', key(course.slug, m, l));
        seed.lessons.push({
          id: lessonId,
          tenantId,
          courseId,
          moduleId,
          title: `${moduleTitle}: ${kind.suffix}`,
          position: l + 1,
          durationMinutes: kind.minutes,
          kind: kind.kind,
          body: kind.body(moduleTitle),
          videoUrl: kind.kind === 'VIDEO' ? `https://video.example.com/academia/${course.slug}/${m + 1}-${l + 1}.mp4` : null,
          createdAt,
        });
        lessons.push({ id: lessonId, minutes: kind.minutes });
      });
    });
    lessonsByCourse.set(courseId, lessons);
  });
  const published = seed.courses.filter((course) => course.status === 'PUBLISHED');

  // Enrollments at every stage; completion issues a certificate.
  learners.forEach((learner, i) => {
    const stages = i === 0 ? DEMO_LEARNER_STAGES : [0, 1, 2].map((k) => STAGES[(i + k) % STAGES.length]!);
    stages.forEach((stage, k) => {
      const course = published[(i === 0 ? k : i + 2 * k) % published.length]!;
      const lessons = lessonsByCourse.get(course.id!)!;
      const enrollmentId = seedId('enrollment', key(learner.email, course.slug));
      const enrolledAt = daysAgo(30 + ((i * 17 + k * 29) % 100));
      const done =
        stage === 'enrolled'
          ? 0
          : stage === 'in-progress'
            ? Math.max(1, Math.floor(lessons.length * (0.3 + 0.1 * (i % 4))))
            : stage === 'cancelled'
              ? 1
              : lessons.length;
      const completedAt = stage === 'completed' ? new Date(enrolledAt.getTime() + (20 + (i % 10)) * DAY) : null;
      const finalScore =
        stage === 'completed'
          ? Math.min(100, course.passingScore! + 1 + ((i * 7 + k) % 15))
          : stage === 'failed-assessment'
            ? course.passingScore! - 5 - (i % 10)
            : null;
      seed.enrollments.push({
        id: enrollmentId,
        tenantId,
        courseId: course.id!,
        learnerId: learner.id!,
        status: stage === 'completed' ? 'COMPLETED' : stage === 'cancelled' ? 'CANCELLED' : 'ACTIVE',
        finalScore,
        enrolledAt,
        completedAt,
      });
      lessons.slice(0, done).forEach((lesson, l) => {
        seed.lessonCompletions.push({
          tenantId,
          enrollmentId,
          lessonId: lesson.id,
          completedAt: new Date(enrolledAt.getTime() + (l + 1) * DAY * 0.5),
        });
      });
      seed.enrollments.at(-1)!.lastActivityAt = done > 0 ? new Date(enrolledAt.getTime() + done * DAY * 0.5) : null;
      // A paid course was bought first (by card, or cash at OXXO every third time); a cancelled enrollment was refunded.
      if (course.priceCents! > 0)
        seed.orders.push({
          id: seedId('order', key(learner.email, course.slug)),
          tenantId,
          buyerId: learner.id!,
          courseId: course.id!,
          status: stage === 'cancelled' ? 'REFUNDED' : 'PAID',
          paymentMethod: (i + k) % 3 === 0 ? 'OXXO' : 'CARD',
          subtotalCents: course.priceCents!,
          discountCents: 0,
          totalCents: course.priceCents!,
          currency: 'MXN',
          paidAt: new Date(enrolledAt.getTime() - 60_000),
          createdAt: new Date(enrolledAt.getTime() - 5 * 60_000),
          ...(stage === 'cancelled'
            ? { refundedAt: new Date(enrolledAt.getTime() + 3 * DAY), refundReason: 'Baja a petición del aprendiz' }
            : {}),
        });
      // Those who finished, and some who are finishing, say what they thought.
      if (stage === 'completed' || (stage === 'lessons-done' && i % 2 === 0)) {
        const rating = (3 + ((i + k) % 3)) as 3 | 4 | 5;
        const reviewedAt = new Date(enrolledAt.getTime() + (done + 1) * DAY * 0.5);
        seed.reviews.push({
          id: seedId('review', key(learner.email, course.slug)),
          tenantId,
          courseId: course.id!,
          authorId: learner.id!,
          rating,
          comment: (i + k) % 4 === 3 ? null : REVIEW_COMMENTS[rating],
          createdAt: reviewedAt,
          updatedAt: reviewedAt,
        });
      }
      if (stage === 'completed') addCertificate(learner, course, enrollmentId, completedAt!, lessons);
    });
  });

  function addCertificate(
    learner: SeedUser,
    course: Prisma.CourseCreateManyInput,
    enrollmentId: string,
    issuedAt: Date,
    lessons: { minutes: number }[],
  ): void {
    const j = seed.certificates.length;
    const certificateId = seedId('certificate', enrollmentId);
    seed.certificates.push({
      id: certificateId,
      tenantId,
      learnerId: learner.id!,
      courseId: course.id!,
      enrollmentId,
      status: 'ISSUED',
      verificationCode: verificationCode(certificateId),
      // The tenant's status list indexes in issue order (seed.ts allocates them to the tenant).
      statusListIndex: j,
      credential: credentialInput(spec, certificateId, learner, course, issuedAt, j),
      issuedAt,
    });
    // The certificate's own impact: completing a course is an expert-verified event.
    seed.impactEvents.push({
      id: seedId('impact-event', `certificate:${certificateId}`),
      tenantId,
      userId: learner.id!,
      communityId: firstCommunity(learner.id!),
      ...courseCompletionEvent({ title: course.title, minutes: lessons.reduce((sum, lesson) => sum + lesson.minutes, 0) }),
      verifiedAt: issuedAt,
      sourceKey: `certificate:${certificateId}`,
      occurredAt: issuedAt,
    });
    const outcome = (['APPROVED', null, 'REJECTED', null, 'FAILED'] as const)[j % 5];
    if (outcome) addSubmission(certificateId, learner, course, issuedAt, outcome);
  }

  function addSubmission(
    certificateId: string,
    learner: SeedUser,
    course: Prisma.CourseCreateManyInput,
    requestedAt: Date,
    outcome: 'APPROVED' | 'REJECTED' | 'FAILED',
  ): void {
    const submissionId = seedId('conocer-submission', certificateId);
    const at = (hours: number) => new Date(requestedAt.getTime() + hours * 3_600_000);
    const history: { status: ConocerStatus; reason?: string; at: Date }[] = [{ status: 'PENDING', at: at(1) }];
    let rejectionReason: string | null = null;
    let failureReason: string | null = null;
    if (outcome === 'FAILED') {
      failureReason = 'CONOCER no respondió después de 8 intentos (HTTP 503)';
      history.push({ status: 'FAILED', reason: failureReason, at: at(30) });
    } else {
      history.push({ status: 'SUBMITTED', at: at(2) }, { status: 'IN_REVIEW', at: at(26) });
      if (outcome === 'REJECTED') {
        rejectionReason = 'Juicio: todavía no competente. La evidencia de desempeño no cubre todos los criterios del estándar.';
        history.push({ status: 'REJECTED', reason: rejectionReason, at: at(120) });
      } else {
        history.push({ status: 'APPROVED', at: at(120) });
      }
    }
    const last = history[history.length - 1]!;
    // An official certification is impact too (as the workers record it), once it has happened.
    if (outcome === 'APPROVED' && last.at <= anchor) {
      seed.impactEvents.push({
        id: seedId('impact-event', `conocer:${submissionId}`),
        tenantId,
        userId: learner.id!,
        communityId: firstCommunity(learner.id!),
        ...certificationEvent({ standardCode: course.competencyStandardCode!, courseTitle: course.title }),
        verifiedAt: last.at,
        sourceKey: `conocer:${submissionId}`,
        occurredAt: last.at,
      });
    }
    seed.submissions.push({
      id: submissionId,
      tenantId,
      certificateId,
      standardCode: course.competencyStandardCode!,
      status: outcome,
      folio:
        outcome === 'FAILED' ? null : `CONOCER-${requestedAt.getUTCFullYear()}-${submissionId.replace(/-/g, '').slice(0, 8).toUpperCase()}`,
      rejectionReason,
      failureReason,
      attempts: outcome === 'FAILED' ? 8 : 1,
      lastAttemptAt: last.at,
      requestedById: learner.id!,
      createdAt: at(1),
    });
    history.forEach((change, index) => {
      seed.statusChanges.push({
        id: seedId('conocer-status', `${submissionId}:${index}`),
        tenantId,
        submissionId,
        status: change.status,
        previousStatus: index === 0 ? 'NOT_REQUESTED' : history[index - 1]!.status,
        reason: change.reason ?? null,
        occurredAt: change.at,
      });
    });
  }

  // The first two published courses carry an evaluation instrument; their learners' portfolios at every stage.
  seed.portfolios = buildPortfolios(
    { id: tenantId, slug: spec.slug },
    published.slice(0, 2).map((course) => ({ id: course.id!, slug: course.slug })),
    seed.enrollments,
    evaluators.map((evaluator) => ({ id: evaluator.id! })),
  );

  // One revocation per tenant, on a certificate that never went to CONOCER.
  const revocable = seed.certificates.filter((certificate) => !seed.submissions.some((s) => s.certificateId === certificate.id)).at(-1);
  if (revocable) {
    Object.assign(revocable, {
      status: 'REVOKED',
      revokedAt: new Date((revocable.issuedAt as Date).getTime() + 3 * DAY),
      revocationReason: 'Se detectó plagio en la evaluación final',
      revokedById: admin.id,
    });
  }

  // Community and sustainability activities, self-reported or verified by an evaluator.
  const levels: VerificationLevel[] = ['SELF_REPORTED', 'PEER_VERIFIED', 'EXPERT_VERIFIED'];
  [...learners, ...instructors].forEach((person, i) => {
    const count = person.persona === 'INSTRUCTOR' ? 1 : 2;
    for (let t = 0; t < count; t += 1) {
      const activity = IMPACT_ACTIVITIES[(i * 3 + t) % IMPACT_ACTIVITIES.length]!;
      const verification = levels[(i + t) % levels.length]!;
      const occurredAt = daysAgo(5 + Math.floor(seedFraction(key(person.email, 'impact', t)) * 140));
      seed.impactEvents.push({
        id: seedId('impact-event', key(person.email, t)),
        tenantId,
        userId: person.id!,
        communityId: firstCommunity(person.id!),
        type: activity.type,
        description: activity.description,
        verification,
        verifiedById: verification === 'SELF_REPORTED' ? null : evaluators[(i + t) % evaluators.length]!.id!,
        verifiedAt: verification === 'SELF_REPORTED' ? null : new Date(occurredAt.getTime() + 2 * DAY),
        quantities: activity.quantities,
        ...scoredEvent({ type: activity.type, verification, quantities: activity.quantities }),
        occurredAt,
      });
    }
  });

  function firstCommunity(userId: string): string | null {
    return seed.memberships.find((membership) => membership.userId === userId)?.communityId ?? null;
  }

  return seed;
}

/** Short code printed on the certificate: 10 Crockford base-32 characters in two groups. */
export function verificationCode(certificateId: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const fraction = (n: number) => seedFraction(`verification:${certificateId}:${n}`);
  let code = '';
  for (let i = 0; i < 10; i += 1) code += alphabet[Math.floor(fraction(i) * 32)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** What the seeded certificate's Open Badges 3.0 credential says (issuer = the tenant, aligned to the EC standard). */
function credentialInput(
  spec: TenantSpec,
  certificateId: string,
  learner: SeedUser,
  course: Prisma.CourseCreateManyInput,
  issuedAt: Date,
  statusListIndex: number,
): CredentialInput {
  const standard = findRenecStandard(course.competencyStandardCode!)!;
  const issuer = new CredentialIssuer(spec.slug, 'academy.mx');
  return {
    certificateId,
    issuedAt,
    issuer: { id: issuer.did, name: spec.name },
    learner: { id: learner.id!, name: learner.name },
    achievement: {
      id: `${issuer.origin}/courses/${course.slug}`,
      name: course.title,
      description: course.description,
      criteria: `Completar todas las lecciones y obtener al menos ${course.passingScore} en la evaluación final.`,
    },
    standard: {
      code: standard.code,
      title: standard.title,
      url: `https://conocer.gob.mx/RENEC/fichaEstandar.do?method=obtenerPDFEstandar&idEstandarCompetencia=${standard.renecId}`,
    },
    status: statusListEntry(issuer, statusListIndex),
  };
}

function ascii(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}
