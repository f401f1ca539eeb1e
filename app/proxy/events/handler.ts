import type { Request, RequestHandler, Response } from 'express';
import type { StorefrontEventInput } from '../../../shared/tracking';
import type { ProxyDeps, ProxyRequestContext } from '../context';
import { createEventAppender, type EventToAppend } from './append-events';
import { DEFAULT_BOT_LIMITS, looksAutomated, type BotLimits } from './bot-behaviour';
import { isBotUserAgent } from './bot-user-agents';
import { checkEvent, echoedEventId, type EventRejection } from './check-event';
import { parseEventsBody } from './parse-body';
import { sendJson } from './send-json';
import { toStreamEntry, TOKEN_SKEW_MS } from './stream-entry';
import { visitorIdentity } from './visitor-identity';

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

/**
 * POST /proxy/events: parse, check each event alone, drop bots, then one Redis call applies the
 * rate limit, dedupes by event id and appends the new events to the stream the worker stores.
 */
export function eventsHandler(deps: ProxyDeps, options: { botLimits?: BotLimits } = {}): RequestHandler {
  const limits = options.botLimits ?? DEFAULT_BOT_LIMITS;
  const append = createEventAppender({
    redis: deps.redis,
    prefix: deps.queuePrefix,
    eventsPerMinute: deps.storefront.eventsPerMinute,
    // Past this an event's token is expired anyway, so a replayed id is rejected rather than
    // recounted; the worker's receipts dedupe for good.
    seenSeconds: deps.storefront.eventMaxAgeSeconds + TOKEN_SKEW_MS / 1000 + 60,
    limits,
    now: deps.now,
  });

  return async (req: Request, res: Response) => {
    const { shop, loggedInCustomerId } = res.locals.proxy as ProxyRequestContext;
    const parsed = parseEventsBody(req.body);
    if (!parsed.ok) {
      sendJson(res, 400, { error: 'bad_request', reason: parsed.reason, ...(parsed.issues ? { issues: parsed.issues.slice(0, 10) } : {}) });
      return;
    }
    const { body } = parsed;
    const allBots = (): EventsAnswer => ({
      accepted: 0,
      duplicates: 0,
      rejected: body.events.map((raw, index) => withId({ index, reason: 'bot' }, echoedEventId(raw))),
    });
    if (isBotUserAgent(req.get('user-agent'))) {
      sendJson(res, 200, allBots());
      return;
    }

    const now = deps.now();
    const identity = visitorIdentity({ customerIdKey: deps.customerIdKey, shop, body, loggedInCustomerId, clientAddress: req.ip });
    const rejected: RejectedEvent[] = [];
    const candidates: EventToAppend[] = [];
    const idsInRequest = new Set<string>();
    let duplicates = 0;
    const valid: StorefrontEventInput[] = [];
    for (const [index, raw] of body.events.entries()) {
      const checked = checkEvent(raw, { tokenKey: deps.tokenKey, shop, nowSeconds: Math.floor(now / 1000), maxAgeSeconds: deps.storefront.eventMaxAgeSeconds });
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
      candidates.push(toStreamEntry({ shop, event, token, identity, nowMs: now }));
    }
    if (looksAutomated(valid, limits)) {
      sendJson(res, 200, allBots());
      return;
    }

    let outcome;
    try {
      outcome = await append({ shop, subject: identity.subject, eventsAsked: body.events.length, events: candidates });
    } catch (error) {
      deps.logger.error({ err: error, shop }, 'storefront events not appended');
      sendJson(res, 503, { error: 'unavailable' });
      return;
    }
    if (outcome.status === 'limited') {
      res.setHeader('Retry-After', '60');
      sendJson(res, 429, { error: 'rate_limited' });
      return;
    }
    if (outcome.status === 'bot') {
      sendJson(res, 200, allBots());
      return;
    }
    const accepted = outcome.appended.filter(Boolean).length;
    const answer: EventsAnswer = { accepted, duplicates: duplicates + candidates.length - accepted, rejected };
    sendJson(res, 200, answer);
  };
}

function withId(rejection: Omit<RejectedEvent, 'id'>, id: string | undefined): RejectedEvent {
  return id === undefined ? rejection : { index: rejection.index, id, reason: rejection.reason };
}
