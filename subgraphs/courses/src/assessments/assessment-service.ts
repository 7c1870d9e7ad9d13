import {
  BadUserInputError,
  ConflictError,
  type AssessmentAttempt,
  type Course,
  type Enrollment,
  type Prisma,
  type TenantScope,
} from '@academy/platform';
import type { LearningService } from '../learning/learning-service';
import type { AssessmentRepository, AssessmentWithQuestions } from '../repositories/assessment-repository';
import type { CourseRepository } from '../repositories/course-repository';
import type { EnrollmentRepository } from '../repositories/enrollment-repository';
import { assessmentFromInput, type AssessmentInputShape } from './assessment-input';
import { grade, shuffled, type StoredOption } from './grading';

/**
 * Graded assessments: the instructor sets one (replacing it until someone attempts it); a
 * learner who completed every lesson starts an attempt (options shuffled for it; the correct
 * ones never sent to them), submits it, and the server grades it. A passing attempt completes the
 * course and issues its certificate; attempts are limited by maxAttempts and the time limit.
 */
export class AssessmentService {
  constructor(
    private readonly db: TenantScope,
    private readonly assessments: AssessmentRepository,
    private readonly courses: CourseRepository,
    private readonly enrollments: EnrollmentRepository,
    private readonly learning: LearningService,
  ) {}

  async set(course: Course, input: AssessmentInputShape): Promise<AssessmentWithQuestions> {
    const { assessment, issues } = assessmentFromInput(input);
    if (issues.length > 0) throw new BadUserInputError('Invalid assessment', issues);
    const saved = await this.assessments.replace(course.id, assessment);
    if (!saved) throw new ConflictError('Learners have attempted this assessment; it can no longer be replaced');
    return saved;
  }

  async start(enrollment: Enrollment, now = new Date()): Promise<AssessmentAttempt> {
    const assessment = (await this.assessments.ofCourses([enrollment.courseId])).get(enrollment.courseId);
    if (!assessment) throw new ConflictError('This course has no assessment: its instructor or an evaluator grades it');
    return this.assessments.lockingEnrollment(enrollment.id, async (tx) => {
      const [current] = await this.enrollments.findByIds([enrollment.id]);
      if (current!.status !== 'ACTIVE') throw new ConflictError('The course is already completed');
      const lessonIds = (await this.courses.lessonIdsOf([enrollment.courseId])).get(enrollment.courseId) ?? [];
      const done = new Set((await this.enrollments.completedLessonIds([enrollment.id])).get(enrollment.id) ?? []);
      if (!lessonIds.every((id) => done.has(id))) throw new ConflictError('Complete every lesson before the assessment');
      const attempts = (await this.assessments.attemptsOf([enrollment.id])).get(enrollment.id) ?? [];
      const open = attempts.find((attempt) => attempt.status === 'IN_PROGRESS');
      if (open && !expired(open, now)) throw new ConflictError('An attempt is already open: submit it first');
      if (open) await tx.assessmentAttempt.update({ where: { id: open.id }, data: { status: 'EXPIRED' } });
      if (attempts.length >= assessment.maxAttempts) throw new ConflictError(`No attempts remain (${assessment.maxAttempts} allowed)`);
      const optionOrder = Object.fromEntries(
        assessment.questions.map((question) => [question.id, shuffled(optionsOf(question)).map((option) => option.id)]),
      );
      await this.assessments.recordActivity(tx, enrollment.id, now);
      return tx.assessmentAttempt.create({
        data: {
          tenantId: this.db.tenantId,
          assessmentId: assessment.id,
          enrollmentId: enrollment.id,
          number: attempts.length + 1,
          optionOrder,
          startedAt: now,
          expiresAt: assessment.timeLimitMinutes ? new Date(now.getTime() + assessment.timeLimitMinutes * 60_000) : null,
        },
      });
    });
  }

  async submit(
    attempt: AssessmentAttempt,
    answers: { questionId: string; optionIds: string[] }[],
    now = new Date(),
  ): Promise<AssessmentAttempt> {
    const [enrollment] = await this.enrollments.findByIds([attempt.enrollmentId]);
    const assessment = (await this.assessments.ofCourses([enrollment!.courseId])).get(enrollment!.courseId)!;
    const chosen = checkedAnswers(assessment, answers);
    const graded = await this.assessments.lockingEnrollment(attempt.enrollmentId, async (tx) => {
      const [current] = await this.assessments.findAttempts([attempt.id]);
      if (current!.status !== 'IN_PROGRESS') throw new ConflictError(`This attempt is ${current!.status.toLowerCase()}`);
      if (expired(current!, now)) {
        await tx.assessmentAttempt.update({ where: { id: attempt.id }, data: { status: 'EXPIRED' } });
        return null;
      }
      const { score } = grade(
        assessment.questions.map((question) => ({ ...question, options: optionsOf(question) })),
        chosen,
      );
      const [course] = await this.courses.findByIds([enrollment!.courseId]);
      await this.assessments.recordActivity(tx, attempt.enrollmentId, now);
      return tx.assessmentAttempt.update({
        where: { id: attempt.id },
        data: {
          status: 'SUBMITTED',
          submittedAt: now,
          answers: chosen as Prisma.InputJsonObject,
          score,
          passed: score >= course!.passingScore,
        },
      });
    });
    if (!graded) throw new ConflictError('The time limit passed: this attempt expired');
    if (graded.passed) await this.learning.recordGradedScore(enrollment!, graded.score!);
    return graded;
  }

  /** How many attempts are left (null: the course has no assessment). */
  remaining(assessment: AssessmentWithQuestions | undefined, attempts: AssessmentAttempt[]): number | null {
    return assessment ? Math.max(0, assessment.maxAttempts - attempts.length) : null;
  }
}

export function optionsOf(question: { options: Prisma.JsonValue }): StoredOption[] {
  return question.options as unknown as StoredOption[];
}

function expired(attempt: AssessmentAttempt, now: Date): boolean {
  return attempt.expiresAt !== null && attempt.expiresAt.getTime() < now.getTime();
}

/** The answers as { questionId: optionIds }, each a question of the assessment and options of that question. */
function checkedAnswers(
  assessment: AssessmentWithQuestions,
  answers: { questionId: string; optionIds: string[] }[],
): Record<string, string[]> {
  const byId = new Map(assessment.questions.map((question) => [question.id, question]));
  const chosen: Record<string, string[]> = {};
  const issues: { field: string; message: string }[] = [];
  answers.forEach((answer, index) => {
    const question = byId.get(answer.questionId);
    if (!question) return void issues.push({ field: `answers.${index}.questionId`, message: 'not a question of this assessment' });
    if (chosen[answer.questionId]) return void issues.push({ field: `answers.${index}.questionId`, message: 'answered twice' });
    const ids = new Set(optionsOf(question).map((option) => option.id));
    if (!answer.optionIds.every((id) => ids.has(id)))
      return void issues.push({ field: `answers.${index}.optionIds`, message: 'not options of this question' });
    if (question.kind !== 'MULTIPLE_CHOICE' && answer.optionIds.length > 1)
      return void issues.push({ field: `answers.${index}.optionIds`, message: 'choose one option' });
    chosen[answer.questionId] = [...new Set(answer.optionIds)];
  });
  if (issues.length > 0) throw new BadUserInputError('Invalid answers', issues);
  return chosen;
}
