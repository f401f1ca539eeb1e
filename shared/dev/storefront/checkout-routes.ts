import express, { type Response, type Router } from 'express';
import { cartToken, cookieToken, setCartCookie } from './cart-routes';
import type { CartStore } from './cart-store';
import { checkoutIdOf, checkoutOrderPayload, type CheckoutOrderPayload } from './checkout-order';
import type { OrderWebhookSender } from './order-webhook';
import { formFields, rawBody } from './request-body';
import type { DeliveryOutcome } from '../../replay';

/** A checkout the storefront completed: the order it sent and the app's answer to the delivery. */
export interface PlacedOrder {
  checkoutId: string;
  order: CheckoutOrderPayload;
  delivery: DeliveryOutcome;
}

export interface CheckoutDeps {
  carts: CartStore;
  /** Where orders go; without one the checkout answers 503 (a storefront with no app to tell). */
  webhooks: OrderWebhookSender | null;
  /** Completed checkouts, oldest first. */
  placed: PlacedOrder[];
  now: () => number;
}

/** How a cart's checkout ended: its thank-you page and the shopper's next cart, or why the app refused it. */
type CheckoutResult = { ok: true; checkoutId: string; nextCart: string } | { ok: false; reason: string };

/** The thank-you page of a checkout. */
export const thankYouPath = (checkoutId: string) => `/checkouts/${checkoutId}/thank-you`;

function answer(res: Response, result: CheckoutResult): void {
  if (!result.ok) {
    res.status(502).type('text').send(`The order could not be delivered to the app (${result.reason}); your cart is kept.`);
    return;
  }
  setCartCookie(res, result.nextCart);
  res.redirect(303, thankYouPath(result.checkoutId));
}

/**
 * The cart form's "Check out" (`POST /cart` with `checkout`, as a theme's cart form posts it)
 * stands for Shopify's whole checkout: the shopper pays at once, the order is built from the cart
 * and delivered to the app as a signed orders/create webhook, the browser gets a new, empty cart
 * and lands on the order's thank-you page. A delivery the app refuses keeps the cart and says why.
 *
 * A cart is checked out once: a second "Check out" while the first is on its way (a double click)
 * waits for it, and one after it lands on the same thank-you page; the order is named by the cart
 * (checkoutIdOf), so even a retry after a refused delivery cannot make a second order. Lines added
 * while the order was on its way were not ordered: they move to the shopper's new cart.
 */
export function checkoutRoutes(deps: CheckoutDeps): Router {
  const router = express.Router();
  const inFlight = new Map<string, Promise<CheckoutResult>>();
  const completed = new Map<string, CheckoutResult>();

  const checkOut = async (token: string, webhooks: OrderWebhookSender): Promise<CheckoutResult> => {
    const cart = deps.carts.cart(token);
    const checkoutId = checkoutIdOf(token);
    const at = deps.now();
    const order = checkoutOrderPayload({ cart, checkoutId, at, landingSite: deps.carts.landingSite(token) });
    const delivery = await webhooks.send(order, at);
    if (delivery.outcome === 'failed') return { ok: false, reason: delivery.reason };
    const result: CheckoutResult = { ok: true, checkoutId, nextCart: deps.carts.newToken() };
    deps.placed.push({ checkoutId, order, delivery });
    deps.carts.checkedOut(token, cart.items, result.nextCart);
    completed.set(token, result);
    return result;
  };

  router.post('/cart', async (req, res) => {
    const fields = await formFields(await rawBody(req), req.headers['content-type'] ?? 'application/x-www-form-urlencoded');
    if (!fields.some(([name]) => name === 'checkout')) {
      res.redirect(303, '/cart');
      return;
    }
    // From here to inFlight.set nothing is awaited: no other request can start this cart's checkout in between.
    const sent = cookieToken(req);
    const earlier = sent === undefined ? undefined : (completed.get(sent) ?? inFlight.get(sent));
    if (earlier) {
      answer(res, await earlier);
      return;
    }
    const token = cartToken(req, res, deps.carts);
    if (deps.carts.cart(token).items.length === 0) {
      res.redirect(303, '/cart');
      return;
    }
    if (!deps.webhooks) {
      res.status(503).type('text').send('Checkout is off: this storefront was started without the app’s webhooks URL.');
      return;
    }
    const pending = checkOut(token, deps.webhooks);
    inFlight.set(token, pending);
    const settled = () => inFlight.delete(token);
    void pending.then(settled, settled);
    answer(res, await pending);
  });
  return router;
}
