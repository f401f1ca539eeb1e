import type { ProxiedRequest } from '../../../shared/dev/storefront';

/** One event as a block sent it to `POST /apps/shelfwise/events`, with its request's consent. */
export interface SentEvent {
  id: string;
  type: string;
  token: string;
  at: number;
  variant_id?: string;
  quantity?: number;
  analytics: boolean | undefined;
  visitorId: string | undefined;
  /** The app's answer to the request that carried it. */
  status: number;
}

/** Every event the storefront forwarded to the app, in the order they were sent. */
export function sentEvents(proxied: readonly ProxiedRequest[]): SentEvent[] {
  return proxied
    .filter((r) => r.method === 'POST' && r.path === '/events')
    .flatMap((r) => {
      const body = JSON.parse(r.body) as { consent?: { analytics?: boolean }; visitor_id?: string; events: Array<Omit<SentEvent, 'analytics' | 'visitorId' | 'status'>> };
      return body.events.map((e) => ({ ...e, analytics: body.consent?.analytics, visitorId: body.visitor_id, status: r.status }));
    });
}
