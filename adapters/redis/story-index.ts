import type { Redis } from 'ioredis';
import { NewsloomError } from '../../lib/errors.js';
import { key } from '../../queues/connection.js';
import type { StoryCandidate, StoryDecision } from '../../stages/dedupe/decide-story.js';

/** What the index needs of one article: its id, exact-text hash and near-duplicate signature. */
export interface StoryEntry {
  articleId: string;
  contentHash: string;
  minhash: Uint32Array;
  bands: readonly string[];
}

export interface StoryClaim extends StoryDecision {
  /** The article was already filed (a retried job, a refetch): the decision stored then. */
  replayed: boolean;
}

/** Near-duplicate index shared by every worker: LSH band buckets, signatures, exact hashes, in Redis. */
export interface StoryIndex {
  /**
   * Files an article once: reads the articles sharing its content hash or a band key, asks
   * `decide` (the pure stage) for a story, and commits the decision only if no other article
   * claimed one of those buckets in between; otherwise reads again and decides again.
   */
  claim(entry: StoryEntry, decide: (candidates: StoryCandidate[]) => StoryDecision): Promise<StoryClaim>;
}

export interface StoryIndexOptions {
  /** Signatures, buckets and hashes expire this long after the article that wrote them. */
  windowMs: number;
  /** Reads-and-decides before giving up under contention (a retryable NL_STORY_CONTENDED). */
  maxAttempts?: number;
}

// KEYS: own record, content-hash key, band keys. ARGV: record-key prefix.
// Returns {1, ownRecord} when the article is already filed, else {0, holders, ids, records}:
// holders[i] is the article id in KEYS[i + 1] or '' if empty; records[j] is ids[j]'s record or ''.
// Records are read by key built here (not declared in KEYS): they share the {prefix} hash tag,
// so the script stays on one Cluster slot, as BullMQ's own scripts do.
const LOOKUP = `
local own = redis.call('GET', KEYS[1])
if own then return {1, own} end
local holders, ids, seen = {}, {}, {}
for i = 2, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if v then
    holders[i - 1] = v
    if not seen[v] then seen[v] = true; ids[#ids + 1] = v end
  else
    holders[i - 1] = ''
  end
end
local records = {}
for j, id in ipairs(ids) do records[j] = redis.call('GET', ARGV[1] .. id) or '' end
return {0, holders, ids, records}
`;

// KEYS: own record, sequence, then every hash/band key the lookup found empty.
// ARGV: windowMs, article id, decision header, signature bytes.
// {1, ownRecord}: already filed. {2}: another article took one of our empty keys since the
// lookup, so the decision may be stale: read again. {0, record}: filed.
const COMMIT = `
local own = redis.call('GET', KEYS[1])
if own then return {1, own} end
if #KEYS > 2 and redis.call('EXISTS', unpack(KEYS, 3)) > 0 then return {2} end
local seq = redis.call('INCR', KEYS[2])
local record = seq .. '\\t' .. ARGV[3] .. '\\n' .. ARGV[4]
redis.call('SET', KEYS[1], record, 'PX', ARGV[1])
for i = 3, #KEYS do redis.call('SET', KEYS[i], ARGV[2], 'PX', ARGV[1]) end
return {0, record}
`;

type LookupReply = [1, Buffer] | [0, Buffer[], Buffer[], Buffer[]];
type CommitReply = [1, Buffer] | [2] | [0, Buffer];
type Scripted = Redis & {
  newsloomStoryLookupBuffer(numKeys: number, ...args: (string | Buffer)[]): Promise<LookupReply>;
  newsloomStoryCommitBuffer(numKeys: number, ...args: (string | Buffer | number)[]): Promise<CommitReply>;
};

const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * The story index in Redis under the deployment's `{prefix}` hash tag:
 *   story:art:<articleId>   "<seq>\t<storyId>\t<duplicateOf>\t<kind>\t<similarity>\n" + signature (uint32 LE)
 *   story:hash:<sha256>     id of the first article with that exact text
 *   story:band:<band>-<hex> id of the first article with that LSH band value
 *   story:seq               filing order ("first seen")
 * Every key but story:seq expires `windowMs` after it was written, so the index holds one window.
 */
export function redisStoryIndex(redis: Redis, prefix: string, opts: StoryIndexOptions): StoryIndex {
  const r = redis as Scripted;
  if (typeof r.newsloomStoryLookupBuffer !== 'function') {
    redis.defineCommand('newsloomStoryLookup', { lua: LOOKUP });
    redis.defineCommand('newsloomStoryCommit', { lua: COMMIT });
  }
  const recordPrefix = `${key(prefix, 'story', 'art')}:`;
  const seqKey = key(prefix, 'story', 'seq');
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const windowMs = String(Math.max(1, Math.round(opts.windowMs)));
  return {
    async claim(entry, decide) {
      const own = recordPrefix + entry.articleId;
      const keys = [key(prefix, 'story', 'hash', entry.contentHash), ...entry.bands.map((b) => key(prefix, 'story', 'band', b))];
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const found = await r.newsloomStoryLookupBuffer(1 + keys.length, own, ...keys, recordPrefix);
        if (found[0] === 1) return { ...readRecord(found[1]).decision, replayed: true };
        const [, holders, ids, records] = found;
        const sameText = holders[0]?.toString() ?? '';
        const candidates: StoryCandidate[] = [];
        ids.forEach((id, j) => {
          const rec = records[j];
          if (rec === undefined || rec.length === 0) return; // expired between bucket and record
          const { seq, decision, minhash } = readRecord(rec);
          const articleId = id.toString();
          candidates.push({ articleId, storyId: decision.storyId, seq, minhash, sameText: articleId === sameText });
        });
        const decision = decide(candidates);
        const empty = keys.filter((_, i) => (holders[i]?.length ?? 0) === 0);
        const done = await r.newsloomStoryCommitBuffer(
          2 + empty.length, own, seqKey, ...empty, windowMs, entry.articleId, header(decision), signatureBytes(entry.minhash),
        );
        if (done[0] === 1) return { ...readRecord(done[1]).decision, replayed: true };
        if (done[0] === 0) return { ...decision, replayed: false };
      }
      throw new NewsloomError(
        `file article ${entry.articleId} in the story index: ${maxAttempts} attempts lost the race to other workers`,
        'NL_STORY_CONTENDED', true,
      );
    },
  };
}

function header(d: StoryDecision): string {
  return [d.storyId, d.duplicateOf ?? '', d.kind, d.similarity ?? ''].join('\t');
}

function signatureBytes(minhash: Uint32Array): Buffer {
  const buf = Buffer.alloc(minhash.length * 4);
  for (let i = 0; i < minhash.length; i++) buf.writeUInt32LE(minhash[i]!, i * 4);
  return buf;
}

function readRecord(rec: Buffer): { seq: number; decision: StoryDecision; minhash: Uint32Array } {
  const nl = rec.indexOf(0x0a);
  const [seq = '0', storyId = '', duplicateOf = '', kind = 'new', similarity = ''] = rec.subarray(0, nl).toString().split('\t');
  const bytes = rec.subarray(nl + 1);
  const minhash = new Uint32Array(bytes.length >>> 2);
  for (let i = 0; i < minhash.length; i++) minhash[i] = bytes.readUInt32LE(i * 4);
  return {
    seq: Number(seq),
    decision: {
      storyId,
      duplicateOf: duplicateOf === '' ? null : duplicateOf,
      kind: kind as StoryDecision['kind'],
      similarity: similarity === '' ? null : Number(similarity),
    },
    minhash,
  };
}
