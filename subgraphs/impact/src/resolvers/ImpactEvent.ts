import { columnsToMillipoints, DIMENSIONS, millipointsToPoints } from '@academy/impact-scoring';
import type { ImpactEventResolvers } from '../generated/resolvers-types';

export const ImpactEvent: ImpactEventResolvers = {
  user: (event) => ({ id: event.userId }),
  contributions: (event) => {
    const points = columnsToMillipoints(event);
    return DIMENSIONS.map((dimension) => ({ dimension, score: millipointsToPoints(points[dimension]) }));
  },
  quantities: (event) => event.quantities ?? {},
};
