import { scalarResolvers } from '@academy/platform';
import type { Resolvers } from '../generated/resolvers-types';
import { Mutation } from './Mutation';
import { Notification } from './Notification';
import { Query } from './Query';
import { User } from './User';

export const resolvers: Resolvers = { ...scalarResolvers, Query, Mutation, Notification, User };
