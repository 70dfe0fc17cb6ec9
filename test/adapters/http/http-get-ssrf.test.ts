import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedLookup } from '../../../adapters/http/guarded-lookup.js';
import { httpGet, type HttpGetOptions } from '../../../adapters/http/http-get.js';
import { nonPublicRange } from '../../../adapters/http/non-public-range.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/http.js';

const guarded: HttpGetOptions = {
  userAgent: 'newsloom-test',
  timeoutMs: 5_000,
  maxBytes: 1 << 20,
  maxRedirects: 5,
  allowPrivateNetworks: false,
};

// The machine's own name goes through the DNS lookup path (usually /etc/hosts → 127.0.x.x or a LAN address).
const ownName = hostname();
const ownAddresses = await lookup(ownName, { all: true }).catch(() => []);
const ownNameIsPrivate = ownAddresses.length > 0 && ownAddresses.every((a) => nonPublicRange(a.address) !== null);

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/canary', { body: 'you should not see this' });
});
afterAll(() => server.close());

describe('httpGet address guard', () => {
  it('refuses a loopback server by default and never reaches it', async () => {
    await expect(httpGet(`${server.url}/canary`, guarded)).rejects.toMatchObject({
      code: 'NL_SSRF',
      retryable: false,
      message: expect.stringContaining('non-public address 127.0.0.1'),
    });
    expect(server.hits('/canary')).toBe(0);
  });

  it('reaches a loopback server when private networks are allowed', async () => {
    const res = await httpGet(`${server.url}/canary`, { ...guarded, allowPrivateNetworks: true });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('you should not see this');
  });

  it('refuses "localhost" by name and never reaches the server', async () => {
    const before = server.hits('/canary');
    await expect(httpGet(`http://localhost:${server.port}/canary`, guarded)).rejects.toMatchObject({ code: 'NL_SSRF' });
    expect(server.hits('/canary')).toBe(before);
  });

  it.skipIf(!ownNameIsPrivate)('refuses a host name whose resolved address is non-public', async () => {
    const before = server.hits('/canary');
    await expect(httpGet(`http://${ownName}:${server.port}/canary`, guarded)).rejects.toMatchObject({
      code: 'NL_SSRF',
      message: expect.stringContaining('resolves to non-public address'),
    });
    expect(server.hits('/canary')).toBe(before);
  });

  it('checks every address the resolver returns, in the form net.connect asks for', async () => {
    const ask = (allow: boolean, all: boolean) =>
      new Promise<{ err: unknown; address: unknown }>((done) =>
        guardedLookup('http://localhost/', allow)('localhost', { all }, (err, address) => done({ err, address })),
      );
    expect((await ask(false, true)).err).toMatchObject({ code: 'NL_SSRF' });
    expect((await ask(false, false)).err).toMatchObject({ code: 'NL_SSRF' });
    expect((await ask(true, true)).address).toEqual(expect.arrayContaining([expect.objectContaining({ address: '127.0.0.1' })]));
    expect((await ask(true, false)).address).toMatch(/^(127\.0\.0\.1|::1)$/);
  });

  // URL folds most IPv4 spellings to dotted quads; mapped IPv6, NAT64 and 6to4 need unwrapping (catalogue X1).
  it.each([
    'http://127.1/',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0/',
    'http://[::1]/',
    'http://[::]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:127.0.0.1]/',
    'http://[64:ff9b::7f00:1]/',
    'http://[2002:7f00:1::]/',
    'http://[fd00::1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.0.1/',
    'http://10.0.0.1/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://localhost./',
    'http://LOCALHOST/',
    'http://api.localhost/',
  ])('refuses the non-public literal host in %s', async (url) => {
    await expect(httpGet(url, guarded)).rejects.toMatchObject({ code: 'NL_SSRF', retryable: false });
  });

  it.each(['file:///etc/passwd', 'ftp://ftp.example.com/x', 'gopher://x.example/', 'data:text/plain,hi', 'javascript:alert(1)'])(
    'refuses the non-http scheme of %s',
    async (url) => {
      await expect(httpGet(url, guarded)).rejects.toMatchObject({ code: 'NL_URL', retryable: false });
    },
  );

  it('refuses a string that is not a URL', async () => {
    await expect(httpGet('not a url', guarded)).rejects.toMatchObject({ code: 'NL_URL' });
  });
});
