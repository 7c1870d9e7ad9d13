/**
 * What a file is, from its first bytes (magic numbers), whatever its name or declared type says:
 * the types uploads may have, and executables, so a refusal can say what the file really is.
 * Five signatures do not need the `file-type` package (ESM-only, with an ESM dependency chain).
 */

/** Types sniffContentType gives executables (Windows PE, ELF, Mach-O). */
export const EXECUTABLE_TYPES: readonly string[] = ['application/x-msdownload', 'application/x-elf', 'application/x-mach-binary'];

/** Enough of a file's start for every signature here (what `file-type` reads too). */
export const SNIFF_BYTES = 4100;

/** ISO base media brands that are not MP4 video (HEIF/AVIF images, QuickTime, audio). */
const NOT_MP4_BRANDS: Record<string, string> = {
  heic: 'image/heic',
  heix: 'image/heic',
  mif1: 'image/heif',
  msf1: 'image/heif',
  avif: 'image/avif',
  'qt  ': 'video/quicktime',
  'M4A ': 'audio/mp4',
  'M4B ': 'audio/mp4',
};

/** The content type the bytes are, or null when none of the known signatures matches. */
export function sniffContentType(bytes: Uint8Array): string | null {
  const startsWith = (signature: readonly number[], offset = 0) =>
    bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);
  const ascii = (text: string, offset = 0) =>
    startsWith(
      [...text].map((char) => char.charCodeAt(0)),
      offset,
    );

  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (ascii('RIFF') && ascii('WEBP', 8)) return 'image/webp';
  if (ascii('%PDF-')) return 'application/pdf';
  if (ascii('ftyp', 4) && bytes.length >= 12) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    return NOT_MP4_BRANDS[brand] ?? 'video/mp4';
  }
  if (ascii('MZ')) return 'application/x-msdownload';
  if (startsWith([0x7f, 0x45, 0x4c, 0x46])) return 'application/x-elf';
  // Mach-O 32/64-bit in either byte order, and universal ("fat") binaries.
  for (const magic of [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xcf, 0xfa, 0xed, 0xfe],
    [0xca, 0xfe, 0xba, 0xbe],
  ]) {
    if (startsWith(magic)) return 'application/x-mach-binary';
  }
  return null;
}

export function isExecutableType(contentType: string | null): boolean {
  return contentType !== null && EXECUTABLE_TYPES.includes(contentType);
}
