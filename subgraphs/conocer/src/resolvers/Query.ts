import { ForbiddenError, NotFoundError } from '@academy/platform';
import type { QueryResolvers } from '../generated/resolvers-types';
import { syncStatus } from './sync-status';

const STAFF = ['EVALUATOR', 'TENANT_ADMIN', 'PLATFORM_ADMIN'];

export const Query: QueryResolvers = {
  certificationStatusEvent: async (_parent, { id, certificateId }, { submissions, loaders, viewer }) => {
    const change = await submissions.statusChange(id);
    const submission = change ? await loaders.submission.load(change.submissionId) : null;
    if (!change || !submission) throw new NotFoundError('Status change');
    if (certificateId && submission.certificateId !== certificateId) return null;
    if (submission.requestedById !== viewer!.userId && !STAFF.includes(viewer!.persona)) throw new ForbiddenError("Only the certificate's learner and staff see this");
    return { certificate: { id: submission.certificateId }, submission, status: change.status, previousStatus: change.previousStatus, reason: change.reason, occurredAt: change.occurredAt };
  },
  competencyStandards: (_parent, args, { standards }) => standards.page(args),
  competencyStandard: async (_parent, { code }, { loaders }) => (await loaders.standard.load(code.trim().toUpperCase())) ?? Promise.reject(new NotFoundError('Competency standard')),
  conocerSubmissions: (_parent, args, { submissions }) => submissions.list(args),
  conocerSyncStatus: (_parent, _args, context) => syncStatus(context),
  solarpunkCompliance: (_parent, { courseId }, { requests }) => requests.compliance(courseId),
};
