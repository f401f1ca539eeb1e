import express, { type Request, type Response, type Router } from 'express';
import type { AddItem, CartStore } from './cart-store';
import { formFields, rawBody } from './request-body';

const CART_COOKIE = 'cart';

/** The `cart` cookie's token as the browser sent it (undefined: no cart yet). */
function cookieToken(req: Request): string | undefined {
  const cookie = (req.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${CART_COOKIE}=`));
  return cookie?.slice(CART_COOKIE.length + 1);
}

/** Sets the browser's `cart` cookie. */
function setCartCookie(res: Response, token: string): void {
  res.cookie(CART_COOKIE, token, { path: '/', sameSite: 'lax' });
}

/**
 * The cart token from the `cart` cookie, set on first use as Shopify does. A checked-out cart's
 * token stands for the shopper's next cart (a request sent with the old cookie while the checkout
 * was on its way): the cookie is brought up to date.
 */
function cartToken(req: Request, res: Response, carts: CartStore): string {
  const sent = cookieToken(req);
  const token = sent === undefined ? carts.newToken() : carts.current(sent);
  if (token !== sent) setCartCookie(res, token);
  return token;
}

type JsonItem = { id?: unknown; quantity?: unknown; properties?: unknown };

function fromJson(item: JsonItem): AddItem {
  const properties = item.properties && typeof item.properties === 'object' ? (item.properties as Record<string, unknown>) : {};
  return {
    id: String(item.id ?? ''),
    quantity: item.quantity === undefined ? 1 : Number(item.quantity),
    properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, String(v)])),
  };
}

/** `id`, `quantity`, `properties[name]`, or `items[n][id]`… as a theme's form posts them. */
function fromForm(fields: Array<[string, string]>): AddItem[] {
  const items = new Map<string, JsonItem & { properties: Record<string, string> }>();
  const item = (n: string) => items.get(n) ?? items.set(n, { properties: {} }).get(n)!;
  for (const [name, value] of fields) {
    const indexed = /^items\[(\d+)\]\[(\w+)\](?:\[([^\]]+)\])?$/.exec(name);
    const [n, field, property] = indexed ? [indexed[1]!, indexed[2]!, indexed[3]] : ['', name.replace(/\[.*$/, ''), /^properties\[([^\]]+)\]$/.exec(name)?.[1]];
    if (field === 'properties' && property) item(n).properties[property] = value;
    else if (field === 'id' || field === 'quantity') item(n)[field] = value;
  }
  return [...items.values()].map(fromJson);
}

async function addItems(req: Request): Promise<{ items: AddItem[]; batch: boolean }> {
  const contentType = req.headers['content-type'] ?? '';
  const body = await rawBody(req);
  if (contentType.includes('application/json')) {
    const json = JSON.parse(body.toString('utf8')) as JsonItem & { items?: JsonItem[] };
    return Array.isArray(json.items) ? { items: json.items.map(fromJson), batch: true } : { items: [fromJson(json)], batch: false };
  }
  const fields = await formFields(body, contentType);
  return { items: fromForm(fields), batch: fields.some(([name]) => name.startsWith('items[')) };
}

/**
 * The Ajax Cart API the blocks call (`POST /cart/add.js`, `POST /cart/update.js` for attributes,
 * `GET /cart.js`) and the product form's
 * plain `POST /cart/add`, which redirects to the cart.
 */
export function cartRoutes(carts: CartStore): Router {
  const router = express.Router();
  router.post('/cart/add.js', async (req, res) => {
    const token = cartToken(req, res, carts);
    const { items, batch } = await addItems(req);
    const outcome = carts.add(token, items);
    if (!outcome.ok) {
      res.status(outcome.status).json({ status: outcome.status, message: 'Cart Error', description: outcome.description });
      return;
    }
    res.json(batch ? { items: outcome.lines } : outcome.lines[0]);
  });
  router.post('/cart/add', async (req, res) => {
    const token = cartToken(req, res, carts);
    const outcome = carts.add(token, (await addItems(req)).items);
    if (!outcome.ok) res.status(outcome.status).type('text').send(outcome.description);
    else res.redirect(303, '/cart');
  });
  router.post('/cart/update.js', async (req, res) => {
    const token = cartToken(req, res, carts);
    const json = JSON.parse((await rawBody(req)).toString('utf8') || '{}') as { attributes?: unknown };
    const given = json.attributes && typeof json.attributes === 'object' ? (json.attributes as Record<string, unknown>) : {};
    res.json(carts.updateAttributes(token, Object.fromEntries(Object.entries(given).map(([k, v]) => [k, v == null ? '' : String(v)]))));
  });
  router.get('/cart.js', (req, res) => {
    res.json(carts.cart(cartToken(req, res, carts)));
  });
  return router;
}

export { cartToken, cookieToken, setCartCookie };
