import {
  BadUserInputError,
  ConflictError,
  NotFoundError,
  PaymentRequiredError,
  type Course,
  type Enrollment,
  type TenantScope,
  type Viewer,
  uniqueViolation,
} from '@academy/platform';
import { evaluateCompliance } from '@academy/renec';
import type { CourseRepository } from '../repositories/course-repository';
import type { EnrollmentRepository } from '../repositories/enrollment-repository';
import type { CertificateIssuer } from './certificate-issuer';

/** An enrollment as a change left it: its completed lessons (in order), and what the change read of its course. */
export interface Progress {
  enrollment: Enrollment;
  completedLessonIds: string[];
  lessonIds?: string[];
  course?: Course;
}

/**
 * Enrolling, completing lessons, the final assessment. A course is completed when every lesson
 * is completed and the final score reaches its passing score; completion issues the
 * certificate in the same transaction.
 */
export class LearningService {
  constructor(
    private readonly db: TenantScope,
    private readonly courses: CourseRepository,
    private readonly enrollments: EnrollmentRepository,
    private readonly certificates: CertificateIssuer,
    /**
     * Told the enrollment's progress as a change left it: `settled` once it committed (the
     * request's loaders keep it for the answer), not when an enclosing unit of work has yet to
     * commit (they forget what they had of it).
     */
    private readonly changed: (progress: Progress, settled: boolean) => void = () => undefined,
  ) {}

  async enroll(courseId: string, learnerId: string, conocerRequested = false): Promise<Enrollment> {
    const [course] = await this.courses.findByIds([courseId]);
    if (!course) throw new NotFoundError('Course');
    if (course.status !== 'PUBLISHED')
      throw new BadUserInputError('Only published courses take enrollments', [{ field: 'courseId', message: 'course is not published' }]);
    // A paid course is enrolled in by paying (checkout); with a PAID order, enrolling is the learner's too.
    if (course.priceCents > 0 && !(await this.enrollments.paidFor(course.id, learnerId))) throw new PaymentRequiredError();
    // Asking for CONOCER certification of a course that cannot lead to it is refused now, with
    // the reasons, instead of a completion that quietly sends nothing.
    if (conocerRequested) {
      const report = evaluateCompliance(await this.courses.complianceFacts(course));
      if (!report.compliant)
        throw new BadUserInputError(
          'The course does not meet the Solarpunk compliance rules for CONOCER certification',
          report.issues.map((issue) => ({ field: issue.rule, message: issue.message })),
        );
    }
    try {
      const settled = !this.db.inUnitOfWork();
      const enrollment = await this.enrollments.create(course.id, learnerId, conocerRequested);
      this.changed({ enrollment, completedLessonIds: [], course }, settled);
      return enrollment;
    } catch (error) {
      if (uniqueViolation(error)) throw new ConflictError('Already enrolled in this course');
      throw error;
    }
  }

  /**
   * The lesson completed (one statement: committed when it returns, unless an enclosing unit of
   * work has yet to commit), then, when every lesson is done and the final score passes, the
   * course completed with its certificate (a unit of work of its own). A completion kept while
   * the course's completion failed is completed by the next request, which reads every completion
   * committed by then: of two last lessons completed at once, the later reader completes it.
   */
  async completeLesson(enrollment: Enrollment, lessonId: string): Promise<Enrollment> {
    const course = await this.courseOf(enrollment);
    const lessonIds = (await this.courses.lessonIdsOf([course.id])).get(course.id) ?? [];
    if (!lessonIds.includes(lessonId)) {
      if (!(await this.courses.lessonExists(lessonId))) throw new NotFoundError('Lesson');
      throw new BadUserInputError('The lesson is not part of this course', [{ field: 'lessonId', message: 'not a lesson of the course' }]);
    }
    this.assertActive(enrollment);
    return this.change(
      enrollment,
      async () => {
        const touched = await this.enrollments.addCompletion(enrollment.id, lessonId);
        if (!touched) throw new NotFoundError('Enrollment');
        return this.completeIfDone(touched, course, lessonIds);
      },
      { oneUnit: false },
    );
  }

