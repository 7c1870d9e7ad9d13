import { parse, visit } from 'graphql';

/** The names of every supergraph this process loaded, as it first read them (see `pinSchemaNames`). */
const pinned: Record<string, true> = Object.create(null);

/**
 * Makes every name of a supergraph (types, fields, arguments, enum values) a one-byte string in
 * V8's table of property names before Apollo Gateway builds its schemas from it, and keeps them
 * there for the life of the process.
 *
 * Why: V8 (Node 20) keeps a string in one byte per character when it can, else in two (UTF-16).
 * Apollo federation prints the supergraph and parses it back to build the API schema; in that
 * print, names V8 had already made property names ("thin" strings) are joined, and such a join
 * comes out two-byte although it is all ASCII, and so does every name parsed back from it. The
 * first copy of a name that becomes a property name decides how V8 keeps it for the whole
 * process: with Apollo's, the keys of every subgraph answer JSON.parse reads, and so of every
 * answer the gateway builds, are two-byte, and JSON.stringify writes each answer and each entity
 * request to a subgraph as a two-byte string, twice the size, to flatten and convert again to
 * send. On the field benchmark's TestQuery (an 87 KB answer) that was about a quarter of the
 * gateway's CPU per request. Made property names here first, from our own (one-byte) copy of the
 * text, the names stay one-byte: V8 gives Apollo's copies the strings it already holds.
 */
export function pinSchemaNames(sdl: string): void {
  let document;
  try {
    document = parse(sdl, { noLocation: true });
  } catch {
    return; // Apollo Gateway refuses it, with its own error
  }
  visit(document, {
    Name(node) {
      pinned[node.value] = true;
    },
  });
}
