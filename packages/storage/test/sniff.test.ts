import { isExecutableType, sniffContentType } from '../src';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'latin1')] : part)));

/** A whole 1x1 PNG, as image editors write it. */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('sniffContentType', () => {
  it.each([
    ['a PNG', PNG_1X1, 'image/png'],
    ['a JPEG (JFIF)', bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF'), 'image/jpeg'],
    ['a JPEG (Exif)', bytes([0xff, 0xd8, 0xff, 0xe1], 'Exif'), 'image/jpeg'],
    ['a WebP', bytes('RIFF', [0x24, 0x00, 0x00, 0x00], 'WEBPVP8 '), 'image/webp'],
    ['a PDF', bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'), 'application/pdf'],
    ['an MP4 (isom)', bytes([0x00, 0x00, 0x00, 0x20], 'ftypisom', [0, 0, 2, 0], 'isomiso2avc1mp41'), 'video/mp4'],
    ['an MP4 (mp42)', bytes([0x00, 0x00, 0x00, 0x18], 'ftypmp42', [0, 0, 0, 0], 'mp42isom'), 'video/mp4'],
    ['a HEIC photo (an ftyp box, not video)', bytes([0x00, 0x00, 0x00, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic'), 'image/heic'],
    ['a QuickTime movie', bytes([0x00, 0x00, 0x00, 0x14], 'ftypqt  ', [0, 0, 2, 0], 'qt  '), 'video/quicktime'],
    ['a Windows executable', bytes('MZ', [0x90, 0x00, 0x03, 0x00]), 'application/x-msdownload'],
    ['an ELF executable', bytes([0x7f], 'ELF', [0x02, 0x01, 0x01, 0x00]), 'application/x-elf'],
    ['a 64-bit Mach-O executable', bytes([0xcf, 0xfa, 0xed, 0xfe, 0x07, 0x00, 0x00, 0x01]), 'application/x-mach-binary'],
    ['a 32-bit big-endian Mach-O', bytes([0xfe, 0xed, 0xfa, 0xce, 0x00]), 'application/x-mach-binary'],
    ['a universal Mach-O', bytes([0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x02]), 'application/x-mach-binary'],
  ])('recognises %s', (_what, input, expected) => {
    expect(sniffContentType(input)).toBe(expected);
  });

  it.each([
    ['nothing', bytes()],
    ['plain text', bytes('Hola, esto es un informe.\n')],
    ['an SVG (text that claims to be an image)', bytes('<svg xmlns="http://www.w3.org/2000/svg"></svg>')],
    ['a WAV (RIFF, but not WebP)', bytes('RIFF', [0x24, 0x00, 0x00, 0x00], 'WAVEfmt ')],
    ['a GIF', bytes('GIF89a', [0x01, 0x00, 0x01, 0x00])],
    ['a truncated PNG signature', PNG_1X1.subarray(0, 7)],
    ['"ftyp" without a brand', bytes([0x00, 0x00, 0x00, 0x08], 'ftyp')],
    ['a PDF signature not at the start', bytes(' %PDF-1.7')],
  ])('does not recognise %s', (_what, input) => {
    expect(sniffContentType(input)).toBeNull();
  });

  it('reads only what it needs: a signature at the start of a longer buffer, or of a view into one', () => {
    const long = new Uint8Array(10_000);
    long.set(bytes('%PDF-1.4'), 0);
    expect(sniffContentType(long)).toBe('application/pdf');
    const container = bytes('junk', [0x7f], 'ELF', [0x02]);
    expect(sniffContentType(container.subarray(4))).toBe('application/x-elf');
  });
});

describe('isExecutableType', () => {
  it('is true for the executables sniffContentType names and nothing else', () => {
    expect(['application/x-msdownload', 'application/x-elf', 'application/x-mach-binary'].map(isExecutableType)).toEqual([
      true,
      true,
      true,
    ]);
    expect(['application/pdf', 'image/png', null].map(isExecutableType)).toEqual([false, false, false]);
  });
});
