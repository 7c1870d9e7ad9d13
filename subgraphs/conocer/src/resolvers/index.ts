import { scalarResolvers } from '@academy/platform';
import type { Resolvers } from '../generated/resolvers-types';
import { Certificate } from './Certificate';
import { CompetencyStandard } from './CompetencyStandard';
import { ConocerSubmission } from './ConocerSubmission';
import { Course } from './Course';
import { Enrollment } from './Enrollment';
import { Evidence } from './Evidence';
import { Mutation } from './Mutation';
import { Portfolio } from './Portfolio';
import { Query } from './Query';
import { TenantAnalytics } from './TenantAnalytics';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query,
  Mutation,
  ConocerSubmission,
  Course,
  Certificate,
  CompetencyStandard,
  TenantAnalytics,
  Enrollment,
  Portfolio,
  Evidence,
};
