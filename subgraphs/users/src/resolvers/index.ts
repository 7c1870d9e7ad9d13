import { scalarResolvers } from '@academy/platform';
import type { Resolvers } from '../generated/resolvers-types';
import { Community } from './Community';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { Tenant } from './Tenant';
import { User } from './User';

export const resolvers: Resolvers = { ...scalarResolvers, Query, Mutation, User, Community, Tenant };
