import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  id: string;
  type: string;
  body: string;
  headers: IncomingHttpHeaders;
}

/** A real webhook receiver on 127.0.0.1: answers 204 (ok) or 500 (failing), and can go down and come back on its port. */
export interface Receiver {
  url: string;
  /** Deliveries answered 2xx, in arrival order. */
  accepted: Delivery[];
  /** Every request that reached it, answered 2xx or not. */
  requests: number;
  mode: 'ok' | 'failing';
  /** Closes the port: deliveries meet ECONNREFUSED. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Resolves once `n` deliveries were accepted. */
  accepts(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const waiters: Array<{ n: number; done: () => void }> = [];
  const r: Receiver & { server: Server; port: number } = {
    url: '', accepted: [], requests: 0, mode: 'ok', port: 0,
    server: createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        r.requests++;
        if (r.mode === 'failing') {
          res.writeHead(500).end('receiver is failing');
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        const parsed = JSON.parse(body) as { id: string; type: string };
        r.accepted.push({ id: parsed.id, type: parsed.type, body, headers: req.headers });
        res.writeHead(204).end();
        for (const w of waiters.splice(0)) {
          if (r.accepted.length >= w.n) w.done();
          else waiters.push(w);
        }
      });
    }),
    async down() {
      await new Promise<void>((done) => {
        r.server.close(() => done());
        r.server.closeAllConnections();
      });
    },
    async up() {
      await new Promise<void>((done) => r.server.listen(r.port, '127.0.0.1', done));
    },
    accepts(n) {
      if (r.accepted.length >= n) return Promise.resolve();
      return new Promise((done) => waiters.push({ n, done }));
    },
    async close() {
      if (r.server.listening) await r.down();
    },
  };
  await new Promise<void>((done) => r.server.listen(0, '127.0.0.1', done));
  r.port = (r.server.address() as AddressInfo).port;
  r.url = `http://127.0.0.1:${r.port}/hooks/newsloom`;
  return r;
}

/** Resolves once `check` holds, looking again every 20 ms: waits for a state, never for a fixed time. */
export async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}
