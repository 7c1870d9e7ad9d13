// What resolvers of this subgraph receive for each GraphQL type (codegen `mappers`).
export type { Course as CourseModel, Enrollment as EnrollmentModel, Lesson as LessonModel } from '@academy/platform';
export type { ModuleWithLessons as CourseModuleModel } from './repositories/course-repository';

/** A user owned by the users subgraph: this subgraph only knows its id. */
export interface UserReference {
  id: string;
}
