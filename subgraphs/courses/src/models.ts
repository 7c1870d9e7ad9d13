// What resolvers of this subgraph receive for each GraphQL type (codegen `mappers`).
export type { Course as CourseModel, Enrollment as EnrollmentModel, Lesson as LessonModel } from '@academy/platform';
export type { ModuleWithLessons as CourseModuleModel } from './repositories/course-repository';
export type { AssessmentWithQuestions as AssessmentModel } from './repositories/assessment-repository';
export type { AssessmentAttempt as AssessmentAttemptModel, CourseReview as CourseReviewModel } from '@academy/platform';

/** A question as one viewer sees it: options in the order shown to them, `correct` null unless they may know. */
export interface QuestionView {
  id: string;
  prompt: string;
  kind: 'SINGLE_CHOICE' | 'MULTIPLE_CHOICE' | 'TRUE_FALSE';
  points: number;
  options: { id: string; text: string; correct: boolean | null }[];
}

/** A user owned by the users subgraph: this subgraph only knows its id. */
export interface UserReference {
  id: string;
}

/** A file owned by the media subgraph: this subgraph only knows its id. */
export interface FileReference {
  id: string;
}

/** A course's analytics: its fields are resolved from the course (each one aggregate, batched). */
export interface CourseAnalyticsModel {
  course: import('@academy/platform').Course;
}

/** A lesson and how many of its course's learners completed it. */
export interface LessonFunnelPointModel {
  lesson: import('@academy/platform').Lesson;
  completedCount: number;
}

/** The tenant's figures for a period: [from, to) in the tenant's timezone; the key other subgraphs resolve theirs by. */
export interface TenantAnalyticsModel {
  tenantId: string;
  period: 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR' | 'ALL_TIME';
  from: Date;
  to: Date;
}
