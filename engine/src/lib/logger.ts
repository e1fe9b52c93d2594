import pino from 'pino';

export type Logger = pino.Logger;

/** JSON lines on stdout. Secrets and PII never reach the log: these paths are redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'pms-engine' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['*.authorization', '*.cookie', '*.password', '*.pan', '*.apiKey', '*.key', '*.token', '*.secret', 'headers.authorization', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
}
