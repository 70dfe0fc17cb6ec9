// R11 (catalogue §3): a TCP fault proxy in front of Redis. It runs in a child process of its own,
// so the harness's own pauses (a synchronous SQLite read, a busy event loop) never delay the
// workers' Redis traffic. Modes: pass; blackhole (every socket stays open and nothing is forwarded
// either way; what was sent meanwhile is delivered at the heal, as TCP's retransmissions would
// after a partition shorter than its ~15 min retry limit); reset (every connection reset, and each
// new one reset on accept); half-open (the connections open now go silent for good, as after a
// dropped NAT entry or a peer that rebooted, while new ones pass).
import { fork, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export type ProxyMode = 'pass' | 'blackhole' | 'reset' | 'half-open';

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Bytes held while blackholed: client → Redis, Redis → client. */
  toUpstream: Buffer[];
  toClient: Buffer[];
  /** One side closed while blackholed: the other learns it at the heal. */
  closedWhileHeld: boolean;
  /** Silent for good (half-open): nothing is forwarded, ever. */
  dead: boolean;
}

/** The proxy itself: listens on 127.0.0.1:`listenPort` (0: any) and forwards to 127.0.0.1:`upstreamPort`. */
export class FaultProxy {
  mode: ProxyMode = 'pass';
  private readonly pairs = new Set<Pair>();
  private readonly server: Server;

  constructor(private readonly upstreamPort: number) {
    this.server = createServer({ noDelay: true }, (client) => this.accept(client));
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as { port: number }).port;
  }

  /** Connections open through the proxy right now. */
  get connections(): number {
    return this.pairs.size;
  }

  setMode(mode: ProxyMode): void {
    this.mode = mode;
    if (mode === 'reset') for (const p of this.pairs) this.drop(p, true);
    if (mode === 'half-open') {
      for (const p of this.pairs) p.dead = true;
      this.mode = 'pass';
    }
    if (mode === 'pass') {
      for (const p of [...this.pairs].filter((q) => !q.dead)) {
        for (const b of p.toUpstream.splice(0)) p.upstream.write(b);
        for (const b of p.toClient.splice(0)) p.client.write(b);
        if (p.closedWhileHeld) {
          // What was sent before the close still arrives (TCP delivers it before the FIN); destroy would drop it.
          this.pairs.delete(p);
          p.upstream.end();
          p.client.end();
        }
      }
    }
  }

  async close(): Promise<void> {
    for (const p of this.pairs) this.drop(p, false);
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private accept(client: Socket): void {
    if (this.mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: this.upstreamPort, noDelay: true });
    const p: Pair = { client, upstream, toUpstream: [], toClient: [], closedWhileHeld: false, dead: false };
    this.pairs.add(p);
    client.on('data', (b) => {
      if (p.dead) return;
      if (this.mode === 'pass') upstream.write(b);
      else p.toUpstream.push(b);
    });
    upstream.on('data', (b) => {
      if (p.dead) return;
      if (this.mode === 'pass') client.write(b);
      else p.toClient.push(b);
    });
    // A side that ends (Redis killed, a client quitting) ends the other, unless blackholed: then
    // the other side learns it at the heal, as it would after a real partition.
    const ended = () => {
      if (p.dead) {
        // The client closed its end of a dead connection; nobody tells the other side.
        if (p.client.destroyed) this.drop(p, false);
        return;
      }
      if (this.mode === 'blackhole') p.closedWhileHeld = true;
      else this.drop(p, false);
    };
    for (const s of [client, upstream]) {
      s.on('error', () => {});
      s.on('close', ended);
    }
  }

  private drop(p: Pair, reset: boolean): void {
    this.pairs.delete(p);
    if (reset && !p.client.destroyed) p.client.resetAndDestroy();
    else p.client.destroy();
    p.upstream.destroy();
  }
}

type Message = { mode: ProxyMode } | { close: true };

/** The harness's handle on a proxy running in a child process. */
export class RedisProxy {
  private constructor(private readonly child: ChildProcess, readonly port: number) {}

  /** Forks the proxy (tsx loader) in front of Redis on `upstreamPort`; resolves once it listens. */
  static async start(upstreamPort: number): Promise<RedisProxy> {
    const child = fork(fileURLToPath(import.meta.url), ['--redis-proxy-child', String(upstreamPort)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`redis proxy exited ${code} before listening`)));
    });
    return new RedisProxy(child, port);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Switches mode; resolves once the proxy has applied it. */
  async setMode(mode: ProxyMode): Promise<void> {
    await this.ask({ mode });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.send({ close: true } satisfies Message);
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  }

  private ask(m: Message): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('message', () => resolve());
      this.child.send(m);
    });
  }
}

if (process.argv[2] === '--redis-proxy-child' && process.send) {
  const proxy = new FaultProxy(Number(process.argv[3]));
  const port = await proxy.listen();
  process.on('message', (m: Message) => {
    if ('close' in m) void proxy.close().then(() => process.exit(0));
    else {
      proxy.setMode(m.mode);
      process.send!({ mode: m.mode, connections: proxy.connections });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ port });
}
