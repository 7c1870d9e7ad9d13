import { scalarResolvers } from '@academy/platform';
import type { Resolvers } from '../generated/resolvers-types';
import { Certificate } from './Certificate';
import { Course } from './Course';
import { Dc3 } from './Dc3';
import { Enrollment } from './Enrollment';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { TenantAnalytics } from './TenantAnalytics';
import { User } from './User';

export const resolvers: Resolvers = { ...scalarResolvers, Query, Mutation, Certificate, User, Course, TenantAnalytics, Dc3, Enrollment };
