import { scalarResolvers } from '@academy/platform';
import type { Resolvers } from '../generated/resolvers-types';
import { Assessment } from './Assessment';
import { AssessmentAttempt } from './AssessmentAttempt';
import { Course } from './Course';
import { CourseAnalytics } from './CourseAnalytics';
import { CourseReview } from './CourseReview';
import { Enrollment } from './Enrollment';
import { Lesson } from './Lesson';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { TenantAnalytics } from './TenantAnalytics';
import { User } from './User';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query,
  Mutation,
  Course,
  Enrollment,
  User,
  Assessment,
  AssessmentAttempt,
  CourseReview,
  Lesson,
  CourseAnalytics,
  TenantAnalytics,
};
