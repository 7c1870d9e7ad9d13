import jsQR from 'jsqr';

/** What a test can read of a PDF: its pages, its text (a line per text line pdf.js finds), its images and the QR codes in them. */
export interface ReadPdf {
  pages: number;
  text: string;
  qrCodes: string[];
  /** Each image the pages paint (once per image), by its size in pixels. */
  images: { width: number; height: number }[];
}

type PdfJs = typeof import('pdfjs-dist');
type PdfPage = Awaited<ReturnType<Awaited<ReturnType<PdfJs['getDocument']>['promise']>['getPage']>>;

/** An image as pdf.js decodes it (ImageKind: 1 grayscale 1 bit per pixel, 2 RGB, 3 RGBA). */
interface DecodedImage {
  width: number;
  height: number;
  kind: 1 | 2 | 3;
  data: Uint8Array | Uint8ClampedArray;
}

let loaded: PdfJs | undefined;

/**
 * pdf.js 3's legacy (Node) build. On load it tries to polyfill DOMMatrix and Path2D from the
 * optional native `canvas` package, which is not built here, and says so on the console; reading
 * text and images needs neither, so that one announcement is dropped (nothing else is).
 */
function pdfjs(): PdfJs {
  if (loaded) return loaded;
  const log = console.log;
  console.log = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('Warning: Cannot polyfill')) return;
    log(...args);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('pdfjs-dist/legacy/build/pdf.js') as PdfJs;
  } finally {
    console.log = log;
  }
  return loaded;
}

/**
 * Reads a PDF the way a viewer would: pdf.js parses it (a malformed file rejects), its text comes
 * from getTextContent, and every image the pages paint is decoded and given to jsQR.
 */
export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  const lib = pdfjs();
  const document = await lib.getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given.
    data: new Uint8Array(bytes),
    verbosity: lib.VerbosityLevel.ERRORS,
    // Font programs are never compiled to functions (CVE-2024-4367 was that path).
    isEvalSupported: false,
    isOffscreenCanvasSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
  }).promise;
  try {
    const lines: string[] = [];
    const images: DecodedImage[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      lines.push(await pageText(page));
      images.push(...(await pageImages(lib, page)));
      page.cleanup();
    }
    return {
      pages: document.numPages,
      text: lines.join('\n'),
      qrCodes: images.flatMap((image) => jsQR(rgba(image), image.width, image.height)?.data ?? []),
      images: images.map(({ width, height }) => ({ width, height })),
    };
  } finally {
    await document.destroy();
  }
}

async function pageText(page: PdfPage): Promise<string> {
  const content = await page.getTextContent();
  let text = '';
  for (const item of content.items) {
    if (!('str' in item)) continue;
    text += item.str + (item.hasEOL ? '\n' : '');
  }
  return text;
}

async function pageImages(lib: PdfJs, page: PdfPage): Promise<DecodedImage[]> {
  const operators = await page.getOperatorList();
  const images: DecodedImage[] = [];
  const seen = new Set<string>();
  for (const [index, fn] of operators.fnArray.entries()) {
    const args = operators.argsArray[index] as unknown[];
    let image: DecodedImage | null = null;
    if (fn === lib.OPS.paintImageXObject) {
      const name = args[0] as string;
      if (seen.has(name)) continue;
      seen.add(name);
      image = await objectOf(page, name);
    } else if (fn === lib.OPS.paintInlineImageXObject) {
      image = args[0] as DecodedImage;
    }
    if (image) images.push(image);
  }
  return images;
}

/** A page's image by name (images used on several pages are in the document's common objects). */
function objectOf(page: PdfPage, name: string): Promise<DecodedImage | null> {
  const store = (name.startsWith('g_') ? page.commonObjs : page.objs) as unknown as {
    get(name: string, callback: (value: unknown) => void): void;
  };
  return new Promise((resolve) => store.get(name, (value) => resolve(isDecodedImage(value) ? value : null)));
}

function isDecodedImage(value: unknown): value is DecodedImage {
  const image = value as Partial<DecodedImage> | null;
  return Boolean(image && typeof image.width === 'number' && typeof image.height === 'number' && image.data && image.kind);
}

function rgba(image: DecodedImage): Uint8ClampedArray {
  const { width, height, kind, data } = image;
  const out = new Uint8ClampedArray(width * height * 4);
  if (kind === 3) {
    out.set(data.subarray(0, out.length));
    return out;
  }
  for (let pixel = 0; pixel < width * height; pixel++) {
    const at = pixel * 4;
    if (kind === 2) {
      out[at] = data[pixel * 3]!;
      out[at + 1] = data[pixel * 3 + 1]!;
      out[at + 2] = data[pixel * 3 + 2]!;
    } else {
      // One bit per pixel, rows padded to whole bytes; a set bit is white.
      const x = pixel % width;
      const y = Math.floor(pixel / width);
      const byte = data[y * Math.ceil(width / 8) + (x >> 3)]!;
      out[at] = out[at + 1] = out[at + 2] = byte & (0x80 >> (x & 7)) ? 255 : 0;
    }
    out[at + 3] = 255;
  }
  return out;
}
