import type { IncomingMessage } from 'node:http';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NewsloomError } from '../../lib/errors.js';
import { createDecoder, type ContentCoding } from './create-decoder.js';

export interface ReadBodyOptions {
  url: string;
  codings: ContentCoding[];
  maxBytes: number;
  signal: AbortSignal;
}

/**
 * Reads a response body, undoing its content codings (listed in the order they were applied),
 * and fails as soon as either the bytes on the wire or the decoded bytes pass `maxBytes`.
 */
export async function readBody(res: IncomingMessage, opts: ReadBodyOptions): Promise<Buffer> {
  const tooLarge = (what: string) =>
    new NewsloomError(`GET ${opts.url}: body too large (over ${opts.maxBytes} bytes ${what})`, 'NL_TOO_LARGE', false);
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > opts.maxBytes) {
    res.destroy();
    throw tooLarge('declared');
  }

  const chunks: Buffer[] = [];
  let decodedBytes = 0;
  const collect = new Writable({
    write(chunk: Buffer, _enc, done) {
      decodedBytes += chunk.length;
      if (decodedBytes > opts.maxBytes) return done(tooLarge('decoded'));
      chunks.push(chunk);
      done();
    },
  });
  // Decode the last-applied coding first (RFC 9110 §8.4).
  const codings = [...opts.codings].reverse();
  const decoderErrors = new Map<unknown, ContentCoding>();
  const decoders = codings.map((coding) => {
    const decoder = createDecoder(coding);
    decoder.once('error', (err) => decoderErrors.set(err, coding));
    return decoder;
  });
  try {
    await pipeline(res, rawCap(opts.maxBytes, () => tooLarge('on the wire')), ...decoders, collect, {
      signal: opts.signal,
    });
  } catch (err) {
    // pipeline destroys every stream with the first error, so a decoder also sees errors that
    // are not its own: only zlib's own codes mean the server sent bytes that do not decode.
    const coding = decoderErrors.get(err);
    const code = (err as { code?: unknown }).code;
    if (coding === undefined || typeof code !== 'string' || !/^(Z_|ERR__)/.test(code)) throw err;
    // "unexpected end of file" is usually a cut transfer, which may succeed next time.
    const retryable = code === 'Z_BUF_ERROR';
    const reason = err instanceof Error ? err.message : String(err);
    throw new NewsloomError(`GET ${opts.url}: ${coding} body does not decode: ${reason}`, 'NL_CONTENT_ENCODING', retryable, {
      cause: err,
    });
  }
  return Buffer.concat(chunks, decodedBytes);
}

/** A pass-through that fails once more than `maxBytes` have gone through. */
function rawCap(maxBytes: number, error: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      seen += chunk.length;
      done(seen > maxBytes ? error() : null, chunk);
    },
  });
}
