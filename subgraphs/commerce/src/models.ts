// What resolvers of this subgraph receive for each GraphQL type (codegen `mappers`).
export type { Coupon as CouponModel, Order as OrderModel } from '@academy/platform';
export type { Quote as PriceQuoteModel } from './orders/checkout';

/** A user owned by the users subgraph: this subgraph only knows its id. */
export interface UserReference {
  id: string;
}

/** A course owned by the courses subgraph. */
export interface CourseReference {
  id: string;
}

/** An enrollment owned by the courses subgraph. */
export interface EnrollmentReference {
  id: string;
}
