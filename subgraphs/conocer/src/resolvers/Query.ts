import { NotFoundError } from '@academy/platform';
import type { QueryResolvers } from '../generated/resolvers-types';
import { syncStatus } from './sync-status';

export const Query: QueryResolvers = {
  competencyStandards: (_parent, args, { standards }) => standards.page(args),
  competencyStandard: async (_parent, { code }, { loaders }) => (await loaders.standard.load(code.trim().toUpperCase())) ?? Promise.reject(new NotFoundError('Competency standard')),
  conocerSubmissions: (_parent, args, { submissions }) => submissions.list(args),
  conocerSyncStatus: (_parent, _args, context) => syncStatus(context),
  solarpunkCompliance: (_parent, { courseId }, { requests }) => requests.compliance(courseId),
};
