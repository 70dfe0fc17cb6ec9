import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { NewsloomError } from '../../lib/errors.js';
import { nonPublicRange } from './non-public-range.js';

/** The error for a host that is, or resolves to, an address we must not connect to. */
export function ssrfError(url: string, host: string, address: string, range: string): NewsloomError {
  return new NewsloomError(
    `GET ${url}: ${host} resolves to non-public address ${address} (${range})`,
    'NL_SSRF',
    false,
  );
}

/**
 * A `lookup` for node:net that resolves every A/AAAA record and refuses the host when any of
 * them is non-public, so the address checked is the address connected to (no DNS rebinding
 * window between check and connect; catalogue D, X3/X4).
 */
export function guardedLookup(url: string, allowPrivateNetworks: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { family: options.family ?? 0, all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list: LookupAddress[] = addresses;
      if (!allowPrivateNetworks) {
        for (const a of list) {
          const range = nonPublicRange(a.address);
          if (range !== null) return callback(ssrfError(url, hostname, a.address, range), '', 0);
        }
      }
      const first = list[0];
      if (first === undefined) {
        const empty = Object.assign(new Error(`lookup ${hostname}: no addresses`), { code: 'ENOTFOUND' });
        return callback(empty, '', 0);
      }
      // Node 20 asks for all addresses when autoSelectFamily (happy eyeballs) is on.
      if (options.all) return callback(null, list);
      callback(null, first.address, first.family);
    });
  };
}
