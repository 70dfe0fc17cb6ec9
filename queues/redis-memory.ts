import type { Redis } from 'ioredis';
import { describeError } from '../lib/errors.js';
import type { Logger } from '../lib/log.js';

/**
 * True for a write Redis refused because it is full under `noeviction` ("OOM command not allowed
 * when used memory > 'maxmemory'"), also when BullMQ wraps it ("Failed to add repeatable job …: OOM …").
 */
export function isRedisFull(err: unknown): boolean {
  return /\bOOM command not allowed\b/.test(describeError(err));
}

/** A MULTI whose queued command was refused: while Redis is full, that refusal was the OOM. */
function isAbortedTransaction(err: unknown): boolean {
  return /^EXECABORT\b/.test(describeError(err));
}

export interface RedisMemoryWatch {
  /** Whether `err` means Redis is full; if so, opens an episode (logged once) until it has room. */
  refused(err: unknown): boolean;
  /** Resolves true once Redis has room, false after `maxMs` (or at close) if it is still full. */
  waitForRoom(maxMs: number): Promise<boolean>;
  isFull(): boolean;
  close(): void;
}

export interface RedisMemoryWatchOptions {
  /** How often INFO memory is read during an episode. */
  pollMs?: number;
  /** Readings in a row with room before the episode ends. */
  roomReadings?: number;
}

// Room means used_memory at least this far under maxmemory: with less, the writes that draining
// frees room for fill it again at once, and each refusal would reopen an episode (11 episodes per
// process in 15 s in the chaos case redis-full without it).
const ROOM_MIN_BYTES = 1_048_576;
const ROOM_FRACTION = 0.02;

/** Whether Redis has room again: no limit, or used_memory a margin under it. */
export function hasRoom(used: number, max: number): boolean {
  return max === 0 || used <= max - Math.max(ROOM_MIN_BYTES, max * ROOM_FRACTION);
}

interface MemoryInfo {
  used: number;
  max: number;
  policy: string;
}

async function readMemory(redis: Redis): Promise<MemoryInfo | null> {
  try {
    const info = await redis.info('memory');
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? '';
    return { used: Number(field('used_memory')), max: Number(field('maxmemory')), policy: field('maxmemory_policy') };
  } catch {
    return null;
  }
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

/**
 * One per process: Redis full under `noeviction` is an episode, not a stream of errors. The first
 * refused write logs one line with used_memory and maxmemory ("producers wait"); INFO memory (which
 * Redis answers while full) is then read every `pollMs` until there is room (hasRoom), which logs
 * one more line and wakes every waiter. Producers wait (their jobs are parked without spending a try) while
 * workers finishing jobs keep draining, which is what frees memory (bullmq#3834).
 */
export function redisMemoryWatch(redis: Redis, log: Logger, { pollMs = 500, roomReadings = 2 }: RedisMemoryWatchOptions = {}): RedisMemoryWatch {
  let episode: { startedMs: number; refused: number } | null = null;
  let waiters: Array<(room: boolean) => void> = [];
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const end = (info: MemoryInfo | null) => {
    if (episode === null) return;
    log.info({ durationMs: Date.now() - episode.startedMs, refused: episode.refused, usedMemory: info?.used, maxmemory: info?.max }, 'Redis has room again: producers resume');
    episode = null;
    for (const wake of waiters.splice(0)) wake(true);
  };

  const poll = async (roomSoFar: number) => {
    if (closed || episode === null) return;
    const info = await readMemory(redis);
    const room = info !== null && hasRoom(info.used, info.max);
    const readings = room ? roomSoFar + 1 : 0;
    if (readings >= roomReadings) return end(info);
    timer = setTimeout(() => void poll(readings), pollMs);
    timer.unref();
  };

  const open = async () => {
    const info = await readMemory(redis);
    const used = info ? mb(info.used) : 'unknown';
    const max = info ? (info.max === 0 ? 'none' : mb(info.max)) : 'unknown';
    log.warn({ usedMemory: info?.used, maxmemory: info?.max, policy: info?.policy }, `Redis is full (used_memory ${used} of maxmemory ${max}, policy ${info?.policy || 'unknown'}): producers wait`);
    timer = setTimeout(() => void poll(0), pollMs);
    timer.unref();
  };

  return {
    refused(err) {
      if (!isRedisFull(err) && !(episode !== null && isAbortedTransaction(err))) return false;
      if (episode === null && !closed) {
        episode = { startedMs: Date.now(), refused: 0 };
        void open();
      }
      if (episode) episode.refused++;
      return true;
    },
    waitForRoom(maxMs) {
      if (episode === null) return Promise.resolve(true);
      if (closed) return Promise.resolve(false);
      return new Promise((resolve) => {
        const wake = (room: boolean) => {
          clearTimeout(late);
          resolve(room);
        };
        const late = setTimeout(() => {
          waiters = waiters.filter((w) => w !== wake);
          resolve(episode === null);
        }, maxMs);
        waiters.push(wake);
      });
    },
    isFull: () => episode !== null,
    close() {
      closed = true;
      clearTimeout(timer);
      for (const wake of waiters.splice(0)) wake(false);
    },
  };
}
