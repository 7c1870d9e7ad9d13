import type { CourseResolvers } from '../generated/resolvers-types';

export const Course: CourseResolvers = {
  __resolveReference: (reference) => reference,
  competencyStandard: (course, _args, { loaders }) =>
    course.competencyStandardCode ? loaders.standard.load(course.competencyStandardCode) : null,
  evaluationCriteria: (course, _args, { loaders }) => loaders.criteriaOfCourse.load(course.id),
};
