import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '@academy/platform';
import { pinSchemaNames } from './schema-names';

/**
 * The supergraph from the composed file, reloaded when the file changes (`npm run compose`
 * while the gateway runs). A file that does not load keeps the last good supergraph.
 */
export function supergraphFromFile(file: string, logger: Logger, pollMs = 500): SupergraphSdlHook {
  return async ({ update }) => {
    let current = readFileSync(file, 'utf8');
    pinSchemaNames(current);
    const reload = () => {
      let next: string;
      try {
        next = readFileSync(file, 'utf8');
      } catch {
        return;
      }
      if (next === current) return;
      try {
        pinSchemaNames(next);
        update(next);
        current = next;
        logger.info({ file }, 'supergraph reloaded');
      } catch (error) {
        logger.error({ err: (error as Error).message, file }, 'supergraph change refused; keeping the previous one');
      }
    };
    watchFile(file, { interval: pollMs }, reload);
    return { supergraphSdl: current, cleanup: async () => unwatchFile(file, reload) };
  };
}
