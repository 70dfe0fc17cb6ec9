/** One rule of a group: a path pattern (normalised) and whether it allows or disallows. */
export interface RobotsRule {
  allow: boolean;
  pattern: string;
}

/** A group: the user-agent lines that open it and the rules after them (RFC 9309 §2.1). */
export interface RobotsGroup {
  /** Lower-cased product tokens, or "*". */
  agents: string[];
  rules: RobotsRule[];
  /** Non-standard `crawl-delay` in seconds, when the group states one. */
  crawlDelaySeconds: number | null;
}

export interface Robots {
  groups: RobotsGroup[];
}

export interface RobotsVerdict {
  allowed: boolean;
  /** Pause between request starts asked for by `crawl-delay`, in ms; null if none. */
  crawlDelayMs: number | null;
  /** The rule that decided, as written after normalisation; null when no rule matched. */
  rule: string | null;
}

// Parsers MUST read at least 500 KiB (RFC 9309 §2.5); beyond that we stop, as Google does.
const MAX_CHARS = 500 * 1024;
// Product tokens are [a-zA-Z_-]+ (RFC 9309 §2.2.1); "Googlebot/2.1" in a user-agent line means "googlebot".
const TOKEN = /^[a-z_-]+/;
const UTF8 = new TextEncoder();

/** Parses robots.txt text into groups (RFC 9309 §2.1–2.2); never throws, unknown lines are skipped. */
export function parseRobots(text: string): Robots {
  const groups: RobotsGroup[] = [];
  let current: RobotsGroup | null = null;
  // Consecutive user-agent lines share one group; a user-agent line after a rule starts a new one.
  let inRules = false;
  for (const raw of text.slice(0, MAX_CHARS).replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const field = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (field === 'user-agent') {
      if (current === null || inRules) {
        current = { agents: [], rules: [], crawlDelaySeconds: null };
        groups.push(current);
        inRules = false;
      }
      const agent = value === '*' ? '*' : TOKEN.exec(value.toLowerCase())?.[0];
      if (agent !== undefined) current.agents.push(agent);
    } else if ((field === 'allow' || field === 'disallow') && current !== null) {
      inRules = true;
      // An empty value matches nothing ("Disallow:" allows everything), so it adds no rule.
      if (value !== '') current.rules.push({ allow: field === 'allow', pattern: normalisePath(value) });
    } else if (field === 'crawl-delay' && current !== null) {
      inRules = true;
      const seconds = Number(value);
      if (value !== '' && Number.isFinite(seconds) && seconds >= 0) current.crawlDelaySeconds = seconds;
    }
    // sitemap and unknown fields neither add rules nor end a group.
  }
  return { groups };
}

/** The product token of a User-Agent header ("newsloom/0.1 (+https://…)" gives "newsloom"), lower-cased. */
export function productToken(userAgent: string): string {
  return TOKEN.exec(userAgent.trim().toLowerCase())?.[0] ?? '*';
}

/**
 * Decides whether `url` may be fetched by the crawler whose product token is `token`: the groups
 * naming the token (else the "*" groups) are merged, and the longest matching pattern wins, allow
 * on a tie (RFC 9309 §2.2.1–2.2.2).
 */
export function robotsVerdict(robots: Robots, url: URL, token: string): RobotsVerdict {
  const own = token.toLowerCase();
  let groups = robots.groups.filter((g) => g.agents.includes(own));
  if (groups.length === 0) groups = robots.groups.filter((g) => g.agents.includes('*'));
  const delays = groups.map((g) => g.crawlDelaySeconds).filter((d): d is number => d !== null);
  const crawlDelayMs = delays.length === 0 ? null : Math.round(Math.max(...delays) * 1000);
  // The robots.txt URI is implicitly allowed (RFC 9309 §2.2.2).
  const path = normalisePath(url.pathname + url.search);
  if (url.pathname === '/robots.txt') return { allowed: true, crawlDelayMs, rule: null };
  let best: RobotsRule | null = null;
  for (const rule of groups.flatMap((g) => g.rules)) {
    if (!matchesPattern(path, rule.pattern)) continue;
    const longer = best === null || rule.pattern.length > best.pattern.length;
    const tieAllows = best !== null && rule.pattern.length === best.pattern.length && rule.allow && !best.allow;
    if (longer || tieAllows) best = rule;
  }
  return { allowed: best?.allow ?? true, crawlDelayMs, rule: best === null ? null : `${best.allow ? 'Allow' : 'Disallow'}: ${best.pattern}` };
}

/**
 * Puts a path or pattern in one spelling so that "/ä", "/%c3%a4" and "/%C3%A4" compare equal:
 * non-ASCII and controls percent-encoded as UTF-8, escapes upper-cased, escaped unreserved
 * characters decoded (RFC 9309 §2.2.2; RFC 3986 §6.2.2.2).
 */
function normalisePath(path: string): string {
  let out = '';
  for (const ch of path) {
    const code = ch.codePointAt(0)!;
    out += code > 0x20 && code < 0x7f ? ch : [...UTF8.encode(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${hex.toUpperCase()}`;
  });
}

/**
 * Prefix match with `*` for any run of characters and a final `$` anchoring the end. Tracks the
 * set of reachable positions (as Google's robots matcher does) instead of building a RegExp, so a
 * hostile pattern like "/*a*a*a*a*b" costs O(path × pattern), never exponential backtracking.
 */
function matchesPattern(path: string, pattern: string): boolean {
  const anchored = pattern.endsWith('$');
  const body = anchored ? pattern.slice(0, -1) : pattern;
  let positions = [0];
  for (const ch of body) {
    if (ch === '*') {
      const from = positions[0]!;
      positions = Array.from({ length: path.length - from + 1 }, (_, i) => from + i);
      continue;
    }
    const next: number[] = [];
    for (const p of positions) if (path[p] === ch) next.push(p + 1);
    if (next.length === 0) return false;
    positions = next;
  }
  return anchored ? positions.includes(path.length) : true;
}
