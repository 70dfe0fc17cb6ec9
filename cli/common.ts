import { parseArgs, type ParseArgsConfig } from 'node:util';
import { existsSync } from 'node:fs';
import { configPathFrom, loadConfig, parseConfig, type LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { parseDuration } from '../config/duration.js';
import { NewsloomError } from '../lib/errors.js';
import { createLogger, logDestination, type LogFormat, type Logger } from '../lib/log.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses a command's flags (every command takes --config FILE); unknown flags are a readable error. */
export function parseCommand<O extends Options>(argv: string[], options: O, command: string) {
  try {
    return parseArgs({ args: argv, options: { ...options, config: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new NewsloomError(`${command}: ${(err as Error).message}`, 'NL_USAGE', false);
  }
}

export function loadCliConfig(configFlag: unknown): LoadedConfig {
  return loadConfig(configPathFrom(typeof configFlag === 'string' ? configFlag : undefined));
}

/** For commands that need no config file (extract, parse-feed): the file when there is one, defaults otherwise. */
export function optionalCliConfig(configFlag: unknown): Readonly<Config> {
  const path = configPathFrom(typeof configFlag === 'string' ? configFlag : undefined);
  if (typeof configFlag !== 'string' && !existsSync(path)) return parseConfig({}, '(defaults)');
  return loadCliConfig(configFlag).config;
}

/** Logs go to stderr, so stdout carries only a command's output (JSON, summaries); pretty on a terminal (log.format). */
export function cliLogger(level: string, format: LogFormat = 'auto'): Logger {
  return createLogger(level, logDestination(format));
}

/**
 * Resolves on the first SIGINT or SIGTERM. From then on a second one exits the process at once
 * with 130 (SIGINT) or 143 (SIGTERM), the shell's codes for death by that signal: an operator
 * who asks twice does not want to wait for the grace period, and the status says it was cut short.
 */
export function untilSignal(log?: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals) => {
      process.off('SIGINT', first).off('SIGTERM', first);
      const again = (second: NodeJS.Signals) => {
        log?.warn({ signal: second }, 'second signal: exiting now');
        process.exit(second === 'SIGINT' ? 130 : 143);
      };
      process.on('SIGINT', again).on('SIGTERM', again);
      resolve(signal);
    };
    process.on('SIGINT', first).on('SIGTERM', first);
  });
}

/** `--since`: an ISO date or date-time, or a duration back from now ("2d", "12h"), as an ISO instant. */
export function parseSince(value: string, command: string, now = Date.now()): string {
  const ms = parseDuration(value);
  if (ms !== null && !/^\d{4}-/.test(value)) return new Date(now - ms).toISOString();
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new NewsloomError(`${command} --since: expected an ISO date like 2026-11-01 or a duration like "2d", got ${JSON.stringify(value)}`, 'NL_USAGE', false);
  return new Date(at).toISOString();
}
