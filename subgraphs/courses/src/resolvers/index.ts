import { scalarResolvers } from '@academy/platform';
import type { Resolvers } from '../generated/resolvers-types';
import { Assessment } from './Assessment';
import { AssessmentAttempt } from './AssessmentAttempt';
import { Course } from './Course';
import { Enrollment } from './Enrollment';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { User } from './User';

export const resolvers: Resolvers = { ...scalarResolvers, Query, Mutation, Course, Enrollment, User, Assessment, AssessmentAttempt };
