import { createSocket, type Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import ipaddr from 'ipaddr.js';

/** One name's answer: addresses (A or AAAA by family), or a CNAME to another name of the zone. */
export type DnsAnswer = { addresses: string[] } | { cname: string };
/** A record may change per query: DNS rebinding answers public, then private (TTL 0). */
export type DnsRecord = DnsAnswer | ((qtype: 'A' | 'AAAA' | 'other') => DnsAnswer);

export interface DnsServer {
  /** Queries answered, per lower-case name. */
  queries(name: string): number;
  close(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_CNAME = 5;
const TYPE_AAAA = 28;

/**
 * A tiny authoritative DNS server over UDP (catalogue §3 "DNS"), enough for glibc's getaddrinfo:
 * A and AAAA (and a CNAME chain) for the names in `zone`, NXDOMAIN for every other name. TTL 0.
 */
export async function startDnsServer(zone: Map<string, DnsRecord>, host = '127.0.0.1', port = 53): Promise<DnsServer> {
  const counts = new Map<string, number>();
  const socket: Socket = createSocket(isIPv4(host) ? 'udp4' : 'udp6');
  socket.on('message', (msg, rinfo) => {
    const reply = answer(msg, zone, counts);
    if (reply) socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => resolve());
  });
  return {
    queries: (name) => counts.get(name.toLowerCase()) ?? 0,
    close: () => new Promise<void>((done) => socket.close(() => done())),
  };
}

function answer(msg: Buffer, zone: Map<string, DnsRecord>, counts: Map<string, number>): Buffer | null {
  if (msg.length < 12) return null;
  let offset = 12;
  const labels: string[] = [];
  while (offset < msg.length && msg[offset] !== 0) {
    const len = msg[offset]!;
    labels.push(msg.subarray(offset + 1, offset + 1 + len).toString('latin1'));
    offset += len + 1;
  }
  offset += 1;
  if (offset + 4 > msg.length) return null;
  const qtype = msg.readUInt16BE(offset);
  const question = msg.subarray(12, offset + 4);
  const name = labels.join('.').toLowerCase();
  counts.set(name, (counts.get(name) ?? 0) + 1);

  const records: Buffer[] = [];
  let owner = name;
  let found = false;
  for (let hop = 0; hop < 8; hop++) {
    const rec = zone.get(owner);
    if (rec === undefined) break;
    found = true;
    const ans = typeof rec === 'function' ? rec(qtype === TYPE_A ? 'A' : qtype === TYPE_AAAA ? 'AAAA' : 'other') : rec;
    if ('cname' in ans) {
      records.push(rr(owner, TYPE_CNAME, encodeName(ans.cname)));
      owner = ans.cname.toLowerCase();
      continue;
    }
    for (const a of ans.addresses) {
      const ip = ipaddr.parse(a);
      const type = ip.kind() === 'ipv4' ? TYPE_A : TYPE_AAAA;
      if (type === qtype) records.push(rr(owner, type, Buffer.from(ip.toByteArray())));
    }
    break;
  }
  const header = Buffer.alloc(12);
  msg.copy(header, 0, 0, 2); // id
  const rd = msg[2]! & 0x01;
  header[2] = 0x84 | rd; // QR, AA, RD copied
  header[3] = found ? 0x00 : 0x03; // NOERROR or NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  return Buffer.concat([header, question, ...records]);
}

function encodeName(name: string): Buffer {
  const parts = name.split('.').filter((p) => p !== '');
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'latin1')])), Buffer.from([0])]);
}

function rr(name: string, type: number, data: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2); // IN
  fixed.writeUInt32BE(0, 4); // TTL 0: every lookup asks again (rebinding)
  fixed.writeUInt16BE(data.length, 8);
  return Buffer.concat([encodeName(name), fixed, data]);
}
