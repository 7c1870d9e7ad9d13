import catalogue from '../data/renec-standards.json';

/** One competency standard (Estándar de Competencia) of the RENEC registry. */
export interface RenecStandard {
  /** e.g. EC0217.01 */
  code: string;
  title: string;
  /** 1..5 */
  level: number;
  sector: string;
  committee: string | null;
  renecId: string;
  sectorId: string;
}

/** The registry snapshot shipped with the platform (1,477 standards). */
export const RENEC_STANDARDS: readonly RenecStandard[] = catalogue;

/** When the shipped snapshot was taken: the `updatedAt` of every standard that came from it. */
export const RENEC_SNAPSHOT_AT = new Date('2026-10-01T00:00:00.000Z');

const byCode = new Map(RENEC_STANDARDS.map((standard) => [standard.code, standard]));

export function findRenecStandard(code: string): RenecStandard | undefined {
  return byCode.get(code);
}

/** EC codes as CONOCER writes them: EC + 4 digits, optionally a two-digit version. */
export const EC_CODE_PATTERN = /^EC\d{4}(\.\d{2})?$/;

export * from './compliance';
