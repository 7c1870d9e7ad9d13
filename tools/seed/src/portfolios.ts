import type { Prisma } from '@academy/platform';
import { seedId } from './ids';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The evaluation instrument of a seeded course: one criterion of each kind. */
const CRITERIA = [
  { element: 'Preparar la sesión', kind: 'PERFORMANCE', description: 'Presenta el encuadre y los objetivos de la sesión ante el grupo' },
  { element: 'Desarrollar la sesión', kind: 'PRODUCT', description: 'Entrega la carta descriptiva con actividades, tiempos y materiales' },
  { element: 'Evaluar la sesión', kind: 'KNOWLEDGE', description: 'Explica cómo se valoran los aprendizajes y qué instrumentos se usan' },
] as const;

/** What the portfolios add to a tenant's seed. */
export interface PortfolioSeed {
  criteria: Prisma.EvaluationCriterionCreateManyInput[];
  /** Evidence files: READY rows of purpose EVIDENCE (their bytes are not in storage: a download of one finds nothing). */
  files: Prisma.FileCreateManyInput[];
  portfolios: Prisma.PortfolioCreateManyInput[];
  evidence: Prisma.EvidenceCreateManyInput[];
  evidenceFiles: Prisma.EvidenceFileCreateManyInput[];
}

export function emptyPortfolioSeed(): PortfolioSeed {
  return { criteria: [], files: [], portfolios: [], evidence: [], evidenceFiles: [] };
}

/**
 * Two courses of the tenant get evaluation criteria, and their learners' portfolios stages:
 * completed enrollments judged COMPETENT (so the CONOCER submissions of their certificates rest
 * on a judgement); active ones, in turn, empty (no row yet), partly reviewed with a rejection and
 * its resubmission waiting, or every criterion waiting for review. Pure: ids from names, times from the enrollment's.
 */
export function buildPortfolios(
  tenant: { id: string; slug: string },
  courses: readonly { id: string; slug: string }[],
  enrollments: readonly Prisma.EnrollmentCreateManyInput[],
  evaluators: readonly { id: string }[],
): PortfolioSeed {
  const seed = emptyPortfolioSeed();
  const tenantId = tenant.id;
  const key = (...parts: (string | number)[]) => [tenant.slug, ...parts].join(':');
  for (const course of courses) {
    CRITERIA.forEach((criterion, index) =>
      seed.criteria.push({
        id: seedId('criterion', key(course.slug, index + 1)),
        tenantId,
        courseId: course.id,
        ...criterion,
        position: index + 1,
      }),
    );
  }
  const criteriaOf = (courseId: string) => seed.criteria.filter((criterion) => criterion.courseId === courseId);

  let active = 0;
  enrollments
    .filter((enrollment) => courses.some((course) => course.id === enrollment.courseId) && enrollment.status !== 'CANCELLED')
    .forEach((enrollment, n) => {
      const stage = enrollment.status === 'COMPLETED' ? 'competent' : (['empty', 'partly-reviewed', 'waiting'] as const)[active++ % 3]!;
      if (stage === 'empty') return;
      const portfolioId = enrollment.id!;
      const learnerId = enrollment.learnerId;
      const evaluator = evaluators[n % evaluators.length]!.id;
      const start = (enrollment.enrolledAt as Date).getTime() + DAY;
      let pieces = 0;
      const addEvidence = (
        criterionId: string,
        status: 'SUBMITTED' | 'ACCEPTED' | 'REJECTED',
        at: number,
        { reviewComment = null as string | null, note = null as string | null } = {},
      ) => {
        pieces += 1;
        const evidenceId = seedId('evidence', key(portfolioId, pieces));
        const fileId = seedId('file', key('evidence', portfolioId, pieces));
        seed.files.push({
          id: fileId,
          tenantId,
          ownerId: learnerId,
          purpose: 'EVIDENCE',
          name: `evidencia-${pieces}.pdf`,
          contentType: 'application/pdf',
          byteSize: 48_213 + pieces * 1_024,
          storageKey: `${tenantId}/evidence/${fileId}`,
          status: 'READY',
          uploadExpiresAt: new Date(at - HOUR),
          readyAt: new Date(at - HOUR / 2),
          createdAt: new Date(at - HOUR),
        });
        seed.evidence.push({
          id: evidenceId,
          tenantId,
          portfolioId,
          criterionId,
          note,
          status,
          submittedAt: new Date(at),
          ...(status === 'SUBMITTED' ? {} : { reviewerId: evaluator, reviewComment, reviewedAt: new Date(at + DAY / 2) }),
        });
        seed.evidenceFiles.push({ tenantId, evidenceId, fileId, position: 1 });
      };
      const criteria = criteriaOf(enrollment.courseId);
      const completedAt = enrollment.completedAt as Date | null;
      seed.portfolios.push({
        id: portfolioId,
        tenantId,
        learnerId,
        courseId: enrollment.courseId,
        ...(stage === 'competent'
          ? {
              judgement: 'COMPETENT',
              judgedById: evaluator,
              judgedAt: new Date(completedAt!.getTime() - HOUR),
              judgementComment: 'Demostró la competencia en los tres elementos',
            }
          : {}),
        createdAt: new Date(start),
        updatedAt: new Date(start),
      });
      if (stage === 'competent') {
        criteria.forEach((criterion, index) => addEvidence(criterion.id!, 'ACCEPTED', start + index * DAY));
      } else if (stage === 'partly-reviewed') {
        addEvidence(criteria[0]!.id!, 'ACCEPTED', start);
        addEvidence(criteria[1]!.id!, 'REJECTED', start + HOUR, { reviewComment: 'Falta indicar los tiempos de cada actividad' });
        addEvidence(criteria[1]!.id!, 'SUBMITTED', start + 2 * DAY, { note: 'Corregida con los tiempos de cada actividad' });
      } else {
        criteria.forEach((criterion, index) => addEvidence(criterion.id!, 'SUBMITTED', start + index * HOUR));
      }
    });
  return seed;
}
