import { scalarResolvers } from '@academy/platform';
import type { Resolvers } from '../generated/resolvers-types';
import { File } from './File';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { TenantBranding } from './TenantBranding';

export const resolvers: Resolvers = { ...scalarResolvers, Query, Mutation, File, TenantBranding };
