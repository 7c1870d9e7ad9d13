import { scalarResolvers } from '@academy/platform';
import type { CertificateResolvers, CompetencyStandardResolvers, ConocerSubmissionResolvers, CourseResolvers, Resolvers } from '../generated/resolvers-types';
import { Mutation } from './Mutation';
import { Query } from './Query';

const STAFF = ['EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'];

const ConocerSubmission: ConocerSubmissionResolvers = {
  __resolveReference: async (reference, { loaders, viewer }) => {
    const submission = await loaders.submission.load(reference.id);
    if (!submission || !viewer) return null;
    return submission.requestedById === viewer.userId || STAFF.includes(viewer.persona) ? submission : null;
  },
  certificate: (submission) => ({ id: submission.certificateId }),
  standard: async (submission, _args, { loaders }) => (await loaders.standard.load(submission.standardCode))!,
  history: (submission, _args, { loaders }) => loaders.history.load(submission.id),
};

const Course: CourseResolvers = {
  __resolveReference: (reference) => reference,
  competencyStandard: (course, _args, { loaders }) => (course.competencyStandardCode ? loaders.standard.load(course.competencyStandardCode) : null),
};

const Certificate: CertificateResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  conocerStatus: async (certificate, _args, { loaders }) => (await loaders.submissionOfCertificate.load(certificate.id))?.status ?? 'NOT_REQUESTED',
  conocerSubmission: (certificate, _args, { loaders }) => loaders.submissionOfCertificate.load(certificate.id),
};

const CompetencyStandard: CompetencyStandardResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.standard.load(reference.code),
};

export const resolvers: Resolvers = { ...scalarResolvers, Query, Mutation, ConocerSubmission, Course, Certificate, CompetencyStandard };
