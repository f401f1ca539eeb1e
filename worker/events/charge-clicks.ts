import type { Transaction } from 'kysely';
import type { Database } from '../../shared/db';
import { chargeClick } from '../../shared/sponsored';
import type { StorefrontEventEntry } from '../../shared/tracking';

/** What charging a batch's sponsored clicks did. */
export interface SponsoredClicksCharged {
  /** Clicks charged, and their sum in minor units (of each campaign's currency). */
  charged: number;
  amountMinor: number;
  /** Clicks recorded in the ledger without a charge (inactive campaign, repeat click, no budget left). */
  notCharged: number;
  /** Clicks whose charge key was already in the ledger: nothing written. */
  duplicates: number;
  /** Clicks naming a campaign the shop does not have: nothing written; the consumer logs them. */
  unknownCampaigns: Array<{ shop: string; eventId: string; campaignId: string }>;
}

/** Nothing charged (yet). */
export function noCharges(): SponsoredClicksCharged {
  return { charged: 0, amountMinor: 0, notCharged: 0, duplicates: 0, unknownCampaigns: [] };
}

/** A click whose signed token carried a sponsorship. */
export function isSponsoredClick(e: StorefrontEventEntry): e is StorefrontEventEntry & { campaign_id: string; price_minor: number } {
  return e.type === 'click' && e.campaign_id !== undefined && e.price_minor !== undefined;
}

/**
 * Considers each sponsored click of the batch for a charge (chargeClick), in stream order, inside
 * the batch's transaction. Give it only the events whose receipt is new: a redelivered click then
 * charges nothing (and the ledger's charge key would refuse it anyway).
 */
export async function chargeSponsoredClicks(trx: Transaction<Database>, fresh: readonly StorefrontEventEntry[]): Promise<SponsoredClicksCharged> {
  const done = noCharges();
  const clicks = fresh.filter(isSponsoredClick);
  if (!clicks.length) return done;
  await lockCampaigns(trx, clicks);
  for (const e of clicks) {
    const outcome = await chargeClick(trx, {
      shop: e.shop,
      eventId: e.id,
      impressionId: e.impression_id,
      productId: e.product_id,
      placement: e.placement,
      token: e.token,
      visitorKey: e.visitor_key,
      campaignId: e.campaign_id,
      priceMinor: e.price_minor,
      // The server's clock, not the shopper's: a charge falls in the day the click reached us,
      // so a skewed device cannot move it into another day's budget.
      clickedAtMs: e.received_at,
      repeat: e.repeat === true,
    });
    if (outcome.status === 'charged') {
      done.charged++;
      done.amountMinor += outcome.amountMinor;
    } else if (outcome.status === 'duplicate') done.duplicates++;
    else if (outcome.reason === 'unknown_campaign') done.unknownCampaigns.push({ shop: e.shop, eventId: e.id, campaignId: e.campaign_id });
    else done.notCharged++;
  }
  return done;
}

/**
 * Takes every campaign lock the batch needs at once, in id order. chargeClick locks its campaign
 * again (a no-op then); without this, two batches charging campaigns A and B in opposite stream
 * orders could each hold one lock and wait for the other.
 */
async function lockCampaigns(trx: Transaction<Database>, clicks: ReadonlyArray<{ shop: string; campaign_id: string }>): Promise<void> {
  const byShop = new Map<string, Set<string>>();
  for (const c of clicks) {
    let ids = byShop.get(c.shop);
    if (!ids) byShop.set(c.shop, (ids = new Set()));
    ids.add(c.campaign_id);
  }
  await trx
    .selectFrom('sponsored_campaigns')
    .select('id')
    .where((eb) => eb.or([...byShop].map(([shop, ids]) => eb.and([eb('shop', '=', shop), eb('id', 'in', [...ids])]))))
    .orderBy('id')
    .forUpdate()
    .execute();
}
