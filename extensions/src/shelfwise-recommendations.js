/*! Shelfwise <shelfwise-recommendations>, built from extensions/src/shelfwise-recommendations.js.
 data-*: endpoint placement product-id cart limit max-per-vendor proxy root locale currency
 money-format template image-ratio show-price show-vendor show-add-to-cart show-reason sponsored
 t-add-to-cart t-adding t-added t-add-error t-sponsored.
 Events to <proxy>/events: impression, click, add_to_cart. Dispatches cart:refresh. */
/*
 * <shelfwise-recommendations>: one Shelfwise recommendation block, rendered with its heading and
 * skeleton cards by snippets/shelfwise-recommendations.liquid. Near the viewport it fetches its list
 * from the app proxy, replaces the skeleton with product cards and reports what the shopper saw and
 * did (docs/storefront.md). Any failure, non-200 answer or empty list hides the block, quietly.
 *
 * data-* attributes (strings, all written by the snippet):
 *   data-endpoint        recommendations | sponsored: GET <proxy>/<endpoint>
 *   data-placement       related | fbt | for_you | cart
 *   data-product-id      the product on the page, or empty
 *   data-cart            comma-separated product ids in the cart, or empty
 *   data-limit           products asked for, 1-20
 *   data-max-per-vendor  1-20
 *   data-proxy           the app proxy path, /apps/shelfwise
 *   data-root            routes.root_url (/ or /fr): product links and /cart/add.js
 *   data-locale          request.locale.iso_code, for prices (default: <html lang>)
 *   data-currency        shop.currency: the currency data-money-format is for
 *   data-money-format    shop.money_format without HTML ("€{{amount_with_comma_separator}}"): prices
 *                        in data-currency are written as the theme's own `money` filter writes them;
 *                        other currencies, or no format, through Intl.NumberFormat
 *   data-template        the page's template name; on cart the page reloads after an add to cart
 *                        unless a listener cancels the cart:refresh event
 *   data-image-ratio     square | portrait | adapt
 *   data-show-price, data-show-vendor, data-show-add-to-cart, data-show-reason: true | false
 *   data-sponsored       true: every card is labelled Sponsored (the sponsored slot)
 *   data-sponsored-slots sponsored products a recommendation block allows (0-2); each is labelled
 *   data-t-add-to-cart, data-t-adding, data-t-added, data-t-add-error, data-t-sponsored:
 *                        storefront strings, translated by the `t` filter
 *
 * GET <proxy>/<endpoint> carries visitor=<visitor id> with analytics consent: a visitor of the
 * shop's holdout group gets no products (docs/holdout.md), and the block stays hidden.
 * Sent to POST <proxy>/events in batches (navigator.sendBeacon, else fetch keepalive), each event
 * with a random id: impression (card at least 50 % visible for 1 s; once per token), click (card
 * link), add_to_cart (the card's button; variant_id, quantity 1). With analytics consent (Shopify's
 * Customer Privacy API) a random visitor id and recently viewed product ids live in localStorage;
 * without it nothing is stored and consent.analytics is false.
 * Dispatched: cart:refresh (bubbles, cancelable; detail {source: 'shelfwise', items, variantId})
 * after a product is added to the cart, for the theme to refresh its cart.
 */
