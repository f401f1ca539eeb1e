/*! Shelfwise <shelfwise-tracking>, built from extensions/src/shelfwise-tracking.js.
 data-*: product-id variant-ids proxy cart-url. Adds properties[_shelfwise] to the product's cart
 forms from ?sw_token=; sends add_to_cart to <proxy>/events once the add succeeded; with consent
 puts the visitor id on the cart (_shelfwise_visitor). */
/*
 * <shelfwise-tracking>: rendered on every page by the app embed "Shelfwise tracking"
 * (blocks/tracking.liquid); without data-product-id (not a product page) it only tags the cart
 * (below). On a product page: a Shelfwise card links to /products/<handle>?sw_token=<token>; this
 * element keeps that token for the product (sessionStorage, key shelfwise:token:<product id>),
 * takes it out of the address bar, and, when the token names this product, adds
 * <input type="hidden" name="properties[_shelfwise]" value="<token>"> to the product's
 * add-to-cart forms, so the order line says which recommendation sold it (docs/storefront.md).
 * Submitting such a form sends an add_to_cart event once the cart confirms the add:
 * - a theme that adds to the cart itself (its submit handler prevents the default, e.g. Dawn's
 *   <product-form>) is left alone; the event goes when <cart-url>.js shows the token's line with
 *   more of the variant than it held when the page started or at the last confirmed add (read
 *   before any submit, so the theme's own add cannot race it; checked after 1, 2 and 4 s);
 * - a form the browser would post (a page navigation, after which nothing can be sent) is posted
 *   by this element to <form action>.js instead, then the page goes to <cart-url> as Shopify's
 *   /cart/add redirect would; if that fails, the form is submitted as it was, without the event.
 *
 * data-* attributes:
 *   data-product-id   the product on the page (absent elsewhere)
 *   data-variant-ids  its variant ids, comma-separated: a form is the product's when its `id`
 *                     field holds one of them (or its product-id field holds the product id)
 *   data-proxy        the app proxy path, /apps/shelfwise
 *   data-cart-url     routes.cart_url (/cart, /fr/cart; default /cart)
 *
 * Sent to POST <proxy>/events: add_to_cart {id, type, token, at, variant_id, quantity}, with
 * consent.analytics from Shopify's Customer Privacy API and, only with that consent, the
 * visitor id kept in localStorage. With consent it also records the product among the recently
 * viewed ones (localStorage, for "Recommended for you"); without it nothing is stored there.
 * With that consent the cart carries the visitor id as the cart attribute _shelfwise_visitor
 * (POST <cart-url>/update.js, on any page, again for each new cart), so orders name their visitor
 * (docs/holdout.md).
 */
