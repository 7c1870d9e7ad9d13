import { readPdf } from '@academy/testing';
import { DC3_SECTIONS, DC3_SIGNATURES, DC3_TITLE, localDate, renderDc3Pdf, type Dc3Document } from '../src';

const DC3: Dc3Document = {
  workerName: 'María Ñúñez Gómez',
  workerCurp: 'NUGM900101MDFXMR09',
  occupation: '07 Operador de maquinaria',
  jobTitle: 'Técnica de instalación solar',
  employerName: 'Energía Comunitaria, S.C.',
  employerRfc: 'ECO0901019B3',
  courseTitle: 'Instalación de sistemas fotovoltaicos',
  durationHours: 12,
  startedOn: '2026-11-02',
  finishedOn: '2026-11-30',
  thematicArea: '6000 Seguridad',
  trainerName: 'Ana Instructora',
  trainerRegistration: 'ABC-123456-0013',
  issuedAt: new Date('2026-12-01T03:00:00Z'),
};

describe('DC-3 PDF', () => {
  it('prints the STPS format: title, the three sections with their facts, the signature lines', async () => {
    const pdf = await renderDc3Pdf(DC3);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const read = await readPdf(pdf);
    expect(read.pages).toBe(1);
    const text = read.text.replace(/\s+/g, ' ');
    for (const expected of [
      DC3_TITLE,
      ...Object.values(DC3_SECTIONS),
      ...DC3_SIGNATURES,
      'Nombre del curso',
      'Duración en horas',
      'Periodo de ejecución',
      'Área temática del curso',
      'Ocupación específica',
      'Puesto',
      'María Ñúñez Gómez',
      'NUGM900101MDFXMR09',
      '07 Operador de maquinaria',
      'Técnica de instalación solar',
      'Energía Comunitaria, S.C.',
      'ECO0901019B3',
      'Instalación de sistemas fotovoltaicos',
      'De 2026/11/02 a 2026/11/30',
      '6000 Seguridad',
      'Ana Instructora',
      'ABC-123456-0013',
      // The issue date where the employer is: 2026-12-01T03:00Z is still 30 November in Mexico City.
      'Expedida el 2026/11/30.',
    ])
      expect(text).toContain(expected);
  });

  it('leaves the registration empty for the employer’s own instructor; the same facts make the same bytes', async () => {
    const own = { ...DC3, trainerRegistration: null, timeZone: 'UTC' };
    const [first, second] = await Promise.all([renderDc3Pdf(own), renderDc3Pdf(own)]);
    expect(first.equals(second)).toBe(true);
    const text = (await readPdf(first)).text.replace(/\s+/g, ' ');
    expect(text).not.toContain('ABC-123456-0013');
    expect(text).toContain('Expedida el 2026/12/01.');
  });

  it('dates an instant in the time zone asked for', () => {
    expect(localDate(new Date('2026-12-01T05:59:00Z'), 'America/Mexico_City')).toBe('2026-11-30');
    expect(localDate(new Date('2026-12-01T06:00:00Z'), 'America/Mexico_City')).toBe('2026-12-01');
  });
});
