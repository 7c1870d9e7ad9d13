import { deflateSync } from 'node:zlib';
import { readPdf, SAMPLE_PNG } from '@academy/testing';
import { printable, renderCertificatePdf, type CertificatePdfContent } from '../src';
import { embeddableImage } from '../src/embeddable-image';

const CONTENT: CertificatePdfContent = {
  learnerName: 'María José Hernández Núñez',
  courseTitle: 'Impartición de talleres comunitarios',
  academy: { name: 'Academia Solarpunk del Bajío', primaryColor: '#0a7d4f' },
  // 03:00 UTC on 1 December is still 30 November in Mexico City.
  issuedAt: new Date('2026-12-01T03:00:00Z'),
  competencyStandard: { code: 'EC0217.01', title: 'Impartición de cursos de formación del capital humano de manera presencial grupal' },
  verificationCode: 'A1B2C3D4E5F6',
  verificationUrl: 'https://solarpunk.academy.test/verify/A1B2C3D4E5F6',
};

/** Whitespace as one space: pdf.js breaks lines where the page does. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('the certificate PDF', () => {
  it('shows the academy, learner, course, EC standard, es-MX issue date and code, with a QR code of the verification page', async () => {
    const bytes = await renderCertificatePdf(CONTENT);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const pdf = await readPdf(bytes);
    expect(pdf.pages).toBe(1);
    const text = flat(pdf.text);
    for (const expected of [
      'Academia Solarpunk del Bajío',
      'Certificado',
      'otorga a',
      'María José Hernández Núñez',
      'Impartición de talleres comunitarios',
      'EC0217.01',
      'Fecha de emisión: 30 de noviembre de 2026',
      'A1B2C3D4E5F6',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('REVOCADO');
    expect(pdf.qrCodes).toEqual([CONTENT.verificationUrl]);
  });

  it('gives dates in the academy’s time zone', async () => {
    const text = flat((await readPdf(await renderCertificatePdf({ ...CONTENT, timeZone: 'Asia/Tokyo' }))).text);
    expect(text).toContain('Fecha de emisión: 1 de diciembre de 2026');
  });

  it('a revoked certificate says REVOCADO, when and why', async () => {
    const reason = 'Plagio en la evidencia del portafolio';
    const pdf = await readPdf(
      await renderCertificatePdf({ ...CONTENT, revocation: { revokedAt: new Date('2026-12-03T18:00:00Z'), reason } }),
    );
    const text = flat(pdf.text);
    expect(text).toContain('REVOCADO el 3 de diciembre de 2026');
    expect(text).toContain(`Motivo: ${reason}`);
    expect(text).toContain('María José Hernández Núñez');
    expect(pdf.qrCodes).toEqual([CONTENT.verificationUrl]);
  });

  it('is the same bytes for the same content (two requests making it at once store the same object)', async () => {
    expect((await renderCertificatePdf(CONTENT)).equals(await renderCertificatePdf(CONTENT))).toBe(true);
  });

  it('embeds a PNG logo; leaves out a logo that is not an image it can embed, quietly', async () => {
    const withLogo = await readPdf(await renderCertificatePdf({ ...CONTENT, academy: { ...CONTENT.academy, logo: SAMPLE_PNG } }));
    expect(flat(withLogo.text)).toContain('Academia Solarpunk del Bajío');
    expect(withLogo.qrCodes).toEqual([CONTENT.verificationUrl]);
    expect(withLogo.images).toContainEqual({ width: 1, height: 1 });
    expect(withLogo.images).toHaveLength(2);

    // A WebP, and a PNG whose compressed data is damaged (pdfkit would throw outside any caller).
    const webp = Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1');
    const damaged = Buffer.from(SAMPLE_PNG);
    damaged.fill(0x55, 41, 50);
    for (const logo of [webp, damaged]) {
      const pdf = await readPdf(await renderCertificatePdf({ ...CONTENT, academy: { ...CONTENT.academy, logo } }));
      expect(flat(pdf.text)).toContain('María José Hernández Núñez');
      // The QR code only.
      expect(pdf.images).toHaveLength(1);
    }
  });

  it('fits long text: a long name shrinks, a long reason ends in an ellipsis, and it stays one page', async () => {
    const pdf = await readPdf(
      await renderCertificatePdf({
        ...CONTENT,
        learnerName: 'María de los Ángeles Guadalupe Fernández de Córdoba y Villaseñor de la Garza',
        courseTitle: 'Curso '.repeat(60),
        revocation: { revokedAt: new Date('2026-12-03T18:00:00Z'), reason: 'Motivo largo. '.repeat(40) },
      }),
    );
    expect(pdf.pages).toBe(1);
    expect(flat(pdf.text)).toContain('María de los Ángeles Guadalupe Fernández de Córdoba y Villaseñor de la Garza');
    expect(pdf.qrCodes).toEqual([CONTENT.verificationUrl]);
  });

  it('prints what the standard fonts cannot as the letter without its accents, or "?"', () => {
    expect(printable('Zoë  Dvořák\nŐrs 李')).toBe('Zoë Dvorák Ors ?');
    expect(printable('“Señor” — 10 €')).toBe('“Señor” — 10 €');
  });
});

describe('images the PDF may embed', () => {
  const chunk = (type: string, body: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    return Buffer.concat([length, Buffer.from(type, 'latin1'), body, Buffer.alloc(4)]);
  };
  const png = (width: number, height: number, rows: Buffer) => {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header[8] = 8; // bit depth
    header[9] = 6; // RGBA
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(rows)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  };

  it('takes PNG and JPEG; refuses anything else, damaged data, bad filters and huge images', () => {
    expect(embeddableImage(SAMPLE_PNG)).toBe('png');
    expect(embeddableImage(png(2, 1, Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8])))).toBe('png');
    expect(embeddableImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(embeddableImage(Buffer.from('GIF89a'))).toBeNull();
    expect(embeddableImage(png(2, 1, Buffer.from([9, 1, 2, 3, 4, 5, 6, 7, 8])))).toBeNull();
    expect(embeddableImage(png(2, 2, Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8])))).toBeNull();
    expect(embeddableImage(png(5000, 5000, Buffer.alloc(0)))).toBeNull();
    expect(embeddableImage(SAMPLE_PNG.subarray(0, 40))).toBeNull();
  });
});
