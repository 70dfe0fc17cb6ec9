import { Transform, type TransformCallback } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw, type Inflate, type InflateRaw } from 'node:zlib';

/** The Content-Encoding tokens we decode; `x-gzip` is gzip (RFC 9110 §8.4.1.3). */
export type ContentCoding = 'gzip' | 'deflate' | 'br';

/**
 * A decompressing stream for one content coding. zlib streams keep backpressure even inside
 * one input chunk (node lib/zlib.js processCallback), so a bomb is decoded only as fast as the
 * reader takes it and the reader's cap stops it early.
 */
export function createDecoder(coding: ContentCoding): Transform {
  if (coding === 'gzip') return createGunzip();
  if (coding === 'br') return createBrotliDecompress();
  return new DeflateDecoder();
}

/**
 * "deflate" should be zlib-wrapped (RFC 9110 §8.4.1.2) but some servers send raw deflate; pick
 * by the first byte's compression method nibble, as undici does (lib/web/fetch/util.js).
 * Backpressure is passed through: the inner stream pauses while our readable side is full.
 */
class DeflateDecoder extends Transform {
  private inner: Inflate | InflateRaw | null = null;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (chunk.length === 0) return done();
    if (this.inner === null) {
      const inner = (chunk[0]! & 0x0f) === 0x08 ? createInflate() : createInflateRaw();
      inner.on('data', (data: Buffer) => {
        if (!this.push(data)) inner.pause();
      });
      inner.on('error', (err) => this.destroy(err));
      this.inner = inner;
    }
    this.inner.write(chunk, done);
  }

  override _read(size: number): void {
    this.inner?.resume();
    super._read(size);
  }

  override _flush(done: TransformCallback): void {
    const inner = this.inner;
    if (inner === null) return done();
    inner.once('end', () => done());
    inner.end();
  }

  override _destroy(err: Error | null, done: (error?: Error | null) => void): void {
    this.inner?.destroy();
    done(err);
  }
}
