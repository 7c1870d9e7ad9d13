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

export function createLogger(options: { service: string; level?: string; pretty?: boolean; destination?: pino.DestinationStream }): Logger {
  const settings = {
    name: options.service,
    level: options.level ?? 'info',
    base: { service: options.service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
