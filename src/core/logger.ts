import pino, { type DestinationStream } from 'pino';

/**
 * Structured JSON logs. Request lines carry ids, names, timings and codes
 * only — never variables, headers or bodies — and the redaction below is a
 * second line of defence for anything that slips into an error object.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'variables',
  '*.variables',
  'jwt',
  'config.jwt',
];

export function createLogger(level: string, destination?: DestinationStream) {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type Logger = ReturnType<typeof createLogger>;
