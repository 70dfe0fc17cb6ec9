import { pino, type DestinationStream, type Logger } from 'pino';
import { build as prettyStream } from 'pino-pretty';

export type { Logger };

export type LogFormat = 'auto' | 'json' | 'pretty';

/** The process logger: pino JSON on stdout (or the given stream, for tests). */
export function createLogger(level = 'info', stream?: DestinationStream): Logger {
  return pino({ level, base: { app: 'newsloom' }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
}

/**
 * Where a command's log lines go: stderr (stdout carries only a command's output), as JSON, or
 * through pino-pretty (in this thread, synchronously, so nothing is lost at exit) when `format`
 * is pretty, or auto and stderr is a terminal.
 */
export function logDestination(format: LogFormat, isTTY = process.stderr.isTTY === true): DestinationStream {
  if (format === 'pretty' || (format === 'auto' && isTTY)) {
    return prettyStream({ destination: 2, sync: true, colorize: isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,app' });
  }
  return pino.destination({ fd: 2, sync: true });
}
