import PDFDocument from 'pdfkit';
import { pdfBytes, printTimeZone } from './printing';

/** What a DC-3 prints: the facts as they were when it was issued (the certifications subgraph keeps the same snapshot). */
export interface Dc3Document {
  workerName: string;
  workerCurp: string;
  /** Ocupación específica (free text of the STPS catalogue of occupations). */
  occupation: string;
  jobTitle: string;
  employerName: string;
  employerRfc: string;
  courseTitle: string;
  durationHours: number;
  /** YYYY-MM-DD, the day the training started (in the employer's time zone). */
  startedOn: string;
  /** YYYY-MM-DD, the day it was finished. */
  finishedOn: string;
  /** Área temática of the STPS catalogue, e.g. "6000 Seguridad". */
  thematicArea: string;
  trainerName: string;
  /** The STPS registration of an external training agent; null for the employer's own instructor. */
  trainerRegistration: string | null;
  issuedAt: Date;
  /** Where the issue date is printed for (IANA); America/Mexico_City when not given. */
  timeZone?: string;
}

export const DC3_TITLE = 'FORMATO DC-3 CONSTANCIA DE COMPETENCIAS O DE HABILIDADES LABORALES';
export const DC3_SECTIONS = {
  worker: 'DATOS DEL TRABAJADOR',
  company: 'DATOS DE LA EMPRESA',
  programme: 'DATOS DEL PROGRAMA DE CAPACITACIÓN, ADIESTRAMIENTO Y PRODUCTIVIDAD',
} as const;
export const DC3_SIGNATURES = ['Instructor o tutor', 'Patrón o representante legal', 'Representante de los trabajadores'] as const;

const MARGIN = 48;
const ROW_HEIGHT = 34;
const SECTION_FILL = '#d9d9d9';

/**
 * The STPS DC-3 ("Constancia de competencias o de habilidades laborales") as a one-page PDF in
 * Spanish, in the order and with the labels of the official format: the worker, the company, the
 * training programme, then the three signature lines. Standard Helvetica only (WinAnsi covers
 * Spanish), so nothing is embedded and the file stays small. The same facts make the same bytes
 * (the document's dates are the issue date).
 */
export function renderDc3Pdf(dc3: Dc3Document): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    info: {
      Title: `DC-3 ${dc3.workerName}: ${dc3.courseTitle}`,
      Subject: DC3_TITLE,
      Creator: 'MADFAM Academy',
      CreationDate: dc3.issuedAt,
      ModDate: dc3.issuedAt,
    },
  });
  const done = pdfBytes(doc);

  const width = doc.page.width - 2 * MARGIN;
  let y = MARGIN;

  doc.font('Helvetica-Bold').fontSize(13).text(DC3_TITLE, MARGIN, y, { width, align: 'center' });
  y = doc.y + 16;

  const section = (title: string) => {
    doc.rect(MARGIN, y, width, 18).fillAndStroke(SECTION_FILL, '#000000');
    doc
      .fillColor('#000000')
      .font('Helvetica-Bold')
      .fontSize(9)
      .text(title, MARGIN, y + 5, { width, align: 'center' });
    y += 18;
  };
  /** A row of labelled boxes: [label, value, share of the width]. */
  const row = (cells: [label: string, value: string, share: number][]) => {
    let x = MARGIN;
    for (const [label, value, share] of cells) {
      const cellWidth = width * share;
      doc.rect(x, y, cellWidth, ROW_HEIGHT).stroke('#000000');
      doc
        .font('Helvetica')
        .fontSize(7)
        .text(label, x + 4, y + 3, { width: cellWidth - 8, lineBreak: false });
      doc
        .font('Helvetica-Bold')
        .fontSize(10)
        .text(value, x + 4, y + 15, { width: cellWidth - 8, height: ROW_HEIGHT - 16, ellipsis: true });
      x += cellWidth;
    }
    y += ROW_HEIGHT;
  };

  section(DC3_SECTIONS.worker);
  row([['Nombre (anotar apellido paterno, apellido materno y nombre(s))', dc3.workerName, 1]]);
  row([
    ['Clave Única de Registro de Población (CURP)', dc3.workerCurp, 0.5],
    ['Ocupación específica (Catálogo Nacional de Ocupaciones)', dc3.occupation, 0.5],
  ]);
  row([['Puesto', dc3.jobTitle, 1]]);
  y += 12;

  section(DC3_SECTIONS.company);
  row([['Nombre o razón social (en caso de persona física, anotar apellido paterno, apellido materno y nombre(s))', dc3.employerName, 1]]);
  row([['Registro Federal de Contribuyentes con homoclave (SHCP)', dc3.employerRfc, 1]]);
  y += 12;

  section(DC3_SECTIONS.programme);
  row([['Nombre del curso', dc3.courseTitle, 1]]);
  row([
    ['Duración en horas', String(dc3.durationHours), 0.3],
    ['Periodo de ejecución (año/mes/día)', `De ${slashed(dc3.startedOn)} a ${slashed(dc3.finishedOn)}`, 0.7],
  ]);
  row([['Área temática del curso', dc3.thematicArea, 1]]);
  row([
    ['Nombre del agente capacitador o STPS', dc3.trainerName, 0.6],
    ['Registro del agente capacitador (STPS)', dc3.trainerRegistration ?? '', 0.4],
  ]);
  y += 16;

  doc
    .font('Helvetica')
    .fontSize(8)
    .text(
      'Los datos se asientan en esta constancia bajo protesta de decir verdad, apercibidos de la responsabilidad en que incurre ' +
        'todo aquel que no se conduce con verdad.',
      MARGIN,
      y,
      { width, align: 'center' },
    );
  y = doc.y + 56;

  const columnWidth = width / DC3_SIGNATURES.length;
  DC3_SIGNATURES.forEach((label, index) => {
    const x = MARGIN + index * columnWidth;
    doc
      .moveTo(x + 12, y)
      .lineTo(x + columnWidth - 12, y)
      .stroke('#000000');
    doc
      .font('Helvetica')
      .fontSize(8)
      .text(label, x, y + 4, { width: columnWidth, align: 'center' });
    doc.text('Nombre y firma', x, y + 14, { width: columnWidth, align: 'center' });
  });
  y += 40;

  doc
    .font('Helvetica')
    .fontSize(7)
    .fillColor('#444444')
    .text(`Expedida el ${slashed(localDate(dc3.issuedAt, printTimeZone(dc3.timeZone)))}.`, MARGIN, y, { width, align: 'right' });

  doc.end();
  return done;
}

/** YYYY-MM-DD of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function slashed(date: string): string {
  return date.replace(/-/g, '/');
}
