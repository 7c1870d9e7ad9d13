import { and, rule, type IRules } from 'graphql-shield';
import { ADMINS, everyone, federationRules, hasPersona, ruleForFields, signedIn } from '@academy/graphql-http';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '@academy/platform';
import type { SubgraphContext } from './context';
import type { UserReference } from './models';

const STAFF = ['EVALUATOR', ...ADMINS];

/** publishCourse: the course's own instructor, or an admin. */
const ownsCourseOrAdmin = rule('courses:ownsCourseOrAdmin', { cache: 'strict' })(async (_parent, args: { id: string }, context: SubgraphContext) => {
  if (!context.viewer) return new UnauthenticatedError();
  const course = await context.loaders.course.load(args.id);
  if (!course) return new NotFoundError('Course');
  if (ADMINS.includes(context.viewer.persona) || course.instructorId === context.viewer.userId) return true;
  return new ForbiddenError('Only its instructor or an admin may do this');
});

/** completeLesson, submitFinalAssessment: the enrolled learner only. */
const ownsEnrollment = rule('courses:ownsEnrollment', { cache: 'strict' })(async (_parent, args: { enrollmentId: string }, context: SubgraphContext) => {
  if (!context.viewer) return new UnauthenticatedError();
  const enrollment = await context.loaders.enrollment.load(args.enrollmentId);
  if (!enrollment) return new NotFoundError('Enrollment');
  return enrollment.learnerId === context.viewer.userId ? true : new ForbiddenError('Only the enrolled learner may do this');
});

/** A user's enrollments: the user, evaluators and admins of the tenant. */
const selfOrStaff = rule('courses:selfOrStaff', { cache: 'strict' })((user: UserReference, _args, context: SubgraphContext) => {
  if (!context.viewer) return new UnauthenticatedError();
  return user.id === context.viewer.userId || STAFF.includes(context.viewer.persona) ? true : new ForbiddenError('Only the user and staff see this');
});

const publicType = (fields: string[]) => ruleForFields(fields, everyone);

/** Every field, explicitly; anything else is denied. */
export const permissions: IRules = {
  Query: {
    ...federationRules.Query,
    courses: everyone,
    course: everyone,
    enrollment: signedIn,
  },
  Mutation: {
    createCourse: hasPersona('INSTRUCTOR', ...ADMINS),
    publishCourse: and(hasPersona('INSTRUCTOR', ...ADMINS), ownsCourseOrAdmin),
    enroll: hasPersona('LEARNER'),
    completeLesson: and(hasPersona('LEARNER'), ownsEnrollment),
    submitFinalAssessment: and(hasPersona('LEARNER'), ownsEnrollment),
  },
  _Service: federationRules._Service,
  Course: publicType([
    'id', 'slug', 'title', 'description', 'status', 'instructor', 'priceCents', 'currency', 'modules', 'competencyStandardCode',
    'passingScore', 'impactDimensions', 'enrollmentCount', 'publishedAt', 'createdAt',
  ]),
  CourseModule: publicType(['id', 'title', 'position', 'lessons']),
  Lesson: publicType(['id', 'title', 'position', 'durationMinutes']),
  CourseConnection: publicType(['edges', 'pageInfo', 'totalCount']),
  CourseEdge: publicType(['cursor', 'node']),
  PageInfo: publicType(['hasNextPage', 'endCursor']),
  Enrollment: ruleForFields(['id', 'learner', 'course', 'status', 'progressPercent', 'completedLessonIds', 'finalScore', 'conocerRequested', 'enrolledAt', 'completedAt'], signedIn),
  User: { id: everyone, enrollments: selfOrStaff, coursesTaught: everyone },
};
