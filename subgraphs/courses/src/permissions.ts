import { and, type IRules } from 'graphql-shield';
import {
  ADMINS,
  everyone,
  federationRules,
  forType,
  GRADERS,
  gradesCourse,
  hasPersona,
  isSelf,
  isSelfOrStaff,
  managesCourse,
  seesLearningRecord,
  signedIn,
  TEACHERS,
  viewerRule,
} from '@academy/permissions';
import { NotFoundError, Persona } from '@academy/platform';
import type { SubgraphContext } from './context';
import type { CreateCourseInput } from './generated/resolvers-types';
import type { CourseModel, UserReference } from './models';

/** createCourse: an instructor creates courses for themselves; admins for any instructor. */
const createsForThemselves = viewerRule<unknown, { input: CreateCourseInput }>(
  'courses:createsForThemselves',
  'An instructor creates courses for themselves',
  (viewer, _parent, { input }) => viewer.persona !== Persona.INSTRUCTOR || !input.instructorId || isSelf(viewer, input.instructorId),
);

/** publishCourse: the course's own instructor, or an admin. */
const managesThisCourse = viewerRule<unknown, { id: string }, SubgraphContext>(
  'courses:managesCourse',
  'Only its instructor or an admin may do this',
  async (viewer, _parent, { id }, { loaders }) => {
    const course = await loaders.course.load(id);
    if (!course) throw new NotFoundError('Course');
    return managesCourse(viewer, course);
  },
);

/** addModule: the course's own instructor, or an admin. */
const managesCourseOfArg = viewerRule<unknown, { courseId: string }, SubgraphContext>(
  'courses:managesCourseOfArg',
  'Only its instructor or an admin may do this',
  async (viewer, _parent, { courseId }, { loaders }) => {
    const course = await loaders.course.load(courseId);
    if (!course) throw new NotFoundError('Course');
    return managesCourse(viewer, course);
  },
);

/** Editing a module or a lesson (by id, or a lesson's new module): its course's instructor, or an admin. */
const managesCourseOfPart = (part: 'module' | 'lesson', argument: 'id' | 'moduleId') =>
  viewerRule<unknown, Record<string, string>, SubgraphContext>(
    `courses:managesCourseOf:${part}:${argument}`,
    'Only its instructor or an admin may do this',
    async (viewer, _parent, args, { loaders, structure }) => {
      const found = part === 'module' ? await structure.findModule(args[argument]!) : await structure.findLesson(args[argument]!);
      if (!found) throw new NotFoundError(part === 'module' ? 'Module' : 'Lesson');
      const course = await loaders.course.load(found.courseId);
      return course !== null && managesCourse(viewer, course);
    },
  );

const managesModuleCourse = managesCourseOfPart('module', 'id');
const managesLessonCourse = managesCourseOfPart('lesson', 'id');
const managesTargetModuleCourse = managesCourseOfPart('module', 'moduleId');

/** completeLesson: the enrolled learner only. */
const ownsEnrollment = viewerRule<unknown, { enrollmentId: string }, SubgraphContext>(
  'courses:ownsEnrollment',
  'Only the enrolled learner may do this',
  async (viewer, _parent, { enrollmentId }, { loaders }) => {
    const enrollment = await loaders.enrollment.load(enrollmentId);
    if (!enrollment) throw new NotFoundError('Enrollment');
    return isSelf(viewer, enrollment.learnerId);
  },
);

/**
 * submitFinalAssessment (grading a course without an assessment): the enrollment's course's
 * instructor, and the tenant's evaluators and admins; never the learner themselves.
 */
const gradesEnrollment = viewerRule<unknown, { enrollmentId: string }, SubgraphContext>(
  'courses:gradesEnrollment',
  'Not allowed',
  async (viewer, _parent, { enrollmentId }, { loaders }) => {
    const enrollment = await loaders.enrollment.load(enrollmentId);
    if (!enrollment) throw new NotFoundError('Enrollment');
    const course = await loaders.course.load(enrollment.courseId);
    return course !== null && gradesCourse(viewer, course);
  },
);

/** An enrollment by id: its learner, the course's instructor and staff. */
const seesEnrollment = viewerRule<unknown, { id: string }, SubgraphContext>(
  'courses:seesEnrollment',
  'Only the learner, the instructor and staff see this enrollment',
  async (viewer, _parent, { id }, { loaders }) => {
    const enrollment = await loaders.enrollment.load(id);
    if (!enrollment) throw new NotFoundError('Enrollment');
    const course = await loaders.course.load(enrollment.courseId);
    return seesLearningRecord(viewer, enrollment, course?.instructorId ?? null);
  },
);

/** An attempt by id: its learner, the course's instructor and staff (the same as its enrollment). */
const seesAttempt = viewerRule<unknown, { id: string }, SubgraphContext>(
  'courses:seesAttempt',
  'Only the learner, the instructor and staff see this attempt',
  async (viewer, _parent, { id }, { loaders }) => {
    const attempt = await loaders.attempt.load(id);
    if (!attempt) throw new NotFoundError('Attempt');
    const enrollment = (await loaders.enrollment.load(attempt.enrollmentId))!;
    const course = await loaders.course.load(enrollment.courseId);
    return seesLearningRecord(viewer, enrollment, course?.instructorId ?? null);
  },
);

