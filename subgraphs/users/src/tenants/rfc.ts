/** The SAT's alphabet for the RFC's check digit: each character's value is its position. */
const VALUES = '0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ';
const SHAPE = /^([A-ZÑ&]{3,4})(\d{2})(\d{2})(\d{2})([A-Z\d]{2})([\dA])$/;

/**
 * Why an RFC (Registro Federal de Contribuyentes) is not valid, or null: 12 characters for a
 * company (persona moral), 13 for a person, a real date, and the SAT's check digit (mod 11 over
 * the first 12 characters, a company's RFC padded with a leading space).
 */
export function rfcProblem(value: string): 'format' | 'date' | 'check-digit' | null {
  const match = SHAPE.exec(value);
  if (!match) return 'format';
  const [, , yy, mm, dd] = match;
  const month = Number(mm);
  const day = Number(dd);
  const probe = new Date(Date.UTC(2000 + Number(yy), month - 1, day));
  if (month < 1 || month > 12 || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return 'date';
  return checkDigit(value.slice(0, -1)) === value.at(-1) ? null : 'check-digit';
}

/** The check digit of an RFC's first 11 (company) or 12 (person) characters. */
export function checkDigit(body: string): string {
  const padded = body.padStart(12, ' ');
  let sum = 0;
  for (let index = 0; index < 12; index += 1) sum += VALUES.indexOf(padded[index]!) * (13 - index);
  const digit = 11 - (sum % 11);
  return digit === 11 ? '0' : digit === 10 ? 'A' : String(digit);
}
