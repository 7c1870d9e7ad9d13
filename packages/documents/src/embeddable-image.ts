import { inflateSync } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Channels per colour type, and the bit depths each allows (PNG specification, IHDR). */
const PNG_COLOR_TYPES: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};
/** Adam7's passes: first column, first row, column step, row step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** More pixels than any logo needs; pdfkit decodes a PNG with transparency whole, in memory. */
const MAX_PIXELS = 4096 * 4096;

/**
 * 'png' or 'jpeg' when pdfkit can embed these bytes, null otherwise. pdfkit decodes a PNG with
 * transparency (or interlaced) in a zlib callback, where a corrupt image throws out of reach of any
 * caller; so a PNG is decoded here first, synchronously: its header, its compressed data and the
 * filter byte of every scanline. A JPEG is passed through (pdfkit reads its header synchronously).
 */
export function embeddableImage(bytes: Uint8Array): 'png' | 'jpeg' | null {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return isDecodablePng(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) ? 'png' : null;
}

function isDecodablePng(png: Buffer): boolean {
  if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) return false;
  let header: { width: number; height: number; depth: number; colorType: number; interlaced: boolean } | null = null;
  let hasPalette = false;
  const data: Buffer[] = [];
  for (let at = 8; ;) {
    if (at + 12 > png.length) return false;
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (body.length !== length || at + 12 + length > png.length) return false;
    if (type === 'IHDR') {
      if (length !== 13) return false;
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        depth: body[8]!,
        colorType: body[9]!,
        interlaced: body[12] === 1,
      };
      if (body[10] !== 0 || body[11] !== 0 || body[12]! > 1) return false;
    } else if (!header) return false;
    else if (type === 'PLTE') hasPalette = true;
    else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!header || data.length === 0) return false;
  const color = PNG_COLOR_TYPES[header.colorType];
  if (!color || !color.depths.includes(header.depth) || (header.colorType === 3 && !hasPalette)) return false;
  if (header.width === 0 || header.height === 0 || header.width * header.height > MAX_PIXELS) return false;

  const bitsPerPixel = color.channels * header.depth;
  const passes = (header.interlaced ? ADAM7 : [[0, 0, 1, 1] as const]).map(([x0, y0, dx, dy]) => ({
    columns: Math.ceil((header.width - x0) / dx),
    rows: Math.ceil((header.height - y0) / dy),
  }));
  const expected = passes.reduce(
    (sum, pass) => sum + (pass.columns > 0 ? pass.rows * (1 + Math.ceil((pass.columns * bitsPerPixel) / 8)) : 0),
    0,
  );
  let pixels: Buffer;
  try {
    pixels = inflateSync(Buffer.concat(data), { maxOutputLength: expected + 1024 });
  } catch {
    return false;
  }
  let at = 0;
  for (const pass of passes) {
    if (pass.columns <= 0) continue;
    const rowBytes = Math.ceil((pass.columns * bitsPerPixel) / 8);
    for (let row = 0; row < pass.rows; row++) {
      if (at >= pixels.length || pixels[at]! > 4) return false;
      at += 1 + rowBytes;
    }
  }
  return at <= pixels.length;
}
