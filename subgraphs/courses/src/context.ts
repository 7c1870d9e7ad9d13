import type DataLoader from 'dataloader';
import type { CredentialSigner } from '@academy/credentials';
import type { SubgraphBaseContext, SubgraphOwnContext } from '@academy/graphql-http';
import { entityLoader, keyedLoader, type Course, type Database, type Enrollment, type ForwardedContext } from '@academy/platform';
import { CourseAuthoring } from './authoring/course-authoring';
import { CertificateIssuer } from './learning/certificate-issuer';
import { CourseCatalogue } from './learning/course-catalogue';
import { LearningService } from './learning/learning-service';
import { CourseRepository, type ModuleWithLessons } from './repositories/course-repository';
import { EnrollmentRepository, learnerKey, type LearnerEnrollmentsKey } from './repositories/enrollment-repository';
import { StructureRepository } from './repositories/structure-repository';

/** What every resolver of this subgraph receives, built for each request. */
export interface SubgraphContext extends SubgraphBaseContext {
  courses: CourseRepository;
  catalogue: CourseCatalogue;
  learning: LearningService;
  /** Modules and lessons, for the authoring rules and resolvers. */
  structure: StructureRepository;
  authoring: CourseAuthoring;
  loaders: {
    course: DataLoader<string, Course | null>;
    enrollment: DataLoader<string, Enrollment | null>;
    modules: DataLoader<string, ModuleWithLessons[]>;
    lessonIds: DataLoader<string, string[]>;
    enrollmentCount: DataLoader<string, number>;
    completedLessonIds: DataLoader<string, string[]>;
    enrollmentsOfLearner: DataLoader<LearnerEnrollmentsKey, Enrollment[]>;
    coursesTaughtBy: DataLoader<string, Course[]>;
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
    const structure = new StructureRepository(db);
    return {
      ...forwarded,
      courses,
      catalogue: new CourseCatalogue(courses, (id) => course.load(id)),
      learning: new LearningService(db, courses, enrollments, issuer),
      structure,
      authoring: new CourseAuthoring(db, courses, structure),
      loaders: {
        course,
        enrollment: entityLoader((ids) => enrollments.findByIds(ids)),
        modules: keyedLoader((ids) => courses.modulesOf(ids), [] as ModuleWithLessons[]),
        lessonIds: keyedLoader((ids) => courses.lessonIdsOf(ids), [] as string[]),
        enrollmentCount: keyedLoader((ids) => courses.enrollmentCounts(ids), 0),
        completedLessonIds: keyedLoader((ids) => enrollments.completedLessonIds(ids), [] as string[]),
        enrollmentsOfLearner: keyedLoader(
          (keys) => enrollments.ofLearners(keys).then((byKey) => new Map(keys.map((key) => [key, byKey.get(learnerKey(key)) ?? []]))),
          [] as Enrollment[],
          learnerKey,
        ),
        coursesTaughtBy: keyedLoader((ids) => courses.taughtBy(ids), [] as Course[]),
      },
    };
  };
}
