import {
  BASE_POINTS,
  DIMENSIONS,
  EVENT_CAP_POINTS,
  MILLIPOINTS_PER_POINT,
  QUANTITIES,
  QUANTITY_NAMES,
  VERIFICATION_MULTIPLIERS,
  type Dimension,
  type EventType,
  type Verification,
} from './model';

export interface ScorableEvent {
  type: EventType;
  verification: Verification;
  /** Named amounts, e.g. {"kgCo2eAvoided": 12.5}; names the model does not know add nothing. */
  quantities?: Readonly<Record<string, unknown>> | null;
}

/** What one event adds to each dimension, in millipoints (integers). */
export type DimensionMillipoints = Record<Dimension, number>;

/**
 * points(d) = min(CAP, (BASE[type][d] + Σ_q WEIGHT[q][d] · log2(1 + amount_q / STEP_q)) × MULTIPLIER[verification]),
 * stored as round(points × 1000). Quantities are summed in the order of the QUANTITIES table.
 */
export function eventMillipoints(event: ScorableEvent): DimensionMillipoints {
  const multiplier = VERIFICATION_MULTIPLIERS[event.verification];
  const base = BASE_POINTS[event.type];
  const result = {} as DimensionMillipoints;
  for (const dimension of DIMENSIONS) {
    let points = base[dimension];
    for (const name of QUANTITY_NAMES) {
      const amount = amountOf(event.quantities, name);
      const spec = QUANTITIES[name];
      if (amount > 0 && spec.weights[dimension] > 0) points += spec.weights[dimension] * Math.log2(1 + amount / spec.step);
    }
    result[dimension] = Math.round(Math.min(EVENT_CAP_POINTS, points * multiplier) * MILLIPOINTS_PER_POINT);
  }
  return result;
}

/** The amount an event carries for a quantity: a finite, non-negative number, else nothing. */
function amountOf(quantities: ScorableEvent['quantities'], name: string): number {
  const value = quantities?.[name];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

export function millipointsToPoints(millipoints: number): number {
  return millipoints / MILLIPOINTS_PER_POINT;
}
