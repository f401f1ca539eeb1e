import type { Liquid } from 'liquidjs';
import { formatMoney } from './money-format';
import { translate, type Locale } from './translations';

export interface FilterOptions {
  /** `block`-level strings (locales/en.default.json). */
  locale: Locale;
  /** Where the storefront serves the extension's assets: `asset_url` prefixes file names with it. */
  assetBase: string;
  shop: { moneyFormat: string; moneyWithCurrencyFormat: string };
}

/** liquidjs passes `name: value` filter arguments as `[name, value]` pairs. */
function namedArguments(args: unknown[]): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  for (const arg of args) if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string') named[arg[0]] = arg[1];
  return named;
}

function imageSource(image: unknown): string {
  if (typeof image === 'string') return image;
  if (image && typeof image === 'object' && 'src' in image) return String((image as { src: unknown }).src);
  return '';
}

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The Shopify filters app blocks use, beside liquidjs's standard ones. The engine is strict about
 * filters, as Shopify is: a block calling one that is missing here fails the page render loudly.
 */
export function registerShopifyFilters(engine: Liquid, options: FilterOptions): void {
  const cents = (value: unknown) => Math.round(Number(value) || 0);
  engine.registerFilter('t', (key: unknown, ...args: unknown[]) => translate(options.locale, String(key), namedArguments(args)));
  engine.registerFilter('asset_url', (file: unknown) => `${options.assetBase}/${String(file)}`);
  engine.registerFilter('money', (value: unknown) => formatMoney(cents(value), options.shop.moneyFormat));
  engine.registerFilter('money_with_currency', (value: unknown) => formatMoney(cents(value), options.shop.moneyWithCurrencyFormat));
  engine.registerFilter('money_without_currency', (value: unknown) => formatMoney(cents(value), '{{amount}}'));
  engine.registerFilter('money_without_trailing_zeros', (value: unknown) => formatMoney(cents(value), options.shop.moneyFormat).replace(/[.,]00(?!\d)/, ''));
  engine.registerFilter('json', (value: unknown) => JSON.stringify(value ?? null));
  engine.registerFilter('img_url', (image: unknown) => imageSource(image));
  engine.registerFilter('image_url', (image: unknown, ...args: unknown[]) => {
    const { width, height } = namedArguments(args);
    const src = imageSource(image);
    const query = [width ? `width=${String(width)}` : '', height ? `height=${String(height)}` : ''].filter(Boolean).join('&');
    return query ? `${src}${src.includes('?') ? '&' : '?'}${query}` : src;
  });
  engine.registerFilter('image_tag', (src: unknown, ...args: unknown[]) => {
    const { alt, loading, width, height, class: cls } = namedArguments(args);
    const attrs = Object.entries({ src, alt: alt ?? '', loading, width, height, class: cls })
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `${k}="${escapeAttribute(String(v))}"`);
    return `<img ${attrs.join(' ')}>`;
  });
  engine.registerFilter('script_tag', (url: unknown) => `<script src="${escapeAttribute(String(url))}" type="text/javascript"></script>`);
  engine.registerFilter('stylesheet_tag', (url: unknown) => `<link href="${escapeAttribute(String(url))}" rel="stylesheet" type="text/css" media="all" />`);
  engine.registerFilter('handleize', (value: unknown) => String(value ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''));
  engine.registerFilter('handle', (value: unknown) => String(value ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''));
}
