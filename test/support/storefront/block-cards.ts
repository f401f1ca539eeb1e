import type { Locator, Page } from 'playwright-core';
import { appBlockSelector } from '../../../shared/dev/storefront';

/** The app block with this handle on the page (Shopify's `shopify-block-…` wrapper). */
export function appBlock(page: Page, handle: string): Locator {
  return page.locator(appBlockSelector(handle));
}

/** A block's product cards: the links that open a product with its token (docs/storefront.md). */
export function cardLinks(block: Locator): Locator {
  return block.locator('a[href*="sw_token="]');
}

/** Waits until the block shows cards, then returns their links' text (the product titles). */
export async function cardTitles(block: Locator, timeoutMs = 15_000): Promise<string[]> {
  await cardLinks(block).first().waitFor({ state: 'visible', timeout: timeoutMs });
  return (await cardLinks(block).allInnerTexts()).map((t) => t.trim());
}

/** The price line of each of the block's cards, in order (once `cardTitles` saw them). */
export async function cardPrices(block: Locator): Promise<string[]> {
  return (await block.locator('.sw-card:not(.sw-card--skeleton) .sw-card__price').allInnerTexts()).map((t) => t.trim());
}

/** The token a card link carries in `sw_token`. */
export async function cardToken(link: Locator): Promise<string> {
  const href = await link.getAttribute('href');
  const token = href ? new URL(href, 'http://storefront.invalid').searchParams.get('sw_token') : null;
  if (!token) throw new Error(`card link without sw_token: ${href}`);
  return token;
}
