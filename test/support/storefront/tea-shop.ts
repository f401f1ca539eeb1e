import type { ServingLists } from '../../../worker/train';
import type { StorefrontProduct, StorefrontShop } from '../../../shared/dev/storefront';

export const TEA_SHOP: StorefrontShop = {
  domain: 'tea-shop.myshopify.com',
  name: 'Tea Shop',
  currency: 'EUR',
  moneyFormat: '€{{amount_with_comma_separator}}',
  moneyWithCurrencyFormat: '€{{amount_with_comma_separator}} EUR',
};

/** Enough paragraphs to push everything after the description well below the fold. */
const LONG_DESCRIPTION = Array.from({ length: 12 }, (_, i) => `<p>Paragraph ${i + 1}: hand-thrown stoneware, glazed twice, fired slowly; it keeps tea hot for an hour and pours without a drip.</p>`).join('');

/** Every product has its own vendor and type, so diversity re-ranking keeps the published order. */
const product = (n: number, title: string, vendor: string, productType: string, priceMinor: number, extra: Partial<StorefrontProduct> = {}): StorefrontProduct => ({
  id: String(7_000 + n),
  handle: title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
  title,
  vendor,
  productType,
  priceMinor,
  variantId: String(4_000 + n),
  description: n === 1 ? LONG_DESCRIPTION : `<p>${title}.</p>`,
  ...extra,
});

export const TEAPOT = product(1, 'Blue teapot', 'Kiln & Co', 'Teapot', 4_800);
export const MUG = product(2, 'White mug', 'Acme', 'Mug', 1_250);
const STRAINER = product(3, 'Tea strainer', 'Sieve Works', 'Strainer', 900);
const GREEN_TEA = product(4, 'Sencha green tea', 'Leaf Lab', 'Tea', 1_500);
const COASTERS = product(5, 'Cork coasters', 'Corkery', 'Coaster', 1_100);
const HONEY = product(6, 'Wildflower honey', 'Hive Hill', 'Honey', 1_300);
const JUG = product(7, 'Milk jug', 'Pour Studio', 'Jug', 2_200);
const COSY = product(8, 'Knitted tea cosy', 'Woolly', 'Cosy', 1_900);
const TIMER = product(9, 'Sand timer', 'Hourglass Ltd', 'Timer', 800);
const CADDY = product(10, 'Tin tea caddy', 'Tinsmith', 'Caddy', 1_600);
const TRAY = product(11, 'Oak serving tray', 'Grain', 'Tray', 3_400);
/** In the published lists, but a draft: the storefront must never show it. */
export const DRAFT_KETTLE = product(12, 'Draft kettle', 'Boil Co', 'Kettle', 5_900, { status: 'draft' });

export const TEA_SHOP_PRODUCTS: StorefrontProduct[] = [TEAPOT, MUG, STRAINER, GREEN_TEA, COASTERS, HONEY, JUG, COSY, TIMER, CADDY, TRAY, DRAFT_KETTLE];

const ids = (...products: StorefrontProduct[]) => products.map((p) => p.id);

/**
 * What a training run published: the teapot's product list names the teapot itself and the draft
 * (both must be filtered), the mug's cart list names the mug (in the cart, so filtered too).
 */
export const TEA_SHOP_LISTS: ServingLists = {
  trending: ids(TRAY, CADDY, TIMER, COSY, JUG, HONEY),
  for_you: {},
  product: {
    [TEAPOT.id]: ids(MUG, TEAPOT, DRAFT_KETTLE, STRAINER, GREEN_TEA, COASTERS, HONEY, JUG, COSY, TIMER, CADDY, TRAY),
    [MUG.id]: ids(TEAPOT, COASTERS, HONEY, JUG, STRAINER, GREEN_TEA),
  },
  cart: {
    [MUG.id]: ids(MUG, COSY, TEAPOT, TIMER, DRAFT_KETTLE, CADDY, STRAINER, TRAY),
    [TEAPOT.id]: ids(MUG, STRAINER, GREEN_TEA, COSY, TIMER, CADDY),
  },
};

export const TEA_SHOP_MODEL_VERSION = '42';
