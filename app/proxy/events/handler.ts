import type { RecommendationToken, StorefrontEventInput } from '../../../shared/tracking';
import { jsonAnswer, type ProxyAnswer } from '../answer';
import type { ProxyDeps, ProxyRequestContext } from '../context';
import { createEventAppender, type EventToAppend } from './append-events';
import { DEFAULT_BOT_LIMITS, looksAutomated, type BotLimits } from './bot-behaviour';
import { sponsoredRepeats, type SponsoredRepeats } from './sponsored-repeats';
import { isBotUserAgent } from './bot-user-agents';
import { checkEvent, echoedEventId, type EventRejection } from './check-event';
import { parseEventsBody } from './parse-body';
import { toStreamEntry } from './stream-entry';
import { visitorIdentity } from './visitor-identity';

/** How long the web process remembers an event id (and a token's event count), in seconds. */
export const EVENT_SEEN_SECONDS = 10 * 60;

/** `rejected[]` of the answer. */
export interface RejectedEvent {
  index: number;
  id?: string;
  reason: EventRejection;
}

/** The 200 answer (docs/storefront.md). */
export interface EventsAnswer {
  /** Events appended for storage by this request. */
  accepted: number;
  /** Valid events whose id was already received (in this request or an earlier one): counted once. */
  duplicates: number;
  rejected: RejectedEvent[];
}

/** The beacon as the listener read it. */
export interface EventsRequest {
  /** The body as text ('' when absent or of another content type). */
  text: string;
  userAgent: string | undefined;
  /** The shopper's address (scopes the rate limit without consent). */
  clientAddress: string;
}

/**
 * POST /proxy/events: parse, check each event alone, drop bots, then one Redis call applies the
 * rate limit, dedupes by event id and appends the new events to the stream the worker stores.
 */
export function eventsAnswerer(deps: ProxyDeps, options: { botLimits?: BotLimits } = {}): (proxy: ProxyRequestContext, req: EventsRequest) => Promise<ProxyAnswer> {
  const limits = options.botLimits ?? DEFAULT_BOT_LIMITS;
  const append = createEventAppender({
    redis: deps.redis,
    prefix: deps.queuePrefix,
    eventsPerMinute: deps.storefront.eventsPerMinute,
    // Long enough for a beacon's retries and a reloaded page; the worker's receipts dedupe for
    // good, so a later replay is answered as accepted but never counted twice. Kept short: one
    // key per event id, and a day of them at the target rate would be hundreds of millions.
    seenSeconds: EVENT_SEEN_SECONDS,
    limits,
    now: deps.now,
  });

  return async ({ shop, loggedInCustomerId }, req) => {
    const parsed = parseEventsBody(req.text);
    if (!parsed.ok) {
      return jsonAnswer(400, { error: 'bad_request', reason: parsed.reason, ...(parsed.issues ? { issues: parsed.issues.slice(0, 10) } : {}) });
    }
    const { body } = parsed;
    const allBots = (): EventsAnswer => ({
      accepted: 0,
      duplicates: 0,
      rejected: body.events.map((raw, index) => withId({ index, reason: 'bot' }, echoedEventId(raw))),
    });
    if (isBotUserAgent(req.userAgent)) return jsonAnswer(200, allBots());

    const now = deps.now();
    const identity = visitorIdentity({ customerIdKey: deps.customerIdKey, shop, body, loggedInCustomerId, clientAddress: req.clientAddress });
    const rejected: RejectedEvent[] = [];
    const checkedEvents: Array<{ event: StorefrontEventInput; token: RecommendationToken }> = [];
    const idsInRequest = new Set<string>();
    let duplicates = 0;
    const valid: StorefrontEventInput[] = [];
    const checkOptions = { tokenKey: [deps.tokenKey, ...(deps.previousTokenKeys ?? [])], shop, nowSeconds: Math.floor(now / 1000), maxAgeSeconds: deps.storefront.eventMaxAgeSeconds };
    for (let index = 0; index < body.events.length; index++) {
      const raw = body.events[index];
      const checked = checkEvent(raw, checkOptions);
      if (!checked.ok) {
        rejected.push(withId({ index, reason: checked.reason }, checked.id));
        continue;
      }
      const { event, token } = checked;
      valid.push(event);
      if (idsInRequest.has(event.id)) {
        duplicates++;
        continue;
      }
      idsInRequest.add(event.id);
      checkedEvents.push({ event, token });
    }
    if (looksAutomated(valid, limits)) return jsonAnswer(200, allBots());

    let outcome;
    let candidates: EventToAppend[];
    let clicks: SponsoredRepeats | undefined;
    try {
      const sponsoredClicks = checkedEvents.flatMap(({ event, token }) =>
        event.type === 'click' && token.sponsorship ? [{ eventId: event.id, campaignId: token.sponsorship.campaignId, productId: token.productId }] : [],
      );
      clicks = await sponsoredRepeats(deps.redis, deps.queuePrefix, shop, identity.address ?? identity.subject, sponsoredClicks);
      const { repeats } = clicks;
      candidates = checkedEvents.map(({ event, token }) => toStreamEntry({ shop, event, token, identity, nowMs: now, repeat: repeats.has(event.id) }));
      outcome = await append({ shop, subject: identity.subject, address: identity.address, eventsAsked: body.events.length, events: candidates });
    } catch (error) {
      deps.logger.error({ err: error, shop }, 'storefront events not appended');
      await clicks?.release().catch(() => undefined);
      return jsonAnswer(503, { error: 'unavailable' });
    }
    // A refused beacon's clicks were never counted: their repeat markers must not make the
    // shopper's next click on that product a repeat (left uncharged).
    if (outcome.status !== 'ok') await clicks.release().catch((error: unknown) => deps.logger.warn({ err: error, shop }, 'sponsored repeat markers not released'));
    if (outcome.status === 'limited') return jsonAnswer(429, { error: 'rate_limited' }, { 'Retry-After': '60' });
    if (outcome.status === 'bot') return jsonAnswer(200, allBots());
    const accepted = outcome.appended.filter(Boolean).length;
    const answer: EventsAnswer = { accepted, duplicates: duplicates + candidates.length - accepted, rejected };
    return jsonAnswer(200, answer);
  };
}

function withId(rejection: Omit<RejectedEvent, 'id'>, id: string | undefined): RejectedEvent {
  return id === undefined ? rejection : { index: rejection.index, id, reason: rejection.reason };
}
