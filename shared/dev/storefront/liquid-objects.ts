import { Drop } from 'liquidjs';
import { toMinorUnits } from '../../money';
import type { Cart } from './cart-store';
import type { CheckoutOrderPayload } from './checkout-order';
import type { StorefrontCatalog, StorefrontProduct, StorefrontShop } from './storefront-catalog';

/** `{{ template }}` prints its name; `template.name` and `template.suffix` read its parts. */
class TemplateDrop extends Drop {
  constructor(
    readonly name: string,
    readonly suffix: null = null,
  ) {
    super();
  }
  override valueOf(): string {
    return this.name;
  }
}

/** Shopify's `product` object: ids are numbers, prices integer minor units. */
export function productObject(p: StorefrontProduct, catalog: StorefrontCatalog) {
  const image = { src: catalog.imageUrl(p), alt: p.title, width: 800, height: 800, aspect_ratio: 1 };
  const variant = {
    id: Number(p.variantId),
    product_id: Number(p.id),
    title: 'Default Title',
    price: p.priceMinor,
    available: true,
    url: `/products/${p.handle}?variant=${p.variantId}`,
  };
  return {
    id: Number(p.id),
    handle: p.handle,
    title: p.title,
    vendor: p.vendor,
    type: p.productType,
    url: `/products/${p.handle}`,
    price: p.priceMinor,
    price_min: p.priceMinor,
    price_max: p.priceMinor,
    available: true,
    description: p.description,
    featured_image: image,
    images: [image],
    tags: [],
    collections: [],
    has_only_default_variant: true,
    variants: [variant],
    selected_variant: null,
    selected_or_first_available_variant: variant,
    first_available_variant: variant,
  };
}

export function cartObject(cart: Cart, catalog: StorefrontCatalog) {
  return {
    token: cart.token,
    item_count: cart.item_count,
    total_price: cart.total_price,
    currency: { iso_code: cart.currency },
    attributes: cart.attributes,
    items: cart.items.map((line) => ({
      ...line,
      final_price: line.price,
      final_line_price: line.line_price,
      product: productObject(catalog.withId(String(line.product_id)), catalog),
    })),
  };
}

/**
 * Shopify's `order` object on the thank-you page: amounts in minor units (the `money` filter's
 * input), each line with its product's URL and image. Hidden (`_`) properties stay hidden.
 */
export function orderObject(order: CheckoutOrderPayload, catalog: StorefrontCatalog) {
  const minor = (amount: string) => toMinorUnits(amount, order.currency);
  return {
    id: order.id,
    name: order.name,
    order_number: order.order_number,
    created_at: order.created_at,
    total_price: minor(order.total_price),
    line_items: order.line_items.map((line) => {
      const product = catalog.withVariant(String(line.variant_id));
      return {
        title: line.title,
        quantity: line.quantity,
        final_line_price: minor(line.price) * line.quantity,
        url: product ? `/products/${product.handle}` : null,
        image: product ? catalog.imageUrl(product) : null,
      };
    }),
  };
}

export function shopObject(shop: StorefrontShop, url: string) {
  return {
    name: shop.name,
    permanent_domain: shop.domain,
    domain: shop.domain,
    url,
    secure_url: url,
    currency: shop.currency,
    money_format: shop.moneyFormat,
    money_with_currency_format: shop.moneyWithCurrencyFormat,
    locale: 'en',
  };
}

/** The globals every page and block sees: shop, request, template, routes; `customer` is nil (logged out). */
export function pageGlobals(options: { shop: StorefrontShop; url: string; pageType: string; path: string; cart: Cart; catalog: StorefrontCatalog; settings?: Record<string, unknown> }) {
  const { host, origin } = new URL(options.url);
  return {
    shop: shopObject(options.shop, options.url),
    cart: cartObject(options.cart, options.catalog),
    customer: null,
    request: { page_type: options.pageType, path: options.path, host, origin, design_mode: false, visual_preview_mode: false, locale: { iso_code: 'en', primary: true, root_url: '/' } },
    template: new TemplateDrop(options.pageType),
    routes: { root_url: '/', cart_url: '/cart', cart_add_url: '/cart/add', cart_change_url: '/cart/change', cart_update_url: '/cart/update', search_url: '/search' },
    localization: { language: { iso_code: 'en' }, country: { iso_code: 'GB', currency: { iso_code: options.shop.currency } } },
    app: { metafields: {} },
    settings: options.settings ?? {},
  };
}
