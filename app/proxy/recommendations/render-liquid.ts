import { TOKEN_URL_PARAM } from '../../../shared/tracking';
import type { ServedRecommendations } from './served';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '{': '&#123;', '}': '&#125;' };

/**
 * HTML-escapes a value for text and attributes, braces included: the theme renders the answer as
 * Liquid, so a product title holding `{{` or `{%` must never become a tag.
 */
export function escapeLiquidHtml(value: string): string {
  return value.replace(/[&<>"'{}]/g, (c) => ENTITIES[c]!);
}

/**
 * The `format=liquid` answer: small card markup the shop's theme renders (`application/liquid`),
 * prices through Liquid's `money` filter so they read in the shop's own money format, each link
 * carrying its token so an add-to-cart on the product page is attributed.
 */
export function renderLiquid(served: ServedRecommendations): string {
  const e = escapeLiquidHtml;
  const cards = served.products.map(({ product: p, reason, token, campaignId }) => {
    const href = `/products/${encodeURIComponent(p.handle)}?${TOKEN_URL_PARAM}=${encodeURIComponent(token)}`;
    return [
      `<li class="shelfwise-card${campaignId === undefined ? '' : ' shelfwise-card--sponsored'}" data-product-id="${e(p.id)}" data-token="${e(token)}"${p.variantId ? ` data-variant-id="${e(p.variantId)}"` : ''}${campaignId === undefined ? '' : ` data-campaign-id="${e(campaignId)}"`}>`,
      // A sponsored card always says so: the label is not a setting.
      campaignId === undefined ? '' : '<span class="shelfwise-card__badge">Sponsored</span>',
      `<a class="shelfwise-card__link" href="${e(href)}">`,
      p.imageUrl ? `<img class="shelfwise-card__image" src="${e(p.imageUrl)}" alt="${e(p.title)}" loading="lazy">` : '',
      `<span class="shelfwise-card__title">${e(p.title)}</span></a>`,
      p.vendor ? `<span class="shelfwise-card__vendor">${e(p.vendor)}</span>` : '',
      // price_minor is an integer we wrote: safe inside the Liquid output tag.
      p.priceMinor !== null ? `<span class="shelfwise-card__price">{{ ${p.priceMinor} | money }}</span>` : '',
      `<span class="shelfwise-card__reason">${e(reason)}</span>`,
      '</li>',
    ].join('');
  });
  return (
    `<ul class="shelfwise-cards" data-placement="${served.placement}" data-impression-id="${e(served.impressionId)}"` +
    ` data-model-version="${e(served.modelVersion ?? '')}" data-source="${served.source}">${cards.join('')}</ul>\n`
  );
}
