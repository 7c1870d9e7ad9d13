import type { PriceQuoteResolvers } from '../generated/resolvers-types';

export const PriceQuote: PriceQuoteResolvers = {
  course: (quote) => ({ id: quote.course.id }),
};
