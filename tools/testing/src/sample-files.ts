/** Files as clients upload them, told apart by their first bytes: a 1x1 PNG, a small PDF, and executables of the PDF's length. */
export const SAMPLE_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
export const SAMPLE_PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const executable = (magic: number[]) => Buffer.concat([Buffer.from(magic), Buffer.alloc(SAMPLE_PDF.length - magic.length)]);
/** A Linux (ELF) and a Windows (PE, "MZ") executable: what a renamed report.pdf may really be. */
export const SAMPLE_ELF = executable([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]);
export const SAMPLE_WINDOWS_EXE = executable([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]);

/** createUpload's arguments. */
export interface UploadRequest {
  purpose: string;
  fileName: string;
  contentType: string;
  byteSize: number;
}

/** What createUpload answers (the parts a client uses to PUT). */
export interface UploadTicketResponse {
  file: { id: string };
  uploadUrl: string;
  headers: Record<string, string>;
  expiresAt: string;
}

/** The PUT a client makes with a ticket. */
export const putUpload = (ticket: UploadTicketResponse, bytes: Uint8Array) =>
  fetch(ticket.uploadUrl, { method: 'PUT', headers: ticket.headers, body: bytes });
