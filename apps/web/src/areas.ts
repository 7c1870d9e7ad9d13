import type { Persona } from '@academy/client';

/** Who may open each area (the API enforces the same; this only keeps people out of empty screens). */
export const AREA_PERSONAS = {
  teach: ['INSTRUCTOR', 'TENANT_ADMIN'],
  admin: ['TENANT_ADMIN'],
  evaluate: ['EVALUATOR'],
} as const satisfies Record<string, readonly Persona[]>;
