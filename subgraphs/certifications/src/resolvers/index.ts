import { scalarResolvers } from '@academy/platform';
import type { CertificateResolvers, CourseResolvers, Resolvers, UserResolvers } from '../generated/resolvers-types';
import { Mutation } from './Mutation';
import { Query } from './Query';

const STAFF = ['EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'];

const Certificate: CertificateResolvers = {
  __resolveReference: async (reference, { loaders, viewer }) => {
    const certificate = await loaders.certificate.load(reference.id);
    if (!certificate || !viewer) return null;
    return certificate.learnerId === viewer.userId || STAFF.includes(viewer.persona) ? certificate : null;
  },
  learner: (certificate) => ({ id: certificate.learnerId }),
  course: (certificate) => ({ id: certificate.courseId }),
};

const User: UserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  certificates: (user, _args, { loaders }) => loaders.certificatesOfLearner.load(user.id),
};

const Course: CourseResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  certificateCount: (course, _args, { loaders }) => loaders.certificateCount.load(course.id),
};

export const resolvers: Resolvers = { ...scalarResolvers, Query, Mutation, Certificate, User, Course };
