// What resolvers of this subgraph receive for each GraphQL type (codegen `mappers`).
export type { Course as CourseModel, CourseModule as CourseModuleModel, Enrollment as EnrollmentModel, Lesson as LessonModel } from '@academy/platform';

/** A user owned by the users subgraph: this subgraph only knows its id. */
export interface UserReference {
  id: string;
}
