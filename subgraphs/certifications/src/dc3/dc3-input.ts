import type { InputIssue } from '@academy/platform';
import type { Dc3Input } from '../generated/resolvers-types';

/** The admin's part of a DC-3, trimmed. */
export interface Dc3Details {
  occupation: string;
  jobTitle: string;
  thematicArea: string;
  trainerRegistration: string | null;
}

const LIMITS = { occupation: 120, jobTitle: 120, thematicArea: 120, trainerRegistration: 60 } as const;

/** The input checked: each text trimmed, 1..limit characters (the registration may be absent or empty: none); every problem listed. */
export function dc3Details(input: Dc3Input): { details: Dc3Details; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const text = (field: keyof typeof LIMITS, value: string | null | undefined, required: boolean): string | null => {
    const trimmed = (value ?? '').trim();
    if (trimmed.length === 0 && !required) return null;
    if (trimmed.length === 0 || trimmed.length > LIMITS[field] || hasControlCharacter(trimmed))
      issues.push({ field: `input.${field}`, message: `must be 1 to ${LIMITS[field]} characters on one line` });
    return trimmed;
  };
  const details = {
    occupation: text('occupation', input.occupation, true)!,
    jobTitle: text('jobTitle', input.jobTitle, true)!,
    thematicArea: text('thematicArea', input.thematicArea, true)!,
    trainerRegistration: text('trainerRegistration', input.trainerRegistration, false),
  };
  return { details, issues };
}

/** Line breaks, tabs and other control characters: one line of printable text fits the form's box. */
function hasControlCharacter(value: string): boolean {
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
