/** Where dates are printed for when a tenant names no time zone, or one Intl does not know. */
export const DEFAULT_TIME_ZONE = 'America/Mexico_City';

/** The tenant's IANA time zone when Intl knows it, else America/Mexico_City. */
export function printTimeZone(zone: string | null | undefined): string {
  if (!zone) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('es-MX', { timeZone: zone });
    return zone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

/** The whole PDF a pdfkit document writes (start listening before drawing; call `doc.end()`). */
export function pdfBytes(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
