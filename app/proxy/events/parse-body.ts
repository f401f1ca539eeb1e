import { parseStorefrontEventsBody, type StorefrontEventsBody } from '../../../shared/tracking';

export type ParsedBody = { ok: true; body: StorefrontEventsBody } | { ok: false; reason: 'body_not_json' | 'invalid_body'; issues?: string[] };

/**
 * The beacon's body as text (`application/json`, or `text/plain` from `navigator.sendBeacon`):
 * JSON of the `storefrontEventsBody` shape. Events themselves are checked one by one later, so
 * one bad event never costs the others.
 */
export function parseEventsBody(text: unknown): ParsedBody {
  if (typeof text !== 'string' || text.length === 0) return { ok: false, reason: 'body_not_json' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'body_not_json' };
  }
  const parsed = parseStorefrontEventsBody(json);
  if (!parsed.success) {
    return { ok: false, reason: 'invalid_body', issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) };
  }
  return { ok: true, body: parsed.data };
}
