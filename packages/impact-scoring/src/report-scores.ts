import { DIMENSIONS, MILLIPOINTS_PER_POINT, PACE_POINTS, type Dimension, type Granularity } from './model';

export interface DimensionScore {
  dimension: Dimension;
  score: number;
}

export interface ReportScores {
  overall: number;
  scores: DimensionScore[];
}

/**
 * A dimension's 0..100 score for a period: 100 · (1 − e^(−(points / participants) / PACE[granularity])).
 * Per participant, so a large tenant is not better than a small one by being large; saturating,
 * so the first points count most. Nobody took part: 0.
 */
export function dimensionScore(millipoints: number, participants: number, granularity: Granularity): number {
  if (participants <= 0 || millipoints <= 0) return 0;
  const pointsPerParticipant = millipoints / MILLIPOINTS_PER_POINT / participants;
  return 100 * (1 - Math.exp(-pointsPerParticipant / PACE_POINTS[granularity]));
}

/** Half-up to two decimals, as reports show scores. */
export function roundScore(score: number): number {
  return Math.round(score * 100) / 100;
}

/** All five dimensions (in DIMENSIONS order) and overall, their plain mean, both rounded last. */
export function reportScores(totals: Readonly<Record<Dimension, number>>, participants: number, granularity: Granularity): ReportScores {
  const exact = DIMENSIONS.map((dimension) => dimensionScore(totals[dimension], participants, granularity));
  const sum = exact.reduce((total, score) => total + score, 0);
  return {
    overall: roundScore(sum / DIMENSIONS.length),
    scores: DIMENSIONS.map((dimension, index) => ({ dimension, score: roundScore(exact[index]!) })),
  };
}
