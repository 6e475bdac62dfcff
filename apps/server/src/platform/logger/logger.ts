import { pino, type Logger } from 'pino';

/** Paths whose values never reach the logs. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.secret',
  '*.token',
  '*.tokenHash',
  '*.passwordHash',
  '*.csrfToken',
  // Mail bodies carry single-use links.
  'mail.text',
  'mail.html',
  '*.mail.text',
  '*.mail.html',
  'password',
  'secret',
  'token',
];

/** Create the process logger: JSON lines on stdout with secrets redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: { service: 'steward' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
