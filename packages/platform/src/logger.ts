import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths whose values never reach a log line: credentials, tokens and personal data. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'email',
  '*.email',
  'curp',
  '*.curp',
  'passwordHash',
  '*.passwordHash',
];

/**
 * What is masked in every log line, wherever it appears (a message, an error from a library,
 * a value nobody thought of): emails, JWTs and bearer credentials, CURPs.
 */
const MASKS: [RegExp, string][] = [
  [/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]'],
  [/(Bearer|Basic)\s+[^\s"\\]+/gi, '$1 [token]'],
  [/[\w.%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
  [/\b[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[0-9A-Z]\d\b/g, '[curp]'],
];

export function maskSecrets(text: string): string {
  return MASKS.reduce((masked, [pattern, replacement]) => masked.replace(pattern, replacement), text);
}

/** A destination that masks each serialized line before writing it. */
function masking(destination: pino.DestinationStream): pino.DestinationStream {
  return { write: (line: string) => destination.write(maskSecrets(line)) };
}

export function createLogger(options: { service: string; level?: string; pretty?: boolean; destination?: pino.DestinationStream }): Logger {
  const settings = {
    name: options.service,
    level: options.level ?? 'info',
    base: { service: options.service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return pino(settings, masking(options.destination ?? pino.destination({ dest: 1, sync: true })));
}