/** submitAssessmentAttempt: the attempt's own learner. */
const ownsAttempt = viewerRule<unknown, { attemptId: string }, SubgraphContext>(
  'courses:ownsAttempt',
  'Only the learner who started the attempt may submit it',
  async (viewer, _parent, { attemptId }, { loaders }) => {
    const attempt = await loaders.attempt.load(attemptId);
    if (!attempt) throw new NotFoundError('Attempt');
    const enrollment = await loaders.enrollment.load(attempt.enrollmentId);
    return enrollment !== null && isSelf(viewer, enrollment.learnerId);
  },
);

/** A user's enrollments: the user, evaluators and admins of the tenant. */
const selfOrStaff = viewerRule<UserReference>('courses:selfOrStaff', 'Only the user and staff see this', (viewer, user) =>
  isSelfOrStaff(viewer, user.id),
);

/** Course.enrollments: its learners, for the course's instructor and the tenant's evaluators and admins. */
const seesCourseLearners = viewerRule<CourseModel>(
  'courses:seesCourseLearners',
  'Only its instructor, evaluators and admins see its learners',
  (viewer, course) => gradesCourse(viewer, course),
);

/** Course.analytics: the course's instructor and the tenant's admins. */
const seesCourseAnalytics = viewerRule<CourseModel>(
  'courses:seesCourseAnalytics',
  'Only its instructor and admins see its analytics',
  (viewer, course) => managesCourse(viewer, course),
);

/** Every type has a rule (a field added later gets its type's); graphql-shield denies anything else. */
export const permissions: IRules = {
  Query: {
    ...federationRules.Query,
    me: everyone,
    courses: everyone,
    course: everyone,
    enrollment: seesEnrollment,
    assessmentAttempt: seesAttempt,
    myCourseReview: signedIn,
    tenantAnalytics: hasPersona(...ADMINS),
  },
  Mutation: {
    createCourse: and(hasPersona(...TEACHERS), createsForThemselves),
    publishCourse: and(hasPersona(...TEACHERS), managesThisCourse),
    enroll: hasPersona(Persona.LEARNER),
    completeLesson: and(hasPersona(Persona.LEARNER), ownsEnrollment),
    submitFinalAssessment: and(hasPersona(...GRADERS), gradesEnrollment),
    updateCourse: and(hasPersona(...TEACHERS), managesThisCourse),
    archiveCourse: and(hasPersona(...TEACHERS), managesThisCourse),
    addModule: and(hasPersona(...TEACHERS), managesCourseOfArg),
    updateModule: and(hasPersona(...TEACHERS), managesModuleCourse),
    moveModule: and(hasPersona(...TEACHERS), managesModuleCourse),
    removeModule: and(hasPersona(...TEACHERS), managesModuleCourse),
    addLesson: and(hasPersona(...TEACHERS), managesTargetModuleCourse),
    updateLesson: and(hasPersona(...TEACHERS), managesLessonCourse),
    moveLesson: and(hasPersona(...TEACHERS), managesLessonCourse),
    removeLesson: and(hasPersona(...TEACHERS), managesLessonCourse),
    setCourseAssessment: and(hasPersona(...TEACHERS), managesCourseOfArg),
    startAssessmentAttempt: and(hasPersona(Persona.LEARNER), ownsEnrollment),
    submitAssessmentAttempt: and(hasPersona(Persona.LEARNER), ownsAttempt),
    // Enrolled in the course: the review service checks it (FORBIDDEN otherwise).
    reviewCourse: hasPersona(Persona.LEARNER),
    // Its author or an admin: the review service decides (FORBIDDEN otherwise; an admin's deletion is audited).
    deleteCourseReview: signedIn,
  },
  _Service: federationRules._Service,
  Course: forType(everyone, {
    enrollments: and(hasPersona(...GRADERS), seesCourseLearners),
    analytics: and(hasPersona(...TEACHERS), seesCourseAnalytics),
  }),
  CourseModule: forType(everyone),
  // A lesson's body is null for those it is not for (resolvers/Lesson.ts, learning/lesson-access.ts).
  Lesson: forType(everyone),
  // Attachments are media files by id; the media subgraph decides who sees each.
  File: forType(everyone),
  CourseConnection: forType(everyone),
  CourseEdge: forType(everyone),
  PageInfo: forType(everyone),
  Enrollment: forType(signedIn),
  // Questions are shaped for their viewer (answers only for those who may know them: resolvers/Assessment.ts).
  Assessment: forType(everyone),
  Question: forType(everyone),
  QuestionOption: forType(everyone),
  AssessmentAttempt: forType(signedIn),
  // Reached only through Course.enrollments and Course.analytics (their rules above).
  EnrollmentConnection: forType(signedIn),
  EnrollmentEdge: forType(signedIn),
  CourseAnalytics: forType(signedIn),
  LessonFunnelPoint: forType(signedIn),
  DailyCount: forType(signedIn),
  TenantAnalytics: forType(hasPersona(...ADMINS)),
  // Reviews are part of the public catalogue; CourseReview.author is only a User reference.
  RatingSummary: forType(everyone),
  CourseReview: forType(everyone),
  CourseReviewEdge: forType(everyone),
  CourseReviewConnection: forType(everyone),
  User: forType(everyone, { enrollments: selfOrStaff }),
};
