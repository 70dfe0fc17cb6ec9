import type { HttpGetOptions } from '../adapters/http/http-get.js';
import { outcome } from './cases-fetch.js';
import { REDIRECT_STATUSES, sweep, type LabEnv } from './sweep.js';
import type { CaseResult, SecurityCase } from './report.js';
import { VECTORS } from './vectors.js';

type PostEvent = (target: { name: string; url: string; secret: string; timeoutMs: number }, event: { id: string; type: string }, client: Omit<HttpGetOptions, 'timeoutMs' | 'maxBytes'>) => Promise<void>;

/** Webhook deliveries (adapters/webhooks, issue 9's sibling work): loaded when present, else reported as not covered. */
export function webhookCases(env: LabEnv, expected: string): SecurityCase[] {
  const load = async (): Promise<PostEvent | null> => {
    try {
      const mod = (await import('../adapters/webhooks/post-event.js')) as { postEvent?: PostEvent };
      return mod.postEvent ?? null;
    } catch {
      return null;
    }
  };
  const event = { id: '1', type: 'article.stored', article: { id: 'x', title: 'x' } };
  const client = { userAgent: env.fetchOpts.userAgent, maxRedirects: env.fetchOpts.maxRedirects, allowPrivateNetworks: false };
  const notCovered: CaseResult = { observed: 'adapters/webhooks/post-event.ts not found: webhooks NOT COVERED', pass: true };
  return [
    {
      id: 'X1hook', title: 'webhook URL', expected, quick: true,
      async run() {
        const postEvent = await load();
        if (postEvent === null) return notCovered;
        return sweep(env, (v) => outcome(() => postEvent({ name: 'sec', url: v.url, secret: 's', timeoutMs: env.fetchOpts.timeoutMs }, event, client)));
      },
    },
    {
      id: 'X2hook', title: 'webhook, redirect to vector', expected: `${VECTORS.length}/${VECTORS.length} not followed, canary 0`, quick: true,
      async run() {
        const postEvent = await load();
        if (postEvent === null) return notCovered;
        return sweep(
          env,
          (v, i) => {
            const status = REDIRECT_STATUSES[i % REDIRECT_STATUSES.length]!;
            return outcome(() => postEvent({ name: 'sec', url: `${env.site.origin}/redirect?status=${status}&to=${encodeURIComponent(v.url)}`, secret: 's', timeoutMs: env.fetchOpts.timeoutMs }, event, client));
          },
          'lenient',
        );
      },
    },
  ];
}
