import {
  bucketStart,
  bucketsBetween,
  dimensionScore,
  eventMillipoints,
  nextBucket,
  quantityIssues,
  reportScores,
  roundScore,
  EPOCH,
  QUANTITIES,
  TREND_GRANULARITY,
} from '../src';

describe('what an event adds to each dimension', () => {
  it('adds the type base and the quantities with diminishing returns, times the verification multiplier', () => {
    // SUSTAINABILITY: (8 + 3·log2(1 + 75/25)) · 0.5 = (8 + 6) · 0.5 = 7 points; REGENERATIVE: (2 + 0.5·2) · 0.5 = 1.5.
    expect(eventMillipoints({ type: 'SUSTAINABILITY_ACTION', verification: 'SELF_REPORTED', quantities: { kgCo2eAvoided: 75 } })).toEqual({
      SUSTAINABILITY: 7000,
      COMMUNITY: 500,
      REGENERATIVE: 1500,
      SOCIAL_JUSTICE: 500,
      CIRCULARITY: 2000,
    });
  });

  it('sums several quantities into the dimensions they weigh on', () => {
    // COMMUNITY: 8 + 1·log2(1 + 6/2) + 2.5·log2(1 + 15/5) = 8 + 2 + 5; SOCIAL_JUSTICE: 4 + 1.5·2 + 1.5·2.
    expect(
      eventMillipoints({ type: 'COMMUNITY_PROJECT', verification: 'EXPERT_VERIFIED', quantities: { hours: 6, participants: 15 } }),
    ).toEqual({
      SUSTAINABILITY: 2000,
      COMMUNITY: 15000,
      REGENERATIVE: 2000,
      SOCIAL_JUSTICE: 10000,
      CIRCULARITY: 1000,
    });
  });

  it('gives every doubling of (1 + amount/step) the same increment, never more', () => {
    const sustainability = (kgCo2eAvoided: number) =>
      eventMillipoints({ type: 'SKILL_SHARING', verification: 'EXPERT_VERIFIED', quantities: { kgCo2eAvoided } }).SUSTAINABILITY;
    const step = QUANTITIES.kgCo2eAvoided.step;
    expect([0, step, 3 * step, 7 * step].map(sustainability)).toEqual([1000, 4000, 7000, 10000]);
  });

  it('caps one event at 25 points per dimension', () => {
    const points = eventMillipoints({
      type: 'REGENERATIVE_PROJECT',
      verification: 'EXPERT_VERIFIED',
      quantities: { treesPlanted: 1_000_000 },
    });
    expect(points.REGENERATIVE).toBe(25000);
    // 4 + 1·log2(1 + 200000) = 21.6096…
    expect(points.SUSTAINABILITY).toBe(Math.round((4 + Math.log2(200_001)) * 1000));
  });

  it('counts a self-reported event half and a peer-verified one at 80 %', () => {
    const at = (verification: 'SELF_REPORTED' | 'PEER_VERIFIED' | 'EXPERT_VERIFIED') =>
      eventMillipoints({ type: 'COURSE_COMPLETION', verification, quantities: { hours: 14 } });
    // SOCIAL_JUSTICE at full verification: 5 + 1.5·log2(1 + 7) = 9.5.
    expect([at('SELF_REPORTED'), at('PEER_VERIFIED'), at('EXPERT_VERIFIED')].map((p) => p.SOCIAL_JUSTICE)).toEqual([4750, 7600, 9500]);
  });

  it('ignores what it cannot read (unknown names, non-numbers) instead of failing', () => {
    const plain = eventMillipoints({ type: 'SKILL_SHARING', verification: 'PEER_VERIFIED', quantities: {} });
    expect(
      eventMillipoints({ type: 'SKILL_SHARING', verification: 'PEER_VERIFIED', quantities: { tons: 3, hours: 'many', participants: -4 } }),
    ).toEqual(plain);
    expect(eventMillipoints({ type: 'SKILL_SHARING', verification: 'PEER_VERIFIED', quantities: null })).toEqual(plain);
  });
});

