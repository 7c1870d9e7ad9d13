/**
 * The Solarpunk impact model's numbers, in one place. docs/impact-scoring.md explains each
 * of them and the references they follow; change both together.
 */

export const DIMENSIONS = ['SUSTAINABILITY', 'COMMUNITY', 'REGENERATIVE', 'SOCIAL_JUSTICE', 'CIRCULARITY'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const EVENT_TYPES = [
  'COURSE_COMPLETION',
  'COMMUNITY_PROJECT',
  'SKILL_SHARING',
  'SUSTAINABILITY_ACTION',
  'REGENERATIVE_PROJECT',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const VERIFICATION_LEVELS = ['SELF_REPORTED', 'PEER_VERIFIED', 'EXPERT_VERIFIED'] as const;
export type Verification = (typeof VERIFICATION_LEVELS)[number];

/** An external standard a number follows: a UN SDG indicator, a GRI disclosure, an IRIS+ metric. */
export interface Reference {
  framework: 'SDG' | 'GRI' | 'IRIS+' | 'RENEC';
  id: string;
  title: string;
}

export type DimensionWeights = Readonly<Record<Dimension, number>>;

const weights = (partial: Partial<Record<Dimension, number>>): DimensionWeights => ({
  SUSTAINABILITY: 0,
  COMMUNITY: 0,
  REGENERATIVE: 0,
  SOCIAL_JUSTICE: 0,
  CIRCULARITY: 0,
  ...partial,
});

/** Points (per dimension) every event of a type adds before its quantities, at full verification. */
export const BASE_POINTS: Readonly<Record<EventType, DimensionWeights>> = {
  COURSE_COMPLETION: weights({ SUSTAINABILITY: 3, COMMUNITY: 2, REGENERATIVE: 2, SOCIAL_JUSTICE: 5, CIRCULARITY: 2 }),
  COMMUNITY_PROJECT: weights({ SUSTAINABILITY: 2, COMMUNITY: 8, REGENERATIVE: 2, SOCIAL_JUSTICE: 4, CIRCULARITY: 1 }),
  SKILL_SHARING: weights({ SUSTAINABILITY: 1, COMMUNITY: 6, REGENERATIVE: 1, SOCIAL_JUSTICE: 5, CIRCULARITY: 2 }),
  SUSTAINABILITY_ACTION: weights({ SUSTAINABILITY: 8, COMMUNITY: 1, REGENERATIVE: 2, SOCIAL_JUSTICE: 1, CIRCULARITY: 4 }),
  REGENERATIVE_PROJECT: weights({ SUSTAINABILITY: 4, COMMUNITY: 2, REGENERATIVE: 8, SOCIAL_JUSTICE: 1, CIRCULARITY: 2 }),
};

export const EVENT_TYPE_REFERENCES: Readonly<Record<EventType, readonly Reference[]>> = {
  COURSE_COMPLETION: [
    { framework: 'SDG', id: '4.3.1', title: 'Participation rate of youth and adults in formal and non-formal education and training' },
    { framework: 'SDG', id: '4.7.1', title: 'Education for sustainable development mainstreamed in education' },
    { framework: 'GRI', id: '404-1', title: 'Average hours of training per year per employee' },
  ],
  COMMUNITY_PROJECT: [
    { framework: 'GRI', id: '413-1', title: 'Operations with local community engagement, impact assessments, and development programs' },
  ],
  SKILL_SHARING: [
    { framework: 'SDG', id: '4.3.1', title: 'Participation rate of youth and adults in formal and non-formal education and training' },
    { framework: 'IRIS+', id: 'PI2998', title: 'Individuals Trained: Total' },
  ],
  SUSTAINABILITY_ACTION: [
    { framework: 'SDG', id: '12.8.1', title: 'Education for sustainable development mainstreamed (awareness for sustainable lifestyles)' },
  ],
  REGENERATIVE_PROJECT: [
    { framework: 'SDG', id: '15.3.1', title: 'Proportion of land that is degraded over total land area' },
    { framework: 'GRI', id: '304-3', title: 'Habitats protected or restored' },
  ],
};

export interface QuantitySpec {
  unit: string;
  /** The largest plausible amount on one event; more is refused as a typo or a claim nobody can check. */
  max: number;
  /** Counts of things (people, trees) are whole numbers. */
  integer: boolean;
  /** Only the platform records it (e.g. an official certification), never a person. */
  platformOnly: boolean;
  /**
   * The amount that adds `weights` once: the quantity adds weight × log2(1 + amount / step), so
   * every doubling of (1 + amount / step) adds the same again (diminishing returns).
   */
  step: number;
  weights: DimensionWeights;
  references: readonly Reference[];
}

export const QUANTITIES = {
  hours: {
    unit: 'h',
    max: 10_000,
    integer: false,
    platformOnly: false,
    step: 2,
    weights: weights({ COMMUNITY: 1, SOCIAL_JUSTICE: 1.5 }),
    references: [
      { framework: 'GRI', id: '404-1', title: 'Average hours of training per year per employee' },
      { framework: 'SDG', id: '4.3.1', title: 'Participation rate of youth and adults in formal and non-formal education and training' },
    ],
  },
  participants: {
    unit: 'people',
    max: 100_000,
    integer: true,
    platformOnly: false,
    step: 5,
    weights: weights({ COMMUNITY: 2.5, SOCIAL_JUSTICE: 1.5 }),
    references: [
      { framework: 'IRIS+', id: 'PI2998', title: 'Individuals Trained: Total' },
      { framework: 'GRI', id: '413-1', title: 'Operations with local community engagement, impact assessments, and development programs' },
    ],
  },
  kgCo2eAvoided: {
    unit: 'kg CO2e',
    max: 10_000_000,
    integer: false,
    platformOnly: false,
    step: 25,
    weights: weights({ SUSTAINABILITY: 3, REGENERATIVE: 0.5 }),
    references: [
      { framework: 'IRIS+', id: 'OI4862', title: 'Greenhouse Gas Emissions Reduced: Total' },
      { framework: 'GRI', id: '305-5', title: 'Reduction of GHG emissions' },
      { framework: 'SDG', id: '13.2.2', title: 'Total greenhouse gas emissions per year' },
    ],
  },
  kwhSaved: {
    unit: 'kWh',
    max: 100_000_000,
    integer: false,
    platformOnly: false,
    step: 50,
    weights: weights({ SUSTAINABILITY: 2.5, CIRCULARITY: 0.5 }),
    references: [
      { framework: 'IRIS+', id: 'OI6697', title: 'Energy Conserved' },
      { framework: 'GRI', id: '302-4', title: 'Reduction of energy consumption' },
      { framework: 'SDG', id: '7.3.1', title: 'Energy intensity measured in terms of primary energy and GDP' },
    ],
  },
  kgWasteDiverted: {
    unit: 'kg',
    max: 10_000_000,
    integer: false,
    platformOnly: false,
    step: 10,
    weights: weights({ CIRCULARITY: 3, SUSTAINABILITY: 0.5 }),
    references: [
      { framework: 'IRIS+', id: 'OI7920', title: 'Waste Reduced' },
      { framework: 'GRI', id: '306-4', title: 'Waste diverted from disposal' },
      { framework: 'SDG', id: '12.5.1', title: 'National recycling rate, tons of material recycled' },
    ],
  },
  litersWaterSaved: {
    unit: 'L',
    max: 1_000_000_000,
    integer: false,
    platformOnly: false,
    step: 500,
    weights: weights({ SUSTAINABILITY: 2, REGENERATIVE: 1 }),
    references: [
      { framework: 'IRIS+', id: 'OI4015', title: 'Water Conserved' },
      { framework: 'GRI', id: '303-5', title: 'Water consumption' },
      { framework: 'SDG', id: '6.4.1', title: 'Change in water-use efficiency over time' },
    ],
  },
  treesPlanted: {
    unit: 'trees',
    max: 1_000_000,
    integer: true,
    platformOnly: false,
    step: 5,
    weights: weights({ REGENERATIVE: 3, SUSTAINABILITY: 1 }),
    references: [
      { framework: 'SDG', id: '15.2.1', title: 'Progress towards sustainable forest management' },
      { framework: 'GRI', id: '304-3', title: 'Habitats protected or restored' },
    ],
  },
  squareMetersRestored: {
    unit: 'm²',
    max: 100_000_000,
    integer: false,
    platformOnly: false,
    step: 50,
    weights: weights({ REGENERATIVE: 3, SUSTAINABILITY: 0.5 }),
    references: [
      { framework: 'IRIS+', id: 'PI9556', title: 'Ecological Restoration Management Area' },
      { framework: 'GRI', id: '304-3', title: 'Habitats protected or restored' },
      { framework: 'SDG', id: '15.3.1', title: 'Proportion of land that is degraded over total land area' },
    ],
  },
  certifiedCompetencies: {
    unit: 'EC standards',
    max: 10,
    integer: true,
    platformOnly: true,
    step: 1,
    weights: weights({ SOCIAL_JUSTICE: 4, COMMUNITY: 0.5 }),
    references: [
      { framework: 'RENEC', id: 'EC', title: 'CONOCER competency standard certified (Registro Nacional de Estándares de Competencia)' },
      {
        framework: 'SDG',
        id: '4.4',
        title: 'Youth and adults with relevant skills for employment and decent jobs (target 4.4; indicator 4.4.1)',
      },
    ],
  },
} as const satisfies Record<string, QuantitySpec>;

export type QuantityName = keyof typeof QUANTITIES;
export const QUANTITY_NAMES = Object.keys(QUANTITIES) as QuantityName[];

/** How much of an event's points count, by who vouched for it. */
export const VERIFICATION_MULTIPLIERS: Readonly<Record<Verification, number>> = {
  SELF_REPORTED: 0.5,
  PEER_VERIFIED: 0.8,
  EXPERT_VERIFIED: 1,
};

/** No single event adds more than this to a dimension, however large its quantities. */
export const EVENT_CAP_POINTS = 25;

/** Points are stored as integers in thousandths (millipoints), so sums are exact in SQL and in JS. */
export const MILLIPOINTS_PER_POINT = 1000;

export const GRANULARITIES = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'ALL_TIME'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/**
 * The pace of an engaged participant, in points per participant, for a period of each length:
 * a report whose participants each averaged this many points in a dimension scores 63.2 there
 * (1 − 1/e); twice as many, 86.5.
 */
export const PACE_POINTS: Readonly<Record<Granularity, number>> = {
  DAY: 3,
  WEEK: 10,
  MONTH: 30,
  QUARTER: 75,
  YEAR: 250,
  ALL_TIME: 600,
};
