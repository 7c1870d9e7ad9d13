import { QUANTITIES, QUANTITY_NAMES, type QuantityName } from './model';

export interface QuantityIssue {
  field: string;
  message: string;
}

/**
 * Problems with an event's `quantities`: not an object of named numbers, unknown names, amounts
 * out of range or not whole where they count things, and amounts only the platform records.
 */
export function quantityIssues(value: unknown, recordedBy: 'person' | 'platform' = 'person'): QuantityIssue[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object' || Array.isArray(value)) return [{ field: 'quantities', message: 'must be an object of named numbers' }];
  const issues: QuantityIssue[] = [];
  for (const [name, amount] of Object.entries(value)) {
    const field = `quantities.${name}`;
    if (!(QUANTITY_NAMES as string[]).includes(name)) {
      issues.push({
        field,
        message: `is not a known quantity (${QUANTITY_NAMES.filter((known) => !QUANTITIES[known].platformOnly).join(', ')})`,
      });
      continue;
    }
    const spec = QUANTITIES[name as QuantityName];
    if (spec.platformOnly && recordedBy === 'person') issues.push({ field, message: 'is recorded by the platform, not by people' });
    else if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0 || amount > spec.max) {
      issues.push({ field, message: `must be a number from 0 to ${spec.max} (${spec.unit})` });
    } else if (spec.integer && !Number.isInteger(amount)) issues.push({ field, message: `must be a whole number (${spec.unit})` });
  }
  return issues;
}