describe('quantities an event may carry', () => {
  it('accepts known names with amounts in range', () => {
    expect(quantityIssues({ hours: 2.5, participants: 12, kgCo2eAvoided: 0 })).toEqual([]);
    expect(quantityIssues(undefined)).toEqual([]);
  });

  it('names every problem with its field', () => {
    expect(
      quantityIssues({ hours: -1, participants: 2.5, treesPlanted: 2_000_000, tons: 3, kwhSaved: 'mucho', certifiedCompetencies: 1 }),
    ).toEqual([
      { field: 'quantities.hours', message: 'must be a number from 0 to 10000 (h)' },
      { field: 'quantities.participants', message: 'must be a whole number (people)' },
      { field: 'quantities.treesPlanted', message: 'must be a number from 0 to 1000000 (trees)' },
      {
        field: 'quantities.tons',
        message:
          'is not a known quantity (hours, participants, kgCo2eAvoided, kwhSaved, kgWasteDiverted, litersWaterSaved, treesPlanted, squareMetersRestored)',
      },
      { field: 'quantities.kwhSaved', message: 'must be a number from 0 to 100000000 (kWh)' },
      { field: 'quantities.certifiedCompetencies', message: 'is recorded by the platform, not by people' },
    ]);
    expect(quantityIssues([1, 2])).toEqual([{ field: 'quantities', message: 'must be an object of named numbers' }]);
    expect(quantityIssues({ certifiedCompetencies: 1 }, 'platform')).toEqual([]);
  });
});

describe('report scores', () => {
  it('score 63.21 when each participant averaged the period pace, 0 when nobody took part', () => {
    expect(roundScore(dimensionScore(30_000 * 4, 4, 'MONTH'))).toBe(63.21);
    expect(roundScore(dimensionScore(60_000, 1, 'MONTH'))).toBe(86.47);
    expect(dimensionScore(0, 3, 'MONTH')).toBe(0);
    expect(dimensionScore(5_000, 0, 'MONTH')).toBe(0);
  });

  it('are per participant: ten people doing what one did score the same', () => {
    const one = reportScores(
      { SUSTAINABILITY: 7000, COMMUNITY: 500, REGENERATIVE: 1500, SOCIAL_JUSTICE: 500, CIRCULARITY: 2000 },
      1,
      'WEEK',
    );
    const ten = reportScores(
      { SUSTAINABILITY: 70000, COMMUNITY: 5000, REGENERATIVE: 15000, SOCIAL_JUSTICE: 5000, CIRCULARITY: 20000 },
      10,
      'WEEK',
    );
    expect(ten).toEqual(one);
    // 100·(1 − e^(−0.7)) = 50.34, 100·(1 − e^(−0.05)) = 4.88, …; overall is their unrounded mean.
    expect(one).toEqual({
      overall: 18.43,
      scores: [
        { dimension: 'SUSTAINABILITY', score: 50.34 },
        { dimension: 'COMMUNITY', score: 4.88 },
        { dimension: 'REGENERATIVE', score: 13.93 },
        { dimension: 'SOCIAL_JUSTICE', score: 4.88 },
        { dimension: 'CIRCULARITY', score: 18.13 },
      ],
    });
  });
});

describe('periods', () => {
  const sunday = new Date('2026-11-22T18:30:00.000Z');

  it('are UTC calendar buckets: day, ISO week from Monday, month, quarter, year, all time', () => {
    expect(bucketStart('DAY', sunday).toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(bucketStart('WEEK', sunday).toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(bucketStart('WEEK', new Date('2026-11-16T00:00:00.000Z')).toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(bucketStart('MONTH', sunday).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(bucketStart('QUARTER', sunday).toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(bucketStart('YEAR', sunday).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(bucketStart('ALL_TIME', sunday)).toEqual(EPOCH);
    expect(nextBucket('QUARTER', new Date('2026-10-01T00:00:00.000Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('trend one point per sub-period, oldest first, up to now', () => {
    expect(TREND_GRANULARITY).toEqual({ DAY: 'DAY', WEEK: 'DAY', MONTH: 'DAY', QUARTER: 'MONTH', YEAR: 'MONTH', ALL_TIME: 'YEAR' });
    expect(bucketsBetween('DAY', bucketStart('WEEK', sunday), sunday).map((d) => d.toISOString().slice(0, 10))).toEqual([
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
    ]);
    expect(bucketsBetween('MONTH', bucketStart('QUARTER', sunday), sunday).map((d) => d.toISOString().slice(0, 7))).toEqual([
      '2026-10',
      '2026-11',
    ]);
  });
});
