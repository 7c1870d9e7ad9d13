export { createCoursesSubgraph, typeDefs } from './subgraph';
export { permissions } from './permissions';
export type { CoursesDependencies, SubgraphContext as CoursesContext } from './context';
export { PaidEnrollments } from './learning/paid-enrollments';
