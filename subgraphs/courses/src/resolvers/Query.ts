import { BadUserInputError, ForbiddenError, NotFoundError } from '@academy/platform';
import type { QueryResolvers } from '../generated/resolvers-types';
import { canSeeCourse } from '../repositories/course-repository';

const STAFF = ['EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'];

export const Query: QueryResolvers = {
  courses: (_parent, args, { courses, viewer }) => courses.page(args, viewer),
  course: async (_parent, { id, slug }, { courses, loaders, viewer }) => {
    if ((id ? 1 : 0) + (slug ? 1 : 0) !== 1) throw new BadUserInputError('Give either id or slug', [{ field: id ? 'slug' : 'id', message: 'exactly one of id and slug' }]);
    const course = id ? await loaders.course.load(id) : await courses.findBySlug(slug!);
    if (!course || !canSeeCourse(course, viewer)) throw new NotFoundError('Course');
    return course;
  },
  enrollment: async (_parent, { id }, { loaders, viewer }) => {
    const enrollment = await loaders.enrollment.load(id);
    if (!enrollment) throw new NotFoundError('Enrollment');
    if (enrollment.learnerId === viewer!.userId || STAFF.includes(viewer!.persona)) return enrollment;
    const course = await loaders.course.load(enrollment.courseId);
    if (course?.instructorId === viewer!.userId) return enrollment;
    throw new ForbiddenError('Only the learner, the instructor and staff see this enrollment');
  },
};
