import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import { cartToken, newCart } from './cart-routes';
import type { CartStore } from './cart-store';
import { checkoutOrderPayload, type CheckoutOrderPayload } from './checkout-order';
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

/** The thank-you page of a checkout. */
export const thankYouPath = (checkoutId: string) => `/checkouts/${checkoutId}/thank-you`;

/**
 * The cart form's "Check out" (`POST /cart` with `checkout`, as a theme's cart form posts it)
 * stands for Shopify's whole checkout: the shopper pays at once, the order is built from the cart
 * and delivered to the app as a signed orders/create webhook, the browser gets a new, empty cart
 * and lands on the order's thank-you page. A delivery the app refuses keeps the cart and says why.
 */
export function checkoutRoutes(deps: CheckoutDeps): Router {
  const router = express.Router();
  router.post('/cart', async (req, res) => {
    const fields = await formFields(await rawBody(req), req.headers['content-type'] ?? 'application/x-www-form-urlencoded');
    const token = cartToken(req, res, deps.carts);
    const cart = deps.carts.cart(token);
    if (!fields.some(([name]) => name === 'checkout') || cart.items.length === 0) {
      res.redirect(303, '/cart');
      return;
    }
    if (!deps.webhooks) {
      res.status(503).type('text').send('Checkout is off: this storefront was started without the app’s webhooks URL.');
      return;
    }
    const checkoutId = randomUUID().replace(/-/g, '');
    const at = deps.now();
    const order = checkoutOrderPayload({ cart, checkoutId, at });
    const delivery = await deps.webhooks.send(order, at);
    if (delivery.outcome === 'failed') {
      res.status(502).type('text').send(`The order could not be delivered to the app (${delivery.reason}); your cart is kept.`);
      return;
    }
    deps.placed.push({ checkoutId, order, delivery });
    deps.carts.checkedOut(token);
    newCart(res, deps.carts);
    res.redirect(303, thankYouPath(checkoutId));
  });
  return router;
}
