import { NewsloomError } from '../../lib/errors.js';
import { httpGet, type HttpGetOptions } from '../http/http-get.js';
import type { EventEnvelope } from './event-envelope.js';
import { SIGNATURE_HEADER, signPayload } from './sign-payload.js';

/** What a delivery needs of a configured webhook. */
export interface WebhookTarget {
  name: string;
  url: string;
  secret: string;
  timeoutMs: number;
}

// A receiver's answer is read only for its status; more than this is not waited for.
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs one event as JSON through the guarded client (no private addresses unless
 * fetch.allowPrivateNetworks, a deadline, a cap on the answer), signed, with the event's type and
 * id in headers. Any 2xx is delivered; any other answer and any network fault may pass and are
 * retryable (as Stripe and GitHub retry); a refused address or URL is permanent.
 */
export async function postEvent(target: WebhookTarget, event: EventEnvelope, client: Omit<HttpGetOptions, 'timeoutMs' | 'maxBytes'>, nowMs = Date.now()): Promise<void> {
  const body = JSON.stringify(event);
  const res = await httpGet(target.url, {
    ...client,
    timeoutMs: target.timeoutMs,
    maxBytes: MAX_ANSWER_BYTES,
    method: 'POST',
    body,
    accept: '*/*',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signPayload(target.secret, body, Math.floor(nowMs / 1000)),
      'Newsloom-Event': event.type,
      'Newsloom-Delivery': event.id,
    },
  });
  if (res.status < 200 || res.status > 299) {
    const detail = res.body.subarray(0, 200).toString('utf8').replace(/\s+/g, ' ').trim();
    throw new NewsloomError(`POST ${target.url} (webhook ${target.name}, event ${event.id}) answered ${res.status}${detail ? `: ${detail}` : ''}`, 'NL_WEBHOOK_STATUS', true);
  }
}
