import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Typed documents of every operation, for the apps (`graphql(...)` and `*Document`). */
export * from './generated';
export * from './generated/graphql';

/**
 * The persisted documents: `sha256:<hex of the document>` -> the document, exactly as the
 * clients' builds send them (by id). The gateway in production runs only these.
 */
export const PERSISTED_DOCUMENTS: ReadonlyMap<string, string> = new Map(
  Object.entries(JSON.parse(readFileSync(path.join(__dirname, 'generated/persisted-documents.json'), 'utf8')) as Record<string, string>),
);