  /**
   * A grader's score (the course's instructor, an evaluator, an admin: see the permissions) of a
   * course without an assessment, its practical evaluation; who graded is audited.
   */
  submitFinalAssessment(enrollment: Enrollment, score: number, grader: Viewer): Promise<Enrollment> {
    if (!Number.isInteger(score) || score < 0 || score > 100)
      throw new BadUserInputError('The score must be 0 to 100', [{ field: 'score', message: 'must be 0..100' }]);
    return this.change(enrollment, async () => {
      this.assertActive(enrollment);
      const course = await this.courseOf(enrollment);
      if (!(await this.gradedByHand(course))) throw new ConflictError('This course is passed through its assessment, not graded by hand');
      const scored = await this.enrollments.setFinalScore(enrollment.id, score, { id: grader.userId, persona: grader.persona });
      return this.completeIfDone(scored, course, (await this.courses.lessonIdsOf([course.id])).get(course.id) ?? []);
    });
  }

  /** A passing graded attempt's score (the server's): the final score; with every lesson done, the course completes. */
  recordGradedScore(enrollment: Enrollment, score: number): Promise<Enrollment> {
    return this.change(enrollment, async () => {
      const course = await this.courseOf(enrollment);
      const scored = await this.enrollments.setFinalScore(enrollment.id, score);
      return this.completeIfDone(scored, course, (await this.courses.lessonIdsOf([course.id])).get(course.id) ?? []);
    });
  }

  /**
   * Whether the course is graded by hand (its instructor or an evaluator, submitFinalAssessment)
   * rather than through the graded attempts of its assessment: the one place that tells.
   */
  private async gradedByHand(course: Course): Promise<boolean> {
    return (await this.db.query((tx) => tx.assessment.count({ where: { tenantId: this.db.tenantId, courseId: course.id } }))) === 0;
  }

  /**
   * A change of an enrollment's progress, its progress told (`changed`): settled once it
   * committed; inside another unit of work it has not committed when this returns (the outer one
   * may still roll back). `oneUnit` (the default): the change is one unit of work, all or nothing.
   * Otherwise its steps commit one by one, and when a later step fails what the earlier ones
   * committed stands: the request's loaders forget what they had of the enrollment (read again if
   * asked), as they do after any failed change.
   */
  private async change(enrollment: Enrollment, work: () => Promise<Progress>, { oneUnit = true } = {}): Promise<Enrollment> {
    const settled = !this.db.inUnitOfWork();
    let progress: Progress;
    try {
      progress = await (oneUnit ? this.db.run(work) : work());
    } catch (error) {
      this.changed({ enrollment, completedLessonIds: [] }, false);
      throw error;
    }
    this.changed(progress, settled);
    return progress.enrollment;
  }

  /** `current`: the enrollment as the change just wrote it (the row its update returned). */
  private async completeIfDone(current: Enrollment, course: Course, lessonIds: string[]): Promise<Progress> {
    const completedLessonIds = (await this.enrollments.completedLessonIds([current.id])).get(current.id) ?? [];
    const done = new Set(completedLessonIds);
    const progress = (enrollment: Enrollment): Progress => ({ enrollment, completedLessonIds, lessonIds, course });
    const passed = current.finalScore !== null && current.finalScore >= course.passingScore;
    if (current.status !== 'ACTIVE' || !passed || !lessonIds.every((id) => done.has(id))) return progress(current);
    // Completed and certified together, or neither.
    return this.db.run(async () => {
      const at = new Date();
      const completed = await this.enrollments.markCompleted(current.id, at);
      if (!completed) return progress((await this.enrollments.findByIds([current.id]))[0]!);
      await this.certificates.issue(completed, course, at);
      return progress(completed);
    });
  }

  private assertActive(enrollment: Enrollment): void {
    if (enrollment.status === 'CANCELLED') throw new ConflictError('The enrollment was cancelled');
    if (enrollment.status === 'COMPLETED') throw new ConflictError('The course is already completed');
  }

  private async courseOf(enrollment: Enrollment): Promise<Course> {
    const [course] = await this.courses.findByIds([enrollment.courseId]);
    return course!;
  }
}
