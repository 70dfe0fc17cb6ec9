import { createServer, type Server } from 'node:net';

export interface CanaryHit {
  at: string;
  from: string;
}

export interface Canaries {
  /** Connections accepted so far, by any canary. */
  hits(): number;
  log(): CanaryHit[];
  /** The ports the canaries listen on (every address), for building vectors. */
  wildcardPorts: number[];
  close(): Promise<void>;
}

/**
 * TCP listeners that must never be connected to: on every address (`::`, dual stack) at the
 * ports a vector names (80, 443, Redis, PostgreSQL) and on each private address at the fixture
 * ports. Every accepted connection is a hit, logged with where it landed.
 */
export async function startCanaries(opts: { wildcardPorts: number[]; specific: Array<{ host: string; port: number }> }): Promise<Canaries> {
  const hits: CanaryHit[] = [];
  const servers: Server[] = [];
  const listen = (host: string, port: number) =>
    new Promise<void>((resolve, reject) => {
      const server = createServer((socket) => {
        hits.push({ at: `${socket.localAddress}:${socket.localPort}`, from: `${socket.remoteAddress}:${socket.remotePort}` });
        socket.destroy();
      });
      server.once('error', reject);
      server.listen({ host, port, ipv6Only: false }, () => {
        servers.push(server);
        resolve();
      });
    });
  for (const port of opts.wildcardPorts) await listen('::', port);
  for (const { host, port } of opts.specific) await listen(host, port);
  return {
    hits: () => hits.length,
    log: () => [...hits],
    wildcardPorts: opts.wildcardPorts,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((done) => s.close(() => done()))));
    },
  };
}
