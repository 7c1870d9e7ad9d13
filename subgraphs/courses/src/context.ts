import type DataLoader from 'dataloader';
import type { CredentialSigner } from '@academy/credentials';
import type { SubgraphBaseContext, SubgraphOwnContext } from '@academy/graphql-http';
import {
  entityLoader,
  keyedLoader,
  type AssessmentAttempt,
  type Course,
  type Database,
  type Enrollment,
  type ForwardedContext,
} from '@academy/platform';
import { analyticsFor, type Analytics } from './analytics';
import { AssessmentService } from './assessments/assessment-service';
import { CourseAuthoring } from './authoring/course-authoring';
import { CertificateIssuer } from './learning/certificate-issuer';
import { CourseCatalogue } from './learning/course-catalogue';
import { LearningService } from './learning/learning-service';
import { CourseRepository, type ModuleWithLessons } from './repositories/course-repository';
import { EnrollmentRepository, learnerKey, type LearnerEnrollmentsKey } from './repositories/enrollment-repository';
import { StructureRepository } from './repositories/structure-repository';
import { AssessmentRepository, type AssessmentWithQuestions } from './repositories/assessment-repository';
import { NO_RATING, ReviewRepository } from './repositories/review-repository';
import { ReviewService } from './reviews/review-service';
import type { RatingSummary } from './generated/resolvers-types';

/** What every resolver of this subgraph receives, built for each request. */
export interface SubgraphContext extends SubgraphBaseContext {
  courses: CourseRepository;
  catalogue: CourseCatalogue;
  learning: LearningService;
  /** Modules and lessons, for the authoring rules and resolvers. */
  structure: StructureRepository;
  authoring: CourseAuthoring;
  assessments: AssessmentService;
  /** Course analytics and learners (its instructor, staff), tenant analytics (admins). */
  analytics: Analytics;
  /** Course reviews: writing, editing, deleting, paging. */
  reviews: ReviewService;
  loaders: {
    /** A course's assessment, by course id. */
    assessment: DataLoader<string, AssessmentWithQuestions | null>;
    /** An enrollment's attempts, by enrollment id. */
    attempts: DataLoader<string, AssessmentAttempt[]>;
    attempt: DataLoader<string, AssessmentAttempt | null>;
    course: DataLoader<string, Course | null>;
    enrollment: DataLoader<string, Enrollment | null>;
    modules: DataLoader<string, ModuleWithLessons[]>;
    lessonIds: DataLoader<string, string[]>;
    enrollmentCount: DataLoader<string, number>;
    completedLessonIds: DataLoader<string, string[]>;
    enrollmentsOfLearner: DataLoader<LearnerEnrollmentsKey, Enrollment[]>;
    coursesTaughtBy: DataLoader<string, Course[]>;
    /** The signed-in viewer's enrollment in a course, by course id (null: none, or nobody signed in). */
    viewerEnrollment: DataLoader<string, Enrollment | null>;
    /** A course's rating summary (from its reviews as they stand), by course id. */
    rating: DataLoader<string, RatingSummary>;
  };
}

export interface CoursesDependencies {
  database: Database;
  credentials: CredentialSigner;
  /** Tenants live at <slug>.<baseDomain>; certificate issuers are named after it. */
  baseDomain: string;
}

export function contextFactory(deps: CoursesDependencies) {
  return (forwarded: ForwardedContext): SubgraphOwnContext<SubgraphContext> => {
    const db = deps.database.forTenant(forwarded.tenant.id);
    const courses = new CourseRepository(db);
    const enrollments = new EnrollmentRepository(db);
    const issuer = new CertificateIssuer(db, deps.credentials, forwarded.tenant, deps.baseDomain);
    const course = entityLoader((ids) => courses.findByIds(ids));
    const assessmentRows = new AssessmentRepository(db);
    const reviews = new ReviewRepository(db);
    const loaders: SubgraphContext['loaders'] = {
      course,
      assessment: keyedLoader((ids) => assessmentRows.ofCourses(ids), null as AssessmentWithQuestions | null),
      attempts: keyedLoader((ids) => assessmentRows.attemptsOf(ids), [] as AssessmentAttempt[]),
      attempt: entityLoader((ids) => assessmentRows.findAttempts(ids)),
      enrollment: entityLoader((ids) => enrollments.findByIds(ids)),
      modules: keyedLoader((ids) => courses.modulesOf(ids), [] as ModuleWithLessons[]),
      lessonIds: keyedLoader((ids) => courses.lessonIdsOf(ids), [] as string[]),
      enrollmentCount: keyedLoader((ids) => courses.enrollmentCounts(ids), 0),
      completedLessonIds: keyedLoader((ids) => enrollments.completedLessonIds(ids), [] as string[]),
      // What a list of enrollments shows beside each comes with it (one statement): primed, not asked again.
      enrollmentsOfLearner: keyedLoader(
        async (keys) => {
          const found = await enrollments.ofLearners(keys);
          for (const row of found.courses) course.prime(row.id, row);
          for (const [id, ids] of found.completedLessonIds) loaders.completedLessonIds.prime(id, ids);
          for (const [id, ids] of found.lessonIds) loaders.lessonIds.prime(id, ids);
          return new Map(keys.map((key) => [key, found.byKey.get(learnerKey(key)) ?? []]));
        },
        [] as Enrollment[],
        learnerKey,
      ),
      coursesTaughtBy: keyedLoader((ids) => courses.taughtBy(ids), [] as Course[]),
      viewerEnrollment: keyedLoader(
        (ids) => (forwarded.viewer ? enrollments.ofLearnerInCourses(forwarded.viewer.userId, ids) : Promise.resolve(new Map())),
        null as Enrollment | null,
      ),
      rating: keyedLoader((ids) => reviews.ratingsOf(ids), NO_RATING),
    };
    // A mutation's answer reads the enrollment and its progress as its unit of work left them, not again
    // (a later change of the same request reads them as this one left them).
    // (Not settled, inside a unit of work that may still roll back: forgotten, read again if asked.)
    const learning = new LearningService(db, courses, enrollments, issuer, (progress, settled) => {
      const { enrollment } = progress;
      const keep = <V>(loader: DataLoader<string, V>, key: string, value: V | undefined) => {
        loader.clear(key);
        if (settled && value !== undefined) loader.prime(key, value);
      };
      keep(loaders.enrollment, enrollment.id, enrollment);
      keep(loaders.completedLessonIds, enrollment.id, progress.completedLessonIds);
      keep(loaders.lessonIds, enrollment.courseId, progress.lessonIds);
      keep(loaders.course, enrollment.courseId, progress.course);
      keep(loaders.viewerEnrollment, enrollment.courseId, enrollment.learnerId === forwarded.viewer?.userId ? enrollment : undefined);
      // By learner and status: whichever lists held it, read again if asked; as its count.
      loaders.enrollmentsOfLearner.clearAll();
      loaders.enrollmentCount.clear(enrollment.courseId);
    });
    const structure = new StructureRepository(db);
    return {
      ...forwarded,
      courses,
      catalogue: new CourseCatalogue(courses, (id) => course.load(id)),
      learning,
      structure,
      authoring: new CourseAuthoring(db, courses, structure),
      assessments: new AssessmentService(db, assessmentRows, courses, enrollments, learning),
      analytics: analyticsFor(db),
      reviews: new ReviewService(db, reviews, courses),
      loaders,
    };
  };
}
