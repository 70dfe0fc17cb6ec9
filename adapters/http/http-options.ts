import type { Config } from '../../config/schema.js';
import type { HttpGetOptions } from './http-get.js';

/** The guarded client's options from `fetch.*` config, with the body cap the caller needs (page or feed). */
export function httpOptions(fetch: Readonly<Config['fetch']>, maxBytes: number): HttpGetOptions {
  return {
    userAgent: fetch.userAgent,
    timeoutMs: fetch.timeout,
    connectTimeoutMs: fetch.connectTimeout,
    firstByteTimeoutMs: fetch.firstByteTimeout,
    maxBytes,
    maxRedirects: fetch.maxRedirects,
    allowPrivateNetworks: fetch.allowPrivateNetworks,
  };
}
