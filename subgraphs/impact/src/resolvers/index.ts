import { scalarResolvers } from '@academy/platform';
import type { Resolvers } from '../generated/resolvers-types';
import { Community } from './Community';
import { ImpactEvent } from './ImpactEvent';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { User } from './User';

export const resolvers: Resolvers = { ...scalarResolvers, Query, Mutation, ImpactEvent, User, Community };
