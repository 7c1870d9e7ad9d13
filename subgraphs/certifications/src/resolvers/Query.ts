import { normalizeVerificationCode } from '@academy/credentials';
import { ForbiddenError, NotFoundError } from '@academy/platform';
import type { QueryResolvers } from '../generated/resolvers-types';

const STAFF = ['EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'];

export const Query: QueryResolvers = {
  certificate: async (_parent, { id }, { loaders, certificates, viewer }) => {
    const certificate = await loaders.certificate.load(id);
    if (!certificate) throw new NotFoundError('Certificate');
    if (certificate.learnerId === viewer!.userId || STAFF.includes(viewer!.persona)) return certificate;
    if ((await certificates.courseInstructor(certificate.courseId)) === viewer!.userId) return certificate;
    throw new ForbiddenError('Only the learner, the course instructor and staff see this certificate');
  },
  verifyCertificate: async (_parent, { code }, { verification }) => {
    const found = code.length <= 64 ? await verification.byCode(normalizeVerificationCode(code)) : null;
    if (!found) {
      return { valid: false, status: null, learnerName: null, courseTitle: null, tenantName: null, issuedAt: null, competencyStandardCode: null, conocerStatus: null };
    }
    return {
      valid: found.status === 'ISSUED',
      status: found.status,
      learnerName: found.learner_name,
      courseTitle: found.course_title,
      tenantName: found.tenant_name,
      issuedAt: found.issued_at,
      competencyStandardCode: found.competency_standard_code,
      conocerStatus: found.conocer_status,
    };
  },
};
