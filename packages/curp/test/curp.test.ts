import { buildCurp, curpCheckDigit, curpProblem, isValidCurp } from '../src';

describe('CURP', () => {
  // A CURP published by RENAPO as an example of the format (a fictitious person).
  const sample = 'HEGG560427MVZRRL04';

  it('accepts a well-formed CURP whose check digit matches', () => {
    expect(curpCheckDigit(sample.slice(0, 17))).toBe(4);
    expect(curpProblem(sample)).toBeNull();
    expect(isValidCurp(sample)).toBe(true);
  });

  it.each([
    ['HEGG560427MVZRRL05', 'check-digit'],
    ['HEGG561327MVZRRL04', 'format'],
    ['HEGG560231MVZRRL04', 'date'],
    ['HEGG560427MXXRRL04', 'format'],
    ['hegg560427mvzrrl04', 'format'],
    ['HEGG560427MVZRRL0', 'format'],
    ['', 'format'],
  ])('rejects %j (%s)', (value, problem) => {
    expect(curpProblem(value)).toBe(problem);
  });

  it('builds valid CURPs from a person, distinguishing 20th and 21st century births', () => {
    const older = buildCurp({
      givenNames: 'María Fernanda',
      firstSurname: 'Núñez',
      secondSurname: 'Gómez',
      birthDate: new Date(Date.UTC(1987, 2, 14)),
      sex: 'M',
      state: 'OC',
      differentiator: 3,
    });
    expect(older).toMatch(/^NUGM870314MOC[A-Z]{3}3\d$/);
    expect(isValidCurp(older)).toBe(true);
    const younger = buildCurp({
      givenNames: 'Emiliano',
      firstSurname: 'Peña',
      secondSurname: 'López',
      birthDate: new Date(Date.UTC(2004, 10, 2)),
      sex: 'H',
      state: 'NL',
      differentiator: 1,
    });
    expect(younger.slice(0, 16)).toBe('PELE041102HNLXPM'); // Ñ counts as X among the consonants
    expect(younger[16]).toBe('B');
    expect(isValidCurp(younger)).toBe(true);
  });
});
