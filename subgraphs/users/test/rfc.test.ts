import { checkDigit, rfcProblem } from '../src/tenants/rfc';

/** RFCs as the SAT issues them: real ones of public bodies and the SAT's own example person. */
describe('RFC (Registro Federal de Contribuyentes)', () => {
  it.each([
    ['SAT970701NN3', 'a company (the SAT)'],
    ['IMS421231I45', 'a company (IMSS)'],
    ['CFE370814QI0', 'a company (CFE)'],
    ['GODE561231GR8', "a person (the SAT's example)"],
    ['XEXX010101000', 'the generic RFC of foreign residents'],
  ])('accepts %s, %s', (rfc) => {
    expect(rfcProblem(rfc)).toBeNull();
  });

  it('names what is wrong', () => {
    expect([
      rfcProblem('SAT970701NN4'),
      rfcProblem('SAT971301NN3'),
      rfcProblem('SAT970230NN3'),
      rfcProblem('SA970701NN3'),
      rfcProblem('sat970701nn3'),
      rfcProblem('GODE561231GR8X'),
    ]).toEqual(['check-digit', 'date', 'date', 'format', 'format', 'format']);
  });

  it('computes the check digit over the first 12 characters, a company’s padded with a space (10 is A, 11 is 0)', () => {
    expect([checkDigit('SAT970701NN'), checkDigit('GODE561231GR'), checkDigit('CFE370814QI')]).toEqual(['3', '8', '0']);
  });
});
