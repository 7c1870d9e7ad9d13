/** The two-letter codes RENAPO uses for the state of birth (NE: born abroad). */
export const CURP_STATES = [
  'AS',
  'BC',
  'BS',
  'CC',
  'CL',
  'CM',
  'CS',
  'CH',
  'DF',
  'DG',
  'GT',
  'GR',
  'HG',
  'JC',
  'MC',
  'MN',
  'MS',
  'NT',
  'NL',
  'OC',
  'PL',
  'QT',
  'QR',
  'SP',
  'SL',
  'SR',
  'TC',
  'TS',
  'TL',
  'VZ',
  'YN',
  'ZS',
  'NE',
] as const;

export type CurpState = (typeof CURP_STATES)[number];

const SHAPE = new RegExp(
  '^[A-Z][AEIOUX][A-Z]{2}' + // initials
    '\\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])' + // YYMMDD
    '[HMX]' + // sex
    `(${CURP_STATES.join('|')})` +
    '[B-DF-HJ-NP-TV-Z]{3}' + // internal consonants
    '[A-Z\\d]\\d$', // differentiator, check digit
);

const DICTIONARY = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';

/** RENAPO's check digit over the first 17 characters. */
export function curpCheckDigit(first17: string): number {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = DICTIONARY.indexOf(first17[i] ?? '');
    if (value < 0) return -1;
    sum += value * (18 - i);
  }
  return (10 - (sum % 10)) % 10;
}

export type CurpProblem = 'format' | 'date' | 'check-digit';

/** Why a CURP is not valid, or null when it is. */
export function curpProblem(value: string): CurpProblem | null {
  if (!SHAPE.test(value)) return 'format';
  const yy = Number(value.slice(4, 6));
  const month = Number(value.slice(6, 8));
  const day = Number(value.slice(8, 10));
  // The differentiator is a digit for births up to 1999 and a letter from 2000 on.
  const year = (/\d/.test(value[16]!) ? 1900 : 2000) + yy;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return 'date';
  if (curpCheckDigit(value.slice(0, 17)) !== Number(value[17])) return 'check-digit';
  return null;
}

export function isValidCurp(value: string): boolean {
  return curpProblem(value) === null;
}

export interface CurpPerson {
  givenNames: string;
  firstSurname: string;
  secondSurname: string;
  birthDate: Date;
  sex: 'H' | 'M' | 'X';
  state: CurpState;
  /** 0..9 for births up to 1999, 0..25 (A..Z) from 2000: tells homonyms apart. */
  differentiator?: number;
}

/** Builds a CURP the way RENAPO does for the common case (no compound-name or word filters). */
export function buildCurp(person: CurpPerson): string {
  const first = normalize(person.firstSurname);
  const second = normalize(person.secondSurname) || 'X';
  const given = normalize(person.givenNames.split(/\s+/)[0] ?? 'X');
  const year = person.birthDate.getUTCFullYear();
  const initials = `${first[0] ?? 'X'}${internalVowel(first)}${second[0] ?? 'X'}${given[0] ?? 'X'}`;
  const date = `${String(year % 100).padStart(2, '0')}${pad(person.birthDate.getUTCMonth() + 1)}${pad(person.birthDate.getUTCDate())}`;
  const consonants = `${internalConsonant(first)}${internalConsonant(second)}${internalConsonant(given)}`;
  const n = person.differentiator ?? 0;
  const differentiator = year < 2000 ? String(n % 10) : String.fromCharCode(65 + (n % 26));
  const first17 = `${initials}${date}${person.sex}${person.state}${consonants}${differentiator}`;
  return `${first17}${curpCheckDigit(first17)}`;
}

function normalize(value: string): string {
  return value
    .toUpperCase()
    .replace(/Ñ/g, 'X')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Z]/g, '');
}

function internalVowel(word: string): string {
  return word.slice(1).match(/[AEIOU]/)?.[0] ?? 'X';
}

function internalConsonant(word: string): string {
  return word.slice(1).match(/[B-DF-HJ-NP-TV-Z]/)?.[0] ?? 'X';
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
