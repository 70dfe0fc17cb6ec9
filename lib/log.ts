import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** The process logger: pino JSON on stdout (or the given stream, for tests). */
export function createLogger(level = 'info', stream?: DestinationStream): Logger {
  return pino({ level, base: { app: 'newsloom' }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
}