(() => {
  const TAG = 'shelfwise-recommendations';
  if (customElements.get(TAG)) return;

  const VISITOR_KEY = 'shelfwise:visitor';
  const RECENT_KEY = 'shelfwise:recent';
  const ID = /^\d{1,20}$/;
  const MAX_EVENTS = 50;

  let proxy = '/apps/shelfwise';
  let queue = [];
  let flushTimer = 0;
  let rememberedProduct = false;
  // Blocks fetch one after another, so that each can exclude the products the others show, and
  // blocks waiting together go in page order: the first block on the page gets the top of a list.
  const waiting = new Set();
  let loading = false;
  const impressed = new Set();

  const shopify = () => window.Shopify || {};
  const designMode = () => Boolean(shopify().designMode);

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

  const storage = (use) => {
    try {
      return use(window.localStorage);
    } catch {
      return null;
    }
  };

  const forget = () => storage((s) => {
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
    return storage((s) => {
      let id = s.getItem(VISITOR_KEY);
      if (!/^[0-9A-Za-z_-]{8,64}$/.test(id || '')) {
        id = randomId().replace(/-/g, '');
        s.setItem(VISITOR_KEY, id);
      }
      return id;
    });
  };

  const recent = () => {
    if (!allowed()) return [];
    const list = storage((s) => JSON.parse(s.getItem(RECENT_KEY) || '[]'));
    return Array.isArray(list) ? list.filter((id) => ID.test(id)) : [];
  };

  const rememberViewed = async (productId) => {
    if (rememberedProduct || !ID.test(productId || '')) return;
    rememberedProduct = true;
    await privacyReady;
    if (!allowed()) return;
    const list = [productId, ...recent().filter((id) => id !== productId)].slice(0, 20);
    storage((s) => s.setItem(RECENT_KEY, JSON.stringify(list)));
  };

  const send = (json) => {
    const url = `${proxy}/events`;
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

  const flush = () => {
    clearTimeout(flushTimer);
    while (queue.length) {
      const analytics = allowed();
      const body = { consent: { analytics }, events: queue.splice(0, MAX_EVENTS) };
      const visitor = analytics && visitorId();
      if (visitor) body.visitor_id = visitor;
      send(JSON.stringify(body));
    }
  };

  const track = (type, token, extra) => {
    if (designMode()) return;
    queue.push({ id: randomId(), type, token, at: Date.now(), ...extra });
    clearTimeout(flushTimer);
    // Impressions wait for company; a click or an add to cart may be followed by a navigation.
    if (type === 'impression' && queue.length < MAX_EVENTS) flushTimer = setTimeout(flush, 2000);
    else flush();
  };

  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });


  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  };

  // Shopify's money format placeholders: thousands separator, then the decimal mark (none: no decimals).
  const SEPARATORS = {
    amount: ',.',
    amount_no_decimals: ',',
    amount_with_comma_separator: '.,',
    amount_no_decimals_with_comma_separator: '.',
    amount_with_apostrophe_separator: "'.",
  };

  // As themes' formatMoney (these five placeholders); null when the format names none of them.
  const moneyFormat = (amount, format) => {
    const text = format.replace(/{{\s*(\w+)\s*}}/g, (all, name) => {
      const s = SEPARATORS[name];
      // typeof: a name such as `constructor` reaches Object.prototype.
      if (typeof s !== 'string') return all;
      const [whole, fraction] = amount.toFixed(s[1] ? 2 : 0).split('.');
      return whole.replace(/\B(?=(\d{3})+$)/g, s[0]) + (fraction ? s[1] + fraction : '');
    });
    return text === format ? null : text;
  };

  const formatPrice = (p, d) => {
    if (!Number.isSafeInteger(p.price_minor) || typeof p.currency !== 'string') return '';
    const options = { style: 'currency', currency: p.currency };
    try {
      // Minor-unit exponent as the server computes it (shared/money): JPY 0, EUR 2, KWD 3.
      const amount = p.price_minor / 10 ** new Intl.NumberFormat('en', options).resolvedOptions().maximumFractionDigits;
      const text = d.moneyFormat && d.currency === p.currency && moneyFormat(amount, d.moneyFormat);
      if (text) return text;
      let format;
      try {
        format = new Intl.NumberFormat(d.locale || document.documentElement.lang || undefined, options);
      } catch {
        format = new Intl.NumberFormat(undefined, options);
      }
      return format.format(amount);
    } catch {
      return '';
    }
  };

  const isProduct = (p) => Boolean(p) && ID.test(String(p.id)) && typeof p.handle === 'string' && p.handle !== ''
    && typeof p.title === 'string' && typeof p.token === 'string' && p.token !== '' && p.token.length <= 300;

  class ShelfwiseRecommendations extends HTMLElement {
    connectedCallback() {
      if (this.started) return;
      this.started = true;
      this.shown = [];
      this.timers = new Map();
      const d = this.dataset;
      proxy = d.proxy || proxy;
      this.list = this.querySelector('.sw__list');
      this.section = this.querySelector('.sw__section');
      if (!this.list || !this.section) return this.fail();
      rememberViewed(d.productId).catch(() => {});
      this.wireCarousel();
      if (!('IntersectionObserver' in window)) return this.queueLoad();
      this.near = new IntersectionObserver((entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this.near.disconnect();
        this.queueLoad();
      }, { rootMargin: '0px 0px 400px 0px' });
      this.near.observe(this);
    }

    // The observers stay: the theme editor moves blocks by detaching and re-attaching them, and an
    // observer reports a detached element as not intersecting.
    disconnectedCallback() {
      this.timers.forEach(clearTimeout);
      this.timers.clear();
    }

    async queueLoad() {
      waiting.add(this);
      if (loading) return;
      loading = true;
      // A task later: every observer told in this frame has queued its block.
      await new Promise((resolve) => setTimeout(resolve));
      while (waiting.size) {
        const next = [...document.querySelectorAll(TAG)].find((block) => waiting.has(block)) || [...waiting][0];
        waiting.delete(next);
        await next.load().catch(() => next.fail());
      }
      loading = false;
    }

    othersShown() {
      const ids = new Set();
      document.querySelectorAll(TAG).forEach((block) => {
        if (block !== this) (block.shown || []).forEach((id) => ids.add(id));
      });
      return [...ids].slice(0, 50);
    }

    async load() {
      const d = this.dataset;
      const limit = Math.min(Math.max(Number(d.limit) || 4, 1), 20);
      const query = new URLSearchParams({ placement: d.placement || 'for_you', limit: String(limit) });
      const add = (key, value) => {
        if (value) query.set(key, value);
      };
      add('product_id', d.productId);
      add('cart', d.cart);
      add('exclude', this.othersShown().join(','));
      add('max_per_vendor', d.maxPerVendor);
      if (d.endpoint !== 'sponsored') add('sponsored', d.sponsoredSlots);
      // The visitor id decides the holdout group (docs/holdout.md): consent is known first, so a
      // held-out visitor's blocks never show while the privacy API loads.
      await privacyReady;
      add('visitor', visitorId());
      if (d.placement === 'for_you') add('recent', recent().join(','));
      const endpoint = d.endpoint === 'sponsored' ? 'sponsored' : 'recommendations';
      const abort = new AbortController();
      const timeout = setTimeout(() => abort.abort(), 8000);
      try {
        const response = await fetch(`${proxy}/${endpoint}?${query}`, {
          headers: { Accept: 'application/json' },
          signal: abort.signal,
        });
        if (response.status !== 200) return this.fail();
        const answer = await response.json();
        const products = (answer && Array.isArray(answer.products) ? answer.products : []).filter(isProduct).slice(0, limit);
        if (!products.length) return this.fail();
        this.render(products);
      } catch {
        this.fail();
      } finally {
        clearTimeout(timeout);
      }
    }

    fail() {
      if (this.section) this.section.removeAttribute('aria-busy');
      // In the theme editor the block keeps its skeleton, so the merchant can see where it sits.
      if (!designMode()) this.hidden = true;
    }

    render(products) {
      const cards = products.map((p) => this.card(p));
      this.list.replaceChildren(...cards);
      this.shown = products.map((p) => String(p.id));
      this.section.removeAttribute('aria-busy');
      this.observeImpressions(cards);
      this.updateArrows();
    }

    card(p) {
      const d = this.dataset;
      const li = el('li', 'sw-card');
      li.dataset.token = p.token;
      const link = el('a', 'sw-card__link');
      link.href = this.productUrl(p);
      link.addEventListener('click', () => track('click', p.token));
      const media = el('div', 'sw-card__media');
      const image = this.image(p);
      if (image) media.append(image);
      link.append(media);
      if (d.sponsored === 'true' || p.sponsored === true) link.append(el('span', 'sw-card__badge', d.tSponsored || 'Sponsored'));
      link.append(el('span', 'sw-card__title', p.title));
      li.append(link);
      // Lines are kept even when empty, so every card has the skeleton's height.
      if (d.showVendor === 'true') li.append(el('p', 'sw-card__vendor', typeof p.vendor === 'string' ? p.vendor : ''));
      if (d.showPrice === 'true') li.append(el('p', 'sw-card__price', formatPrice(p, d)));
      if (d.showReason === 'true') li.append(el('p', 'sw-card__reason', typeof p.reason === 'string' ? p.reason : ''));
      if (d.showAddToCart === 'true') {
        li.append(ID.test(String(p.variant_id)) ? this.addButton(p) : el('span', 'sw-card__add sw-card__add--none'));
      }
      return li;
    }

    root() {
      return (this.dataset.root || '/').replace(/\/?$/, '/');
    }

    productUrl(p) {
      return `${this.root()}products/${encodeURIComponent(p.handle)}?sw_token=${encodeURIComponent(p.token)}`;
    }

    image(p) {
      if (typeof p.image !== 'string' || !/^(https:)?\/\//.test(p.image)) return null;
      const portrait = this.dataset.imageRatio === 'portrait';
      const img = el('img');
      img.alt = '';
      img.width = 600;
      img.height = portrait ? 800 : 600;
      img.loading = 'lazy';
      img.decoding = 'async';
      img.addEventListener('error', () => img.remove());
      if (/cdn\.shopify\.com|\/cdn\/shop\//.test(p.image)) {
        const sized = (width) => {
          const url = new URL(p.image, location.href);
          url.searchParams.set('width', String(width));
          return url.href;
        };
        const columns = Number(getComputedStyle(this).getPropertyValue('--sw-columns')) || 4;
        img.srcset = [300, 450, 600, 900].map((w) => `${sized(w)} ${w}w`).join(', ');
        img.sizes = `(min-width: 750px) ${Math.ceil(100 / columns)}vw, 50vw`;
        img.src = sized(600);
      } else {
        img.src = p.image;
      }
      return img;
    }

    addButton(p) {
      const d = this.dataset;
      const button = el('button', 'sw-card__add');
      button.type = 'button';
      const idle = () => button.replaceChildren(d.tAddToCart || 'Add to cart', el('span', 'sw-visually-hidden', `: ${p.title}`));
      idle();
      let busy = false;
      button.addEventListener('click', async () => {
        if (busy) return;
        busy = true;
        button.setAttribute('aria-disabled', 'true');
        button.textContent = d.tAdding || '…';
        const variantId = String(p.variant_id);
        const id = Number.isSafeInteger(Number(variantId)) ? Number(variantId) : variantId;
        try {
          const response = await fetch(`${this.root()}cart/add.js`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
            body: JSON.stringify({ items: [{ id, quantity: 1, properties: { _shelfwise: p.token } }] }),
          });
          if (!response.ok) throw new Error(`cart/add ${response.status}`);
          const added = await response.json().catch(() => null);
          track('add_to_cart', p.token, { variant_id: variantId, quantity: 1 });
          button.textContent = d.tAdded || '✓';
          this.announce(`${d.tAdded || ''}: ${p.title}`);
          const refresh = new CustomEvent('cart:refresh', {
            bubbles: true,
            cancelable: true,
            detail: { source: 'shelfwise', items: added && added.items, variantId },
          });
          if (this.dispatchEvent(refresh) && d.template === 'cart') setTimeout(() => location.reload(), 800);
        } catch {
          this.announce(d.tAddError || '');
        }
        setTimeout(() => {
          idle();
          busy = false;
          button.removeAttribute('aria-disabled');
        }, 2000);
      });
      return button;
    }

    announce(message) {
      const status = this.querySelector('.sw__status');
      if (status) status.textContent = message;
    }

    observeImpressions(cards) {
      if (!('IntersectionObserver' in window)) return;
      this.seen = new IntersectionObserver((entries) => {
        for (const entry of entries) {
          const card = entry.target;
          const token = card.dataset.token;
          if (entry.isIntersecting && entry.intersectionRatio >= 0.5) {
            if (this.timers.has(token) || impressed.has(token)) continue;
            this.timers.set(token, setTimeout(() => {
              this.timers.delete(token);
              if (document.visibilityState !== 'visible') {
                // Observed again: a fresh entry arrives once the page is visible.
                this.seen.unobserve(card);
                this.seen.observe(card);
                return;
              }
              this.seen.unobserve(card);
              if (impressed.has(token)) return;
              impressed.add(token);
              track('impression', token);
            }, 1000));
          } else {
            clearTimeout(this.timers.get(token));
            this.timers.delete(token);
          }
        }
      }, { threshold: [0, 0.5, 1] });
      cards.forEach((card) => this.seen.observe(card));
    }

    wireCarousel() {
      this.arrows = [...this.querySelectorAll('.sw__arrow')];
      if (!this.arrows.length) return;
      this.arrows.forEach((arrow) => arrow.addEventListener('click', () => {
        if (arrow.getAttribute('aria-disabled') === 'true') return;
        const rtl = getComputedStyle(this.list).direction === 'rtl' ? -1 : 1;
        const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
        this.list.scrollBy({ left: Number(arrow.dataset.direction) * rtl * this.list.clientWidth * 0.9, behavior: smooth ? 'smooth' : 'auto' });
      }));
      this.list.addEventListener('scroll', () => this.updateArrows(), { passive: true });
      this.updateArrows();
    }

    updateArrows() {
      if (!this.arrows || !this.arrows.length) return;
      const list = this.list;
      const position = Math.abs(list.scrollLeft);
      const end = list.scrollWidth - list.clientWidth - 1;
      const [previous, next] = this.arrows;
      previous.setAttribute('aria-disabled', String(position <= 0));
      next.setAttribute('aria-disabled', String(position >= end));
      // Hidden but still in the layout, so the heading row keeps its height.
      previous.parentElement.toggleAttribute('data-idle', end <= 0 && this.shown.length > 0);
    }
  }

  customElements.define(TAG, ShelfwiseRecommendations);
})();
