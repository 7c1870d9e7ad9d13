import type { InputIssue } from '@academy/platform';

/** The measured quantities an impact event may carry, with their units and plausible ranges. */
export const QUANTITIES = {
  hours: { unit: 'h', max: 10_000 },
  participants: { unit: 'people', max: 100_000 },
  kgCo2eAvoided: { unit: 'kg CO2e', max: 10_000_000 },
  kwhSaved: { unit: 'kWh', max: 100_000_000 },
  kgWasteDiverted: { unit: 'kg', max: 10_000_000 },
  litersWaterSaved: { unit: 'L', max: 1_000_000_000 },
  treesPlanted: { unit: 'trees', max: 1_000_000 },
  squareMetersRestored: { unit: 'm²', max: 100_000_000 },
} as const;

export type QuantityName = keyof typeof QUANTITIES;

/** Problems with a `quantities` value: not an object, unknown names, numbers out of range. */
export function quantityIssues(value: unknown): InputIssue[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object' || Array.isArray(value)) return [{ field: 'quantities', message: 'must be an object of named numbers' }];
  const issues: InputIssue[] = [];
  for (const [name, amount] of Object.entries(value)) {
    const spec = QUANTITIES[name as QuantityName];
    if (!spec) issues.push({ field: `quantities.${name}`, message: `is not a known quantity (${Object.keys(QUANTITIES).join(', ')})` });
    else if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0 || amount > spec.max) {
      issues.push({ field: `quantities.${name}`, message: `must be a number from 0 to ${spec.max} (${spec.unit})` });
    }
  }
  return issues;
}
