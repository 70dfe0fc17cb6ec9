/**
 * The security suite itself, run by run.ts inside the lab: starts the DNS server, the canaries and
 * the hostile site, runs the cases of catalogue C, D and E, prints the table and exits 0 only when
 * every case passes and no canary saw a connection.
 */
import { parseArgs } from 'node:util';
import { httpOptions } from '../adapters/http/http-options.js';
import { parseConfig } from '../config/load.js';
import { startCanaries } from './canaries.js';
import { fetchCases } from './cases-fetch.js';
import { ssrfCases } from './cases-ssrf.js';
import { contentCases } from './cases-content.js';
import { startDnsServer } from './dns-server.js';
import { startHostileSite } from './hostile-site.js';
import { CANARY_V4, CANARY_V6, PUBLIC_HOST, setupLab } from './lab.js';
import { dnsZone } from './vectors.js';
import { formatRow, printSummary, runCases, tableHeader, writeJson, type SecurityCase } from './report.js';

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, json: { type: 'string' }, only: { type: 'string' }, 'self-test': { type: 'boolean' } },
});

const started = performance.now();
const quick = values.quick === true;
const lab = setupLab();
// --only takes groups (C, D, E) and/or case ids (F4, X1poll…).
const only = (values.only ?? 'C,D,E').split(',').map((g) => g.trim()).filter((g) => g !== '');
const ids = only.filter((g) => g.length > 1);
const groups = new Set(ids.length > 0 && only.every((g) => g.length > 1) ? ['C', 'D', 'E'] : only.map((g) => g.toUpperCase()));
const PORTS = { http: 8080, raw: 8081, blackhole: 8082 };
const WILDCARD_PORTS = [80, 443, 5432, 6379];

// newsloom's own defaults, as a worker uses them; --quick shortens the deadlines so CI takes minutes.
const config = parseConfig({}, 'defaults');
const fetchOpts = {
  ...httpOptions(config.fetch, config.fetch.maxFeedBytes),
  ...(quick ? { timeoutMs: 4_000, connectTimeoutMs: 3_000, firstByteTimeoutMs: 3_000 } : {}),
  // --self-test turns the address guard off: the SSRF cases must then fail with canary hits, which
  // shows the canaries and the DNS zone do catch a client that connects.
  ...(values['self-test'] ? { allowPrivateNetworks: true } : {}),
};
process.stdout.write(
  `security ${quick ? '--quick' : 'full'}: deadline ${fetchOpts.timeoutMs} ms, connect ${fetchOpts.connectTimeoutMs} ms, first byte ${fetchOpts.firstByteTimeoutMs} ms, ` +
    `feed cap ${fetchOpts.maxBytes} B, ${fetchOpts.maxRedirects} redirects; lab: ${lab.why}\n\n`,
);

if (!lab.isolated) {
  // Every case needs the lab: the public fixture host 5.5.5.5, canaries on private addresses, the *.test DNS.
  process.stdout.write(`security: cannot run: ${lab.why}. Run as root (sudo npm run security) on Linux with unshare.\n`);
  process.exit(2);
}

const dns = await startDnsServer(dnsZone(PUBLIC_HOST));
const canaries = await startCanaries({
  wildcardPorts: WILDCARD_PORTS,
  specific: [...CANARY_V4, ...CANARY_V6].flatMap((host) => Object.values(PORTS).map((port) => ({ host, port }))),
});
const site = await startHostileSite(PUBLIC_HOST, PORTS);

const cases: SecurityCase[] = [];
const env = { site, canaries, dns, fetchOpts, config, quick, wildcardPorts: WILDCARD_PORTS };
if (groups.has('C')) cases.push(...fetchCases(site, fetchOpts));
if (groups.has('D')) cases.push(...ssrfCases(env));
if (groups.has('E')) cases.push(...contentCases(env));
const selected = cases.filter((c) => (!quick || c.quick) && (ids.length === 0 || ids.includes(c.id)));

process.stdout.write(`${tableHeader()}\n`);
const rows = await runCases(selected, (row) => process.stdout.write(`${formatRow(row)}\n`));
const elapsedMs = performance.now() - started;
const hits = canaries.hits();
process.stdout.write(`${printSummary(rows, { canaryHits: hits, elapsedMs, mode: quick ? 'quick' : 'full' })}\n`);
if (hits > 0) for (const h of canaries.log().slice(0, 20)) process.stdout.write(`  canary hit at ${h.at} from ${h.from}\n`);
if (values.json) writeJson(values.json, rows, { mode: quick ? 'quick' : 'full', canaryHits: hits, elapsedMs: Math.round(elapsedMs), lab: lab.why });

await site.close();
await canaries.close();
await dns.close();
const ok = rows.every((r) => r.pass) && hits === 0;
process.exit(ok ? 0 : 1);
