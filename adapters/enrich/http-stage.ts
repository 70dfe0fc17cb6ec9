import { z } from 'zod';
import { NewsloomError } from '../../lib/errors.js';
import { Article } from '../../stages/article.js';
import { WRITABLE_FIELDS } from '../../stages/enrich/run-stages.js';
import type { ArticlePatch, EnrichmentStage } from '../../stages/enrich/stage.js';
import { httpGet, type HttpGetOptions } from '../http/http-get.js';

export interface HttpStageOptions {
  url: string;
  /** Recorded name; default the URL's host name. */
  name?: string;
  /** Recorded version; default the answer's X-Stage-Version header, else "1". */
  version?: string;
  /** The guarded client's options: enrich.http.timeout and maxBytes, fetch.allowPrivateNetworks… */
  client: HttpGetOptions;
}

const RETRYABLE_STATUSES = new Set([408, 429]);

// Every writable article field, optional; anything else is refused by name.
const Patch = z.strictObject(Object.fromEntries(WRITABLE_FIELDS.map((f) => [f, Article.shape[f].optional()])));

/**
 * An enrichment stage behind a URL: POSTs the article as JSON through the guarded client (no
 * private addresses unless fetch.allowPrivateNetworks, size cap, deadline) and applies the JSON
 * patch it answers (204: nothing to change). 5xx, 408, 429 and network faults are retryable; other
 * 4xx, redirects, invalid JSON and unknown fields are permanent and recorded on the article.
 */
export function httpStage({ url, name, version, client }: HttpStageOptions): EnrichmentStage {
  let reported: string | undefined;
  return {
    name: name ?? new URL(url).hostname,
    // Read by the runner after run(): the version the service reported with this answer.
    get version() {
      return version ?? reported ?? '1';
    },
    writes: WRITABLE_FIELDS,
    async run(article, context): Promise<ArticlePatch> {
      const res = await httpGet(url, {
        ...client,
        method: 'POST',
        body: JSON.stringify(article),
        headers: { ...client.headers, 'content-type': 'application/json' },
        accept: 'application/json',
        signal: context.signal,
      });
      const header = res.headers['x-stage-version']?.trim();
      if (header) reported = header;
      if (res.status === 204) return {};
      if (res.status < 200 || res.status > 299) {
        const retryable = res.status >= 500 || RETRYABLE_STATUSES.has(res.status);
        const detail = res.body.subarray(0, 200).toString('utf8').replace(/\s+/g, ' ').trim();
        throw new NewsloomError(`POST ${url} answered ${res.status}${detail ? `: ${detail}` : ''}`, 'NL_HTTP_STAGE_STATUS', retryable);
      }
      let json: unknown;
      try {
        json = JSON.parse(res.body.toString('utf8'));
      } catch (err) {
        throw new NewsloomError(`POST ${url}: answer is not JSON (${(err as Error).message})`, 'NL_HTTP_STAGE_JSON', false, { cause: err });
      }
      const parsed = Patch.safeParse(json);
      if (!parsed.success) throw new NewsloomError(`POST ${url}: answer is not a valid article patch: ${describeIssues(parsed.error.issues)}`, 'NL_HTTP_STAGE_PATCH', false);
      return parsed.data as ArticlePatch;
    },
  };
}

function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => {
      if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`;
      return `${i.path.join('.') || '(answer)'}: ${i.message}`;
    })
    .join('; ');
}
