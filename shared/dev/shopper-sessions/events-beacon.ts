import type { StorefrontEventType } from '../../tracking';
import type { AppProxyClient, ShopperRequestContext } from './app-proxy-client';

/** One event as the block's beacon sends it (docs/storefront.md). */
export interface BeaconEvent {
  id: string;
  type: StorefrontEventType;
  token: string;
  /** Epoch ms on the shopper's clock. */
  at: number;
  variant_id?: string;
  quantity?: number;
}

/** What the events endpoint made of one beacon. */
export type BeaconOutcome =
  | { status: 'answered'; accepted: number; duplicates: number; rejected: string[] }
  | { status: 'rate_limited' }
  | { status: 'failed'; reason: string };

/**
 * POST /proxy/events as `navigator.sendBeacon` sends it: the visitor id only with analytics
 * consent (without it the app counts the events and identifies nobody).
 */
export async function sendBeacon(
  client: AppProxyClient,
  shopper: ShopperRequestContext,
  beacon: { visitorId: string; consent: boolean; events: readonly BeaconEvent[] },
): Promise<BeaconOutcome> {
  const body = JSON.stringify({
    consent: { analytics: beacon.consent },
    ...(beacon.consent ? { visitor_id: beacon.visitorId } : {}),
    events: beacon.events,
  });
  const response = await client.post('/events', [], body, shopper);
  if (response.status === 429) return { status: 'rate_limited' };
  if (response.status !== 200) return { status: 'failed', reason: `events: HTTP ${response.status} ${response.text.slice(0, 200)}`.trim() };
  try {
    const answer = JSON.parse(response.text) as { accepted?: number; duplicates?: number; rejected?: Array<{ reason?: string }> };
    return {
      status: 'answered',
      accepted: answer.accepted ?? 0,
      duplicates: answer.duplicates ?? 0,
      rejected: (answer.rejected ?? []).map((r) => r.reason ?? 'unknown'),
    };
  } catch {
    return { status: 'failed', reason: 'events: answer is not JSON' };
  }
}