(() => {
  const TAG = 'shelfwise-tracking';
  if (customElements.get(TAG)) return;

  const VISITOR_KEY = 'shelfwise:visitor';
  const RECENT_KEY = 'shelfwise:recent';
  const PROPERTY = 'properties[_shelfwise]';
  const URL_PARAM = 'sw_token';
  const ID = /^\d{1,20}$/;

  const shopify = () => window.Shopify || {};

  // true or false once Shopify's Customer Privacy API is on the page; null while it is not.
  const consent = () => {
    try {
      const privacy = shopify().customerPrivacy;
      if (!privacy || typeof privacy.analyticsProcessingAllowed !== 'function') return null;
      return Boolean(privacy.analyticsProcessingAllowed());
    } catch {
      return null;
    }
  };

  // The API loads on demand; storage waits for it (at most 2 s), and an unknown answer is a no.
  const privacyReady = new Promise((resolve) => {
    try {
      const s = shopify();
      if (s.customerPrivacy || typeof s.loadFeatures !== 'function') return resolve();
      setTimeout(resolve, 2000);
      s.loadFeatures([{ name: 'consent-tracking-api', version: '0.1' }], () => resolve());
    } catch {
      resolve();
    }
  });

  const storage = (kind, use) => {
    try {
      return use(window[kind]);
    } catch {
      return null;
    }
  };

  const forget = () => storage('localStorage', (s) => {
    s.removeItem(VISITOR_KEY);
    s.removeItem(RECENT_KEY);
  });

  // Analytics consent given; a refusal also removes what an earlier consent stored.
  const allowed = () => {
    const given = consent();
    if (given === false) forget();
    return given === true;
  };

  const randomId = () => {
    const c = window.crypto;
    if (c && typeof c.randomUUID === 'function') return c.randomUUID();
    return Array.from(c.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  };

  const visitorId = () => {
    if (!allowed()) return null;
    return storage('localStorage', (s) => {
      let id = s.getItem(VISITOR_KEY);
      if (!/^[0-9A-Za-z_-]{8,64}$/.test(id || '')) {
        id = randomId().replace(/-/g, '');
        s.setItem(VISITOR_KEY, id);
      }
      return id;
    });
  };

  // With consent the cart carries the visitor id as the attribute _shelfwise_visitor, so the order
  // names its visitor for the holdout's lift (docs/holdout.md); cleared when consent is withdrawn.
  // sessionStorage keeps "<visitor> <cart cookie>" once that cart is known to carry it: a page with
  // the same cart sends nothing, a new cart (after a checkout) is tagged again. Without a readable
  // cart cookie, /cart.js is read once per page.
  const CART_VISITOR = '_shelfwise_visitor';
  const CART_FLAG = 'shelfwise:cart-visitor';
  const cartCookie = () => {
    try {
      return (/(?:^|;\s*)cart=([^;]+)/.exec(document.cookie) || [])[1] || '';
    } catch {
      return '';
    }
  };
  const tagCart = async (cartUrl) => {
    await privacyReady;
    const visitor = visitorId() || '';
    const flagged = storage('sessionStorage', (s) => s.getItem(CART_FLAG)) || '';
    const cookie = cartCookie();
    if ((visitor ? cookie && flagged === `${visitor} ${cookie}` : !flagged) || typeof fetch !== 'function') return;
    const cart = await (await fetch(`${cartUrl}.js`, { headers: { Accept: 'application/json' } })).json();
    const carried = (cart.attributes || {})[CART_VISITOR] || '';
    if (carried !== visitor && (visitor || carried)) {
      const response = await fetch(`${cartUrl}/update.js`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ attributes: { [CART_VISITOR]: visitor } }),
      });
      if (!response.ok) return;
    }
    // Read again: updating may have created the cart and its cookie.
    storage('sessionStorage', (s) => (visitor ? s.setItem(CART_FLAG, `${visitor} ${cartCookie()}`) : s.removeItem(CART_FLAG)));
  };

  const rememberViewed = async (productId) => {
    await privacyReady;
    if (!allowed()) return;
    storage('localStorage', (s) => {
      const stored = JSON.parse(s.getItem(RECENT_KEY) || '[]');
      const others = Array.isArray(stored) ? stored.filter((id) => ID.test(id) && id !== productId) : [];
      s.setItem(RECENT_KEY, JSON.stringify([productId, ...others].slice(0, 20)));
    });
  };

  const send = (url, json) => {
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(url, json)) return;
    } catch {
      // fall through to fetch
    }
    try {
      fetch(url, { method: 'POST', keepalive: true, headers: { 'Content-Type': 'application/json' }, body: json }).catch(() => {});
    } catch {
      // events are best effort
    }
  };

  // A token is 1.<placement><sponsored>.<slot>.<product id>.…; it names the product in its 4th part.
  const names = (token, productId) => typeof token === 'string' && token.length <= 300 && token.split('.')[3] === productId;

  const field = (form, name) => {
    const item = form.elements.namedItem(name);
    return item && typeof item.value === 'string' ? item.value : '';
  };

  class ShelfwiseTracking extends HTMLElement {
    connectedCallback() {
      const d = this.dataset;
      this.productId = d.productId || '';
      if (this.started) return;
      this.started = true;
      tagCart(d.cartUrl || '/cart').catch(() => {});
      // Any other template: the cart only.
      if (!ID.test(this.productId)) return;
      this.proxy = d.proxy || '/apps/shelfwise';
      this.variants = new Set((d.variantIds || '').split(',').filter((id) => ID.test(id)));
      rememberViewed(this.productId).catch(() => {});
      try {
        this.token = this.readToken();
      } catch {
        return;
      }
      if (!this.token) return;
      this.tagForms();
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => this.tagForms(), { once: true });
      this.cartUrl = d.cartUrl || '/cart';
      // What the cart holds of this token's lines, read now, before any submit: a read made at
      // submit time races the add of a theme that posts by script.
      this.baseline = typeof fetch === 'function' ? this.tokenLines() : Promise.resolve(null);
      // Capture phase on document: runs before the theme's own submit handler reads the form.
      this.onSubmit = (event) => this.submitting(event.target);
      document.addEventListener('submit', this.onSubmit, true);
      // Bubble phase on window: runs after the theme's handlers, which may have taken the submit.
      this.onSubmitted = (event) => this.submitted(event);
      addEventListener('submit', this.onSubmitted);
    }

    disconnectedCallback() {
      if (this.onSubmit) document.removeEventListener('submit', this.onSubmit, true);
      if (this.onSubmitted) removeEventListener('submit', this.onSubmitted);
      this.started = false;
    }

    readToken() {
      const key = `shelfwise:token:${this.productId}`;
      const url = new URL(location.href);
      const fromUrl = url.searchParams.get(URL_PARAM);
      if (fromUrl !== null) {
        if (names(fromUrl, this.productId)) storage('sessionStorage', (s) => s.setItem(key, fromUrl));
        // A shared or bookmarked link should not carry this visit's token.
        url.searchParams.delete(URL_PARAM);
        history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
      }
      const token = storage('sessionStorage', (s) => s.getItem(key));
      return names(token, this.productId) ? token : null;
    }

    isProductForm(form) {
      if (!(form instanceof HTMLFormElement) || !/\/cart\/add/.test(form.getAttribute('action') || '')) return false;
      return this.variants.has(field(form, 'id')) || field(form, 'product-id') === this.productId;
    }

    tag(form) {
      let input = [...form.elements].find((e) => e.name === PROPERTY);
      if (!input) {
        input = document.createElement('input');
        input.type = 'hidden';
        input.name = PROPERTY;
        form.append(input);
      }
      input.value = this.token;
    }

    tagForms() {
      document.querySelectorAll('form[action*="/cart/add"]').forEach((form) => {
        if (this.isProductForm(form)) this.tag(form);
      });
    }

    submitting(form) {
      this.pending = null;
      try {
        if (!this.isProductForm(form)) return;
        this.tag(form);
        // What the cart held before this submit, should the theme add by itself.
        this.pending = { form, before: this.baseline };
      } catch {
        // never in the way of the shopper's add to cart
      }
    }

    submitted(event) {
      const pending = this.pending;
      this.pending = null;
      if (!pending || pending.form !== event.target) return;
      try {
        const form = pending.form;
        const variantId = field(form, 'id');
        const quantity = Math.min(Math.max(Math.floor(Number(field(form, 'quantity'))) || 1, 1), 1000);
        const added = () => this.sendAdded(variantId, quantity);
        if (event.defaultPrevented) {
          this.confirm(pending.before, variantId, added).catch(() => {});
          return;
        }
        if (typeof fetch !== 'function' || typeof FormData !== 'function') return;
        // getAttribute: a field named "action" would shadow form.action.
        const url = new URL(form.getAttribute('action'), location.href);
        url.pathname = url.pathname.replace(/(\.js)?$/, '.js');
        const body = new FormData(form);
        event.preventDefault();
        if (this.posting) return;
        this.posting = true;
        fetch(url, { method: 'POST', body, headers: { Accept: 'application/json' } })
          .then((response) => response.ok, () => false)
          .then((ok) => {
            this.posting = false;
            // Not added: the form's own way, which fires no submit event; Shopify's /cart/add answers
            // the shopper, error included. prototype.submit: a field named "submit" would shadow it.
            if (!ok) return HTMLFormElement.prototype.submit.call(form);
            try {
              added();
            } catch {
              // the event is best effort; the add happened
            }
            location.assign(this.cartUrl);
          })
          .catch(() => {});
      } catch {
        // never in the way of the shopper's add to cart
      }
    }

    // Variant id -> quantity of the cart lines carrying this token; null when the cart cannot be read.
    async tokenLines() {
      try {
        const response = await fetch(`${this.cartUrl}.js`, { headers: { Accept: 'application/json' } });
        const cart = await response.json();
        const lines = new Map();
        for (const item of cart.items) {
          if (!item.properties || item.properties._shelfwise !== this.token) continue;
          const id = String(item.variant_id);
          lines.set(id, (lines.get(id) || 0) + item.quantity);
        }
        return lines;
      } catch {
        return null;
      }
    }

    async confirm(before, variantId, added) {
      const was = await before;
      if (!was) return;
      for (const wait of [1000, 1000, 2000]) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        const now = await this.tokenLines();
        if (!now) return;
        if ((now.get(variantId) || 0) > (was.get(variantId) || 0)) {
          this.baseline = Promise.resolve(now);
          return added();
        }
      }
    }

    sendAdded(variantId, quantity) {
      const event = { id: randomId(), type: 'add_to_cart', token: this.token, at: Date.now(), quantity };
      if (ID.test(variantId)) event.variant_id = variantId;
      const analytics = allowed();
      const body = { consent: { analytics }, events: [event] };
      const visitor = analytics && visitorId();
      if (visitor) body.visitor_id = visitor;
      send(`${this.proxy}/events`, JSON.stringify(body));
    }
  }


  customElements.define(TAG, ShelfwiseTracking);
})();
