import { fromMinorUnits } from '../money';
import type { ProductAggregate } from './catalog-plan';
import { productId, variantId } from './ids';
import { RETAIL_CURRENCY } from './parse-row';
import { shopLocalTimestamp } from './shop-time';
import type { ProductWebhookPayload } from './shopify-payloads';

/** URL handle: the title in lower-case words, plus the stock code so two same-named products differ. */
export function productHandle(title: string, stockCode: string): string {
  const words = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const code = stockCode.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return words ? `${words}-${code}` : code;
}

/**
 * A stock code as a Shopify product with one default variant. The data names no vendor and no
 * type, so both stay empty rather than invented. Stock is not tracked (inventory_management
 * null): the retailer sold from a warehouse we know nothing about, and an untracked variant is
 * always available. created_at is the first sale, updated_at the latest.
 */
export function productPayload(p: ProductAggregate): ProductWebhookPayload {
  const id = productId(p.stockCode);
  const createdAt = shopLocalTimestamp(p.firstSold);
  const updatedAt = shopLocalTimestamp(p.lastSold);
  const title = p.title || p.stockCode;
  return {
    id,
    title,
    body_html: '',
    vendor: '',
    product_type: '',
    handle: productHandle(title, p.stockCode),
    status: 'active',
    tags: '',
    published_at: createdAt,
    created_at: createdAt,
    updated_at: updatedAt,
    variants: [
      {
        id: variantId(p.stockCode),
        product_id: id,
        title: 'Default Title',
        price: fromMinorUnits(p.priceMinor, RETAIL_CURRENCY),
        compare_at_price: null,
        sku: p.stockCode,
        position: 1,
        inventory_quantity: 0,
        inventory_policy: 'deny',
        inventory_management: null,
        created_at: createdAt,
        updated_at: updatedAt,
      },
    ],
    images: [],
  };
}
