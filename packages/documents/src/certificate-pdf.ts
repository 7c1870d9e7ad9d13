import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { embeddableImage } from './embeddable-image';
import { pdfBytes, printTimeZone } from './printing';

/** What a certificate PDF shows. Text is printed as given (Spanish labels around it). */
export interface CertificatePdfContent {
  learnerName: string;
  courseTitle: string;
  academy: {
    name: string;
    /** #RRGGBB; anything else gets the default. */
    primaryColor?: string | null;
    /** The academy's logo: PNG or JPEG bytes; anything else (or a file pdfkit cannot read) is left out. */
    logo?: Uint8Array | null;
  };
  issuedAt: Date;
  /** IANA time zone the dates are given in (default America/Mexico_City). */
  timeZone?: string | null;
  /** The EC standard the course is aligned to (CONOCER's code, e.g. EC0217.01, and its title). */
  competencyStandard?: { code: string; title?: string | null } | null;
  verificationCode: string;
  /** Where the QR code and the printed link lead: the public verification page. */
  verificationUrl: string;
  /** A revoked certificate's PDF says REVOCADO across the page, with when and why. */
  revocation?: { revokedAt: Date; reason: string } | null;
}

const DEFAULT_COLOR = '#1f4e79';
const REVOKED_COLOR = '#b00020';
const TEXT_COLOR = '#222222';
const MUTED_COLOR = '#555555';

// A4 landscape, in points.
const WIDTH = 841.89;
const HEIGHT = 595.28;
const MARGIN = 56;
const CONTENT_WIDTH = WIDTH - 2 * MARGIN;
const QR_SIZE = 92;
const QR_X = WIDTH - MARGIN - QR_SIZE + 6;
const QR_Y = HEIGHT - MARGIN - QR_SIZE + 14;
/** Where the footer (verification code and link) begins; the body ends above the QR code. */
const FOOTER_TOP = HEIGHT - MARGIN - 48;
const BODY_BOTTOM = QR_Y - 8;

/**
 * The certificate as a one-page PDF (A4 landscape, Spanish, es-MX dates): the academy's name,
 * colour and logo, the learner, the course, its EC standard, the issue date, the verification code
 * and a QR code of the verification page. The same content gives the same bytes (the document's
 * dates are the certificate's own), so two requests that make it at once store the same object.
 *
 * Text uses pdfkit's standard fonts (Helvetica, WinAnsi: Spanish and Western European letters);
 * a character outside WinAnsi is printed without its accents, or as "?".
 */
export async function renderCertificatePdf(content: CertificatePdfContent): Promise<Buffer> {
  const color = /^#[0-9a-fA-F]{6}$/.test(content.academy.primaryColor ?? '') ? content.academy.primaryColor! : DEFAULT_COLOR;
  const timeZone = printTimeZone(content.timeZone);
  const date = (at: Date) => new Intl.DateTimeFormat('es-MX', { dateStyle: 'long', timeZone }).format(at);
  const academyName = printable(content.academy.name);
  const qr = await QRCode.toBuffer(content.verificationUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 });

  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    compress: true,
    info: {
      Title: printable(`Certificado: ${content.courseTitle}`),
      Author: academyName,
      Subject: printable(`${content.learnerName}, ${content.courseTitle}`),
      Keywords: content.verificationCode,
      CreationDate: content.revocation?.revokedAt ?? content.issuedAt,
    },
  });
  const done = pdfBytes(doc);

  // Frame.
  doc
    .rect(18, 18, WIDTH - 36, HEIGHT - 36)
    .lineWidth(4)
    .stroke(color);
  doc
    .rect(27, 27, WIDTH - 54, HEIGHT - 54)
    .lineWidth(0.75)
    .stroke(color);

  // Header: the logo on the left, the academy's name centred.
  const hasLogo = content.academy.logo ? drawLogo(doc, content.academy.logo) : false;
  const nameInset = hasLogo ? 170 : 0;
  doc
    .font('Helvetica-Bold')
    .fontSize(18)
    .fillColor(color)
    .text(academyName, MARGIN + nameInset, 62, { width: CONTENT_WIDTH - 2 * nameInset, align: 'center', height: 44, ellipsis: true });

  let y = 118;
  if (content.revocation) {
    y = drawRevocationNotice(doc, content.revocation.reason, date(content.revocation.revokedAt), y) + 14;
  }

  // Body: centred in the space between the header (or the revocation notice) and the footer.
  const standard = content.competencyStandard;
  const blocks: Block[] = [
    { text: 'Certificado', font: 'Helvetica-Bold', size: 42, color, after: 10 },
    { text: 'otorga a', font: 'Helvetica', size: 14, color: MUTED_COLOR, after: 6 },
    { text: printable(content.learnerName), font: 'Helvetica-Bold', size: 32, shrinkTo: 16, maxLines: 2, color: TEXT_COLOR, after: 12 },
    { text: 'por haber acreditado el curso', font: 'Helvetica', size: 14, color: MUTED_COLOR, after: 6 },
    { text: printable(content.courseTitle), font: 'Helvetica-Bold', size: 20, maxLines: 2, color: TEXT_COLOR, after: 12 },
    ...(standard
      ? [
          {
            text: printable(`Alineado al estándar de competencia ${standard.code}${standard.title ? `: ${standard.title}` : ''}`),
            font: 'Helvetica',
            size: 11,
            maxLines: 2,
            inset: 40,
            color: MUTED_COLOR,
            after: 8,
          },
        ]
      : []),
    { text: `Fecha de emisión: ${date(content.issuedAt)}`, font: 'Helvetica', size: 12, color: TEXT_COLOR, after: 0 },
  ];
  const measured = blocks.map((block) => measure(doc, block));
  const total = measured.reduce((sum, block) => sum + block.height + block.after, 0);
  y += Math.max(0, (BODY_BOTTOM - y - total) / 2);
  for (const block of measured) {
    doc
      .font(block.font)
      .fontSize(block.size)
      .fillColor(block.color)
      .text(block.text, MARGIN + block.inset, y, { width: block.width, align: 'center', height: block.height + 1, ellipsis: true });
    y += block.height + block.after;
  }

  // Footer: how to verify it, and the QR code of the same page.
  doc.image(qr, QR_X, QR_Y, { width: QR_SIZE, height: QR_SIZE });
  doc.link(QR_X, QR_Y, QR_SIZE, QR_SIZE, content.verificationUrl);
  const footerWidth = QR_X - MARGIN - 16;
  const footerY = FOOTER_TOP + 8;
  doc.font('Helvetica').fontSize(10).fillColor(MUTED_COLOR).text('Código de verificación', MARGIN, footerY, { width: footerWidth });
  doc
    .font('Helvetica-Bold')
    .fontSize(14)
    .fillColor(TEXT_COLOR)
    .text(printable(content.verificationCode), MARGIN, footerY + 13, { width: footerWidth });
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor(MUTED_COLOR)
    .text(`Verifíquelo en ${content.verificationUrl}`, MARGIN, footerY + 32, {
      width: footerWidth,
      link: content.verificationUrl,
      lineBreak: false,
      height: 12,
      ellipsis: true,
    });

  if (content.revocation) drawRevokedStamp(doc);

  doc.end();
  return done;
}

