import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';

/** The cookie the login form sets: an HMAC of the token, so the token itself never sits in a browser. */
export const SESSION_COOKIE = 'newsloom_session';
/** Probes and the login form itself answer without a token. */
const OPEN_PATHS = new Set(['/healthz', '/readyz', '/health', '/login', '/logout']);
const SESSION_MAX_AGE_S = 30 * 24 * 3600;

/**
 * `api.token` guard for everything on the dashboard port but OPEN_PATHS: a request passes with
 * `Authorization: Bearer <token>` or the session cookie of the form at /login. Without it, /api/*
 * answers 401 JSON with `WWW-Authenticate: Bearer` (RFC 6750), a browser asking for a page is sent to
 * /login, anything else gets 401. Mounted before every route, so pages added later are guarded
 * too. Without a token every request passes and /login sends to /.
 */
export function dashboardAuth(token: string | undefined): Router {
  const router = Router();
  if (!token) {
    router.get('/login', (_req, res) => res.redirect(303, '/'));
    return router;
  }
  const matches = constantTimeMatcher(token);
  const session = createHmac('sha256', token).update('newsloom dashboard session v1').digest('base64url');
  const isSession = constantTimeMatcher(session);

  router.get('/login', (req, res) => void res.type('html').send(loginPage(safeNext(req.query.next), null)));
  router.post('/login', express.urlencoded({ extended: false, limit: '8kb' }), (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    if (typeof body.token !== 'string' || !matches(body.token)) {
      return void res.status(401).type('html').send(loginPage(next, 'That token is not the one in api.token.'));
    }
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MAX_AGE_S}${req.secure ? '; Secure' : ''}`);
    res.redirect(303, next);
  });
  router.post('/logout', (_req, res) => {
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
    res.redirect(303, '/login');
  });
  router.use((req, res, next) => {
    if (OPEN_PATHS.has(req.path)) return next();
    const presented = bearerToken(req.headers.authorization);
    if (presented !== null ? matches(presented) : isSession(cookie(req.headers.cookie, SESSION_COOKIE) ?? '')) return next();
    // RFC 6750 §3.1: say why when a token was sent and refused.
    res.setHeader('WWW-Authenticate', `Bearer realm="newsloom"${presented !== null ? ', error="invalid_token"' : ''}`);
    if (req.path.startsWith('/api/')) {
      return void res.status(401).json({ error: `${req.method} ${req.path}: expected the api.token as "Authorization: Bearer <token>"` });
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && req.accepts(['json', 'html']) === 'html') {
      return void res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    }
    res.status(401).type('text/plain').send('401: this dashboard asks for its api.token (Authorization: Bearer <token>, or log in at /login)\n');
  });
  return router;
}

/**
 * A constant-time equality test against `secret`: both sides are HMACed with a per-process key
 * first, so the comparison sees equal lengths and leaks neither length nor prefix.
 */
function constantTimeMatcher(secret: string): (candidate: string) => boolean {
  const key = randomBytes(32);
  const digest = (s: string) => createHmac('sha256', key).update(s).digest();
  const expected = digest(secret);
  return (candidate) => timingSafeEqual(digest(candidate), expected);
}

/** The credentials of `Authorization: Bearer <token>` (scheme case-insensitive, RFC 9110 §11.1); null when absent or another scheme. */
function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Where to go after logging in: a path on this server only (no //host, no scheme), else /. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(next: string, error: string | null): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsloom: log in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}input{font:inherit;width:100%;margin:.5rem 0;padding:.4rem}p.error{color:#b00}</style>
</head><body>
<h1>newsloom</h1>
<form method="post" action="/login">
<label for="token">API token (<code>api.token</code>)</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="${escapeHtml(next)}">
${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}
<button type="submit">Log in</button>
</form>
</body></html>
`;
}
