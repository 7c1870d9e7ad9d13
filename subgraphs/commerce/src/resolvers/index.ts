import { scalarResolvers } from '@academy/platform';
import type { Resolvers } from '../generated/resolvers-types';
import { Coupon } from './Coupon';
import { Mutation } from './Mutation';
import { Order } from './Order';
import { PriceQuote } from './PriceQuote';
import { Query } from './Query';
import { User } from './User';

export const resolvers: Resolvers = { ...scalarResolvers, Query, Mutation, Order, Coupon, PriceQuote, User };