/** The logo in the header's left corner; false (and nothing drawn) when it is not a PNG or JPEG pdfkit can embed. */
function drawLogo(doc: PDFKit.PDFDocument, logo: Uint8Array): boolean {
  if (!embeddableImage(logo)) return false;
  try {
    doc.image(Buffer.from(logo), MARGIN, 46, { fit: [150, 64], valign: 'center' });
    return true;
  } catch {
    return false;
  }
}

/** A red box: REVOCADO, the date and the reason (cut with an ellipsis past four lines). Returns the y below it. */
function drawRevocationNotice(doc: PDFKit.PDFDocument, reason: string, on: string, top: number): number {
  const inner = CONTENT_WIDTH - 40;
  const heading = `REVOCADO el ${on}`;
  const why = printable(`Motivo: ${reason}`);
  doc.font('Helvetica').fontSize(10);
  const reasonHeight = Math.min(doc.heightOfString(why, { width: inner, align: 'center' }), 48);
  const height = 12 + 20 + 4 + reasonHeight + 10;
  doc.save().rect(MARGIN, top, CONTENT_WIDTH, height).fillOpacity(0.08).fill(REVOKED_COLOR).restore();
  doc.rect(MARGIN, top, CONTENT_WIDTH, height).lineWidth(1.5).stroke(REVOKED_COLOR);
  doc
    .font('Helvetica-Bold')
    .fontSize(18)
    .fillColor(REVOKED_COLOR)
    .text(heading, MARGIN + 20, top + 12, { width: inner, align: 'center' });
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(REVOKED_COLOR)
    .text(why, MARGIN + 20, top + 36, { width: inner, align: 'center', height: 48, ellipsis: true });
  return top + height;
}

/** REVOCADO across the page, over everything, translucent. */
function drawRevokedStamp(doc: PDFKit.PDFDocument): void {
  doc
    .save()
    .rotate(-24, { origin: [WIDTH / 2, HEIGHT / 2] })
    .font('Helvetica-Bold')
    .fontSize(120)
    .fillOpacity(0.16)
    .fillColor(REVOKED_COLOR)
    .text('REVOCADO', 0, HEIGHT / 2 - 60, { width: WIDTH, align: 'center', lineBreak: false })
    .restore();
}

interface Block {
  text: string;
  font: string;
  size: number;
  color: string;
  /** Space below it. */
  after: number;
  /** Lines it may take (default 1); what does not fit ends in an ellipsis. */
  maxLines?: number;
  /** The smallest size it may shrink to so as to fit on one line. */
  shrinkTo?: number;
  /** Narrower than the content by this much on each side. */
  inset?: number;
}

/** The block's final size, width and height (pdfkit's font state is left at the block's). */
function measure(doc: PDFKit.PDFDocument, block: Block): Required<Block> & { width: number; height: number } {
  const inset = block.inset ?? 0;
  const width = CONTENT_WIDTH - 2 * inset;
  let size = block.size;
  doc.font(block.font).fontSize(size);
  while (block.shrinkTo && size > block.shrinkTo && doc.widthOfString(block.text) > width) doc.fontSize(--size);
  const maxLines = block.maxLines ?? 1;
  const height = Math.min(doc.heightOfString(block.text, { width, align: 'center' }), maxLines * doc.currentLineHeight(true));
  return { ...block, size, inset, maxLines, shrinkTo: block.shrinkTo ?? size, width, height };
}

/** The characters of WinAnsiEncoding beyond Latin-1 (what pdfkit's standard fonts can print). */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

function isWinAnsi(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char);
}

/**
 * Text the standard fonts can print: whitespace runs become one space; a character outside
 * WinAnsi loses its accents (ő -> o) or becomes "?".
 */
export function printable(text: string): string {
  let out = '';
  for (const char of text.replace(/\s+/g, ' ').trim()) {
    if (isWinAnsi(char)) out += char;
    else {
      const base = [...char.normalize('NFD')].filter(isWinAnsi).join('');
      out += base.length > 0 ? base : '?';
    }
  }
  return out;
}
