import fc from 'fast-check';
import {
  attributeOrder,
  DEFAULT_ATTRIBUTION_WINDOWS,
  lineNetMinor,
  orderNetLineMinor,
  type AttributeOrderInput,
  type AttributionLine,
  type AttributionRefundLine,
  type StorefrontTouch,
} from '../../../shared/attribution';
import { recommendationTokenKey, signRecommendationToken, TOKEN_PROPERTY, verifyRecommendationToken, type RecommendationToken } from '../../../shared/tracking';

const SHOP = 'attribution.myshopify.com';
const OTHER_SHOP = 'someone-else.myshopify.com';
const KEY = recommendationTokenKey(Buffer.alloc(32, 7));
const CUSTOMER = 'c-key-1';
const ORDERED_AT = Date.UTC(2026, 2, 15, 12, 0, 0);
const DAY_MS = 86_400_000;
const { recommendationClickSeconds, sponsoredClickSeconds, sponsoredViewSeconds } = DEFAULT_ATTRIBUTION_WINDOWS;

function token(o: Partial<RecommendationToken> & { productId: string; issuedAtMs?: number; shop?: string; campaignId?: string }): string {
  const { issuedAtMs, shop, campaignId, ...rest } = o;
  const sponsored = o.sponsored ?? campaignId !== undefined;
  return signRecommendationToken(KEY, shop ?? SHOP, {
    impressionId: 'imp1',
    placement: sponsored ? 'sponsored' : 'fbt',
    position: 0,
    modelVersion: '42',
    issuedAt: Math.floor((issuedAtMs ?? ORDERED_AT - 3_600_000) / 1000),
    sponsorship: campaignId ? { campaignId, priceMinor: 30 } : null,
    ...rest,
    sponsored,
  });
}

function line(o: Partial<AttributionLine> & { id: string }): AttributionLine {
  return { productId: 'p1', quantity: 1, priceMinor: 1000, totalDiscountMinor: 0, properties: [], ...o };
}

function input(o: Partial<AttributeOrderInput> & { orderOverrides?: Partial<AttributeOrderInput['order']> } = {}): AttributeOrderInput {
  const { orderOverrides, ...rest } = o;
  return {
    shop: SHOP,
    tokenKey: KEY,
    windows: { ...DEFAULT_ATTRIBUTION_WINDOWS },
    order: {
      id: 'o1',
      createdAt: new Date(ORDERED_AT),
      currency: 'EUR',
      presentmentCurrency: 'USD',
      customerKey: CUSTOMER,
      noteAttributes: [],
      test: false,
      cancelledAt: null,
      ...orderOverrides,
    },
    lineItems: [],
    refundLines: [],
    events: [],
    ...rest,
  };
}

function event(o: Partial<StorefrontTouch> & { id: string; occurredAtMs: number; token: string; productId?: string }): StorefrontTouch {
  const { occurredAtMs, ...rest } = o;
  return { type: 'click', customerKey: CUSTOMER, productId: 'p1', occurredAt: new Date(occurredAtMs), ...rest };
}

const PRODUCTS = ['p1', 'p2', 'p3'];

/** A random order: lines, refunds, tokens of every kind (valid, other shop, expired), events. */
const scenario = fc
  .record({
    lines: fc.array(
      fc.record({
        productId: fc.option(fc.constantFrom(...PRODUCTS), { freq: 8 }),
        quantity: fc.integer({ min: 1, max: 5 }),
        priceMinor: fc.integer({ min: 0, max: 100_000 }),
        discountShare: fc.integer({ min: 0, max: 100 }),
        propertyToken: fc.option(
          fc.record({
            productId: fc.constantFrom(...PRODUCTS),
            ageMs: fc.integer({ min: 0, max: 20 * DAY_MS }),
            campaign: fc.option(fc.constantFrom('1', '2')),
            otherShop: fc.boolean(),
          }),
        ),
        refunds: fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    cartTokens: fc.array(fc.record({ productId: fc.constantFrom(...PRODUCTS), ageMs: fc.integer({ min: 0, max: 20 * DAY_MS }), otherShop: fc.boolean() }), { maxLength: 3 }),
    events: fc.array(
      fc.record({
        type: fc.constantFrom('click' as const, 'impression' as const),
        productId: fc.constantFrom(...PRODUCTS),
        ageMs: fc.integer({ min: -DAY_MS, max: 20 * DAY_MS }),
        campaign: fc.option(fc.constantFrom('1', '2')),
        otherCustomer: fc.boolean(),
      }),
      { maxLength: 8 },
    ),
    cancelled: fc.boolean(),
    test: fc.boolean(),
  })
  .map((s) => {
    const lineItems: AttributionLine[] = [];
    const refundLines: AttributionRefundLine[] = [];
    s.lines.forEach((l, i) => {
      const gross = l.priceMinor * l.quantity;
      const discount = Math.floor((gross * l.discountShare) / 100);
      const properties = l.propertyToken
        ? [{ name: TOKEN_PROPERTY, value: token({ productId: l.propertyToken.productId, issuedAtMs: ORDERED_AT - l.propertyToken.ageMs, shop: l.propertyToken.otherShop ? OTHER_SHOP : SHOP, ...(l.propertyToken.campaign ? { campaignId: l.propertyToken.campaign } : {}) }) }]
        : [];
      lineItems.push(line({ id: `li${i}`, productId: l.productId, quantity: l.quantity, priceMinor: l.priceMinor, totalDiscountMinor: discount, properties }));
      // Refunds may even add up to more than the line (Shopify never does; the rules must hold anyway).
      for (const share of l.refunds) refundLines.push({ lineItemId: `li${i}`, subtotalMinor: Math.floor((gross * share) / 100) });
    });
    const noteAttributes = s.cartTokens.map((c) => ({ name: 'shelfwise_token', value: token({ productId: c.productId, issuedAtMs: ORDERED_AT - c.ageMs, shop: c.otherShop ? OTHER_SHOP : SHOP }) }));
    const events = s.events.map((e, i) =>
      event({
        id: `e${i}`,
        type: e.type,
        productId: e.productId,
        occurredAtMs: ORDERED_AT - e.ageMs,
        customerKey: e.otherCustomer ? 'someone-else' : CUSTOMER,
        token: token({ productId: e.productId, issuedAtMs: ORDERED_AT - e.ageMs - 1000, impressionId: `imp${i}`, ...(e.campaign ? { campaignId: e.campaign } : {}) }),
      }),
    );
    return input({ lineItems, refundLines, events, orderOverrides: { noteAttributes, cancelledAt: s.cancelled ? new Date(ORDERED_AT + DAY_MS) : null, test: s.test } });
  });

const refundedOf = (i: AttributeOrderInput, lineId: string) => i.refundLines.filter((r) => r.lineItemId === lineId).reduce((sum, r) => sum + r.subtotalMinor, 0);

describe('attributeOrder', () => {
  it('never credits more than the order net line revenue, one credit per line, never negative', () => {
    const seen = { credited: 0, withRevenue: 0, sources: new Set<string>() };
    fc.assert(
      fc.property(scenario, (i) => {
        const credits = attributeOrder(i);
        if (credits.length) seen.credited += 1;
        if (credits.some((c) => c.netMinor > 0)) seen.withRevenue += 1;
        for (const c of credits) seen.sources.add(c.source);
        const total = credits.reduce((sum, c) => sum + c.netMinor, 0);
        const lines = i.lineItems.map((l) => ({ ...l, refundedMinor: refundedOf(i, l.id) }));
        expect(total).toBeLessThanOrEqual(orderNetLineMinor(i.order, lines));
        expect(new Set(credits.map((c) => c.lineItemId)).size).toBe(credits.length);
        for (const c of credits) {
          expect(Number.isSafeInteger(c.netMinor)).toBe(true);
          expect(c.netMinor).toBeGreaterThanOrEqual(0);
          const l = lines.find((x) => x.id === c.lineItemId)!;
          expect(c.netMinor).toBe(lineNetMinor(l));
          expect(c).toMatchObject({ currency: 'EUR', presentmentCurrency: 'USD', day: '2026-03-15' });
        }
        if (i.order.test || i.order.cancelledAt) expect(credits).toEqual([]);
      }),
      { numRuns: 300, seed: 20261128 },
    );
    // The generator must reach the interesting cases, or the property proves nothing.
    expect(seen.credited).toBeGreaterThan(30);
    expect(seen.withRevenue).toBeGreaterThan(20);
    expect([...seen.sources].sort()).toEqual(['cart_attribute', 'click', 'property', 'view']);
  });

  it('gives nothing once every line is fully refunded', () => {
    fc.assert(
      fc.property(scenario, (i) => {
        const refundLines = i.lineItems.map((l) => ({ lineItemId: l.id, subtotalMinor: l.priceMinor * l.quantity - l.totalDiscountMinor }));
        const credits = attributeOrder({ ...i, refundLines });
        expect(credits.every((c) => c.netMinor === 0)).toBe(true);
        // Refunds change the money, never who earned the credit.
        expect(credits.map((c) => c.lineItemId)).toEqual(attributeOrder(i).map((c) => c.lineItemId));
      }),
      { numRuns: 200 },
    );
  });

  it('does not depend on the order of lines, events, refunds or cart attributes', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), (i, seed) => {
        const shuffle = <T>(xs: readonly T[]) => [...xs].map((x, k) => ({ x, r: Math.sin(seed + k * 7919) })).sort((a, b) => a.r - b.r).map((p) => p.x);
        const shuffled = { ...i, lineItems: shuffle(i.lineItems), events: shuffle(i.events), refundLines: shuffle(i.refundLines), order: { ...i.order, noteAttributes: shuffle(i.order.noteAttributes) } };
        const byLine = (xs: ReturnType<typeof attributeOrder>) => [...xs].sort((a, b) => a.lineItemId.localeCompare(b.lineItemId));
        expect(byLine(attributeOrder(shuffled))).toEqual(byLine(attributeOrder(i)));
      }),
      { numRuns: 200 },
    );
  });

  it('never credits a token signed for another shop, from any source', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 * DAY_MS }), fc.boolean(), (ageMs, sponsored) => {
        const foreign = token({ productId: 'p1', issuedAtMs: ORDERED_AT - ageMs, shop: OTHER_SHOP, ...(sponsored ? { campaignId: '1' } : {}) });
        const credits = attributeOrder(
          input({
            lineItems: [line({ id: 'li1', properties: [{ name: TOKEN_PROPERTY, value: foreign }] })],
            events: [event({ id: 'e1', occurredAtMs: ORDERED_AT - ageMs, token: foreign }), event({ id: 'e2', type: 'impression', occurredAtMs: ORDERED_AT - 1000, token: foreign })],
            orderOverrides: { noteAttributes: [{ name: '_shelfwise', value: foreign }] },
          }),
        );
        expect(credits).toEqual([]);
      }),
    );
  });

  it('picks, from stored events, the credit a check of every event would pick (forged tokens, other products and equal times mixed in)', () => {
    // Events only, so each line's credit is a click or a view; many share an instant, so the
    // tie-breaks (token, then event id) decide; a tenth are forged or name another product.
    const events = fc.array(
      fc.record({
        type: fc.constantFrom('click' as const, 'impression' as const),
        productId: fc.constantFrom(...PRODUCTS),
        tokenProduct: fc.option(fc.constantFrom(...PRODUCTS), { freq: 9 }),
        ageMs: fc.constantFrom(0, 3_600_000, 2 * DAY_MS, 15 * DAY_MS),
        campaign: fc.option(fc.constantFrom('1', '2')),
        forged: fc.boolean(),
        impression: fc.integer({ min: 0, max: 3 }),
      }),
      { maxLength: 14 },
    );
    fc.assert(
      fc.property(events, (specs) => {
        const stored = specs.map((e, i) =>
          event({
            id: `e${i}`,
            type: e.type,
            productId: e.productId,
            occurredAtMs: ORDERED_AT - e.ageMs,
            token: token({ productId: e.tokenProduct ?? e.productId, issuedAtMs: ORDERED_AT - e.ageMs, impressionId: `imp${e.impression}`, shop: e.forged ? OTHER_SHOP : SHOP, ...(e.campaign ? { campaignId: e.campaign } : {}) }),
          }),
        );
        const lines = PRODUCTS.map((productId, i) => line({ id: `li${i}`, productId }));
        const credits = attributeOrder(input({ lineItems: lines, events: stored }));
        // Reference: verify every event, keep those in their window, the latest by (time, token, id).
        const best = (productId: string, type: 'click' | 'impression') =>
          stored
            .filter((e) => e.productId === productId && e.type === type)
            .filter((e) => {
              const checked = verifyRecommendationToken(KEY, SHOP, e.token, { nowSeconds: Math.floor(ORDERED_AT / 1000) });
              if (!checked.ok || checked.token.productId !== e.productId) return false;
              const age = ORDERED_AT - e.occurredAt.getTime();
              if (type === 'impression') return checked.token.sponsored && age >= 0 && age <= sponsoredViewSeconds * 1000;
              return age >= 0 && age <= (checked.token.sponsored ? sponsoredClickSeconds : recommendationClickSeconds) * 1000;
            })
            .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || (a.token === b.token ? (a.id > b.id ? -1 : 1) : a.token > b.token ? -1 : 1))[0];
        for (const l of lines) {
          const expected = best(l.productId!, 'click') ?? best(l.productId!, 'impression');
          const credit = credits.find((c) => c.lineItemId === l.id);
          expect(credit ? [credit.eventId, credit.source] : null).toEqual(expected ? [expected.id, expected.type === 'click' ? 'click' : 'view'] : null);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('credits the last click on the product, whatever the click order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 7 * DAY_MS }), { minLength: 1, maxLength: 8 }), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), (ages, sponsoredFlags) => {
        const events = ages.map((ageMs, k) =>
          event({ id: `e${k}`, occurredAtMs: ORDERED_AT - ageMs, token: token({ productId: 'p1', impressionId: `imp${k}`, issuedAtMs: ORDERED_AT - ageMs, ...(sponsoredFlags[k] ? { campaignId: '3' } : {}) }) }),
        );
        const [credit] = attributeOrder(input({ lineItems: [line({ id: 'li1' })], events }));
        const latest = Math.min(...ages);
        expect(credit).toMatchObject({ source: 'click', eventId: `e${ages.indexOf(latest)}`, touchedAtMs: ORDERED_AT - latest });
      }),
    );
  });

  it('takes the line property first, then the cart attribute, then clicks, then sponsored views', () => {
    const click = event({ id: 'click', occurredAtMs: ORDERED_AT - 60_000, token: token({ productId: 'p1', impressionId: 'clicked' }) });
    const view = event({ id: 'view', type: 'impression', occurredAtMs: ORDERED_AT - 30_000, token: token({ productId: 'p1', impressionId: 'viewed', campaignId: '9' }) });
    const cart = [{ name: 'shelfwise_token', value: `${token({ productId: 'p2', impressionId: 'cartOther' })} ${token({ productId: 'p1', impressionId: 'carted' })}` }];
    const property = [{ name: TOKEN_PROPERTY, value: token({ productId: 'p1', impressionId: 'propertied', issuedAtMs: ORDERED_AT - 5 * DAY_MS }) }];
    const at = (o: Partial<AttributeOrderInput>, noteAttributes = cart) => attributeOrder(input({ ...o, orderOverrides: { noteAttributes } }))[0];
    expect(at({ lineItems: [line({ id: 'a', properties: property })], events: [click, view] })).toMatchObject({ source: 'property', impressionId: 'propertied' });
    expect(at({ lineItems: [line({ id: 'a' })], events: [click, view] })).toMatchObject({ source: 'cart_attribute', impressionId: 'carted' });
    expect(at({ lineItems: [line({ id: 'a' })], events: [click, view] }, [])).toMatchObject({ source: 'click', impressionId: 'clicked' });
    expect(at({ lineItems: [line({ id: 'a' })], events: [view] }, [])).toMatchObject({ source: 'view', impressionId: 'viewed', sponsored: true, campaignId: '9' });
    // A token naming another product does not credit the line, as property or as cart attribute.
    const otherProduct = [{ name: TOKEN_PROPERTY, value: token({ productId: 'p2' }) }];
    expect(at({ lineItems: [line({ id: 'a', properties: otherProduct })] }, [])).toBeUndefined();
    // Clicks by another customer, or with no customer on the order, never credit.
    expect(at({ lineItems: [line({ id: 'a' })], events: [{ ...click, customerKey: 'someone-else' }] }, [])).toBeUndefined();
    expect(attributeOrder(input({ lineItems: [line({ id: 'a' })], events: [click], orderOverrides: { customerKey: null } }))).toEqual([]);
  });

  it('credits a click exactly at the window edge and not a millisecond outside it', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 0, max: 2 }), (sponsored, offset) => {
        const windowMs = (sponsored ? sponsoredClickSeconds : recommendationClickSeconds) * 1000;
        const inside = windowMs - offset;
        const outside = windowMs + 1 + offset;
        const tok = (ageMs: number) => token({ productId: 'p1', issuedAtMs: ORDERED_AT - ageMs - 1000, ...(sponsored ? { campaignId: '4' } : {}) });
        const credit = (ageMs: number) => attributeOrder(input({ lineItems: [line({ id: 'li' })], events: [event({ id: 'e', occurredAtMs: ORDERED_AT - ageMs, token: tok(ageMs) })] }))[0];
        expect(credit(inside)).toMatchObject({ source: 'click' });
        expect(credit(outside)).toBeUndefined();
        // A click after the order never led to it.
        expect(credit(-1)).toBeUndefined();
      }),
    );
  });

  it('credits a token up to its window at order time, and not a second beyond', () => {
    for (const sponsored of [false, true]) {
      const windowSeconds = sponsored ? sponsoredClickSeconds : recommendationClickSeconds;
      const credit = (ageSeconds: number, where: 'property' | 'cart') => {
        const raw = token({ productId: 'p1', issuedAtMs: ORDERED_AT - ageSeconds * 1000, ...(sponsored ? { campaignId: '5' } : {}) });
        return attributeOrder(
          input({
            lineItems: [line({ id: 'li', properties: where === 'property' ? [{ name: TOKEN_PROPERTY, value: raw }] : [] })],
            orderOverrides: { noteAttributes: where === 'cart' ? [{ name: '_shelfwise', value: raw }] : [] },
          }),
        )[0];
      };
      for (const where of ['property', 'cart'] as const) {
        expect(credit(windowSeconds, where)).toMatchObject({ source: where === 'property' ? 'property' : 'cart_attribute', sponsored });
        expect(credit(windowSeconds + 1, where)).toBeUndefined();
      }
    }
    // The 7-day recommendation window is shorter than the 14-day sponsored one.
    expect(recommendationClickSeconds).toBe(7 * 86_400);
    expect(sponsoredClickSeconds).toBe(14 * 86_400);
  });

  it('counts an impression as a view-through only for a sponsored product, within one day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * DAY_MS }), fc.boolean(), (ageMs, sponsored) => {
        const raw = token({ productId: 'p1', issuedAtMs: ORDERED_AT - ageMs - 1000, ...(sponsored ? { campaignId: '6' } : {}) });
        const credits = attributeOrder(input({ lineItems: [line({ id: 'li' })], events: [event({ id: 'imp', type: 'impression', occurredAtMs: ORDERED_AT - ageMs, token: raw })] }));
        const expected = sponsored && ageMs <= sponsoredViewSeconds * 1000;
        expect(credits.length).toBe(expected ? 1 : 0);
        if (expected) expect(credits[0]).toMatchObject({ source: 'view', sponsored: true, campaignId: '6', eventId: 'imp' });
      }),
    );
    // Exactly one day: still a view; one millisecond more: nothing.
    const edge = (ageMs: number) =>
      attributeOrder(input({ lineItems: [line({ id: 'li' })], events: [event({ id: 'imp', type: 'impression', occurredAtMs: ORDERED_AT - ageMs, token: token({ productId: 'p1', issuedAtMs: ORDERED_AT - ageMs - 1000, campaignId: '6' }) })] }));
    expect(edge(DAY_MS)).toHaveLength(1);
    expect(edge(DAY_MS + 1)).toHaveLength(0);
  });

  it('uses the shop windows it is given', () => {
    const windows = { recommendationClickSeconds: 3600, sponsoredClickSeconds: 7200, sponsoredViewSeconds: 0 };
    const click = (ageMs: number) => event({ id: 'e', occurredAtMs: ORDERED_AT - ageMs, token: token({ productId: 'p1', issuedAtMs: ORDERED_AT - ageMs }) });
    expect(attributeOrder(input({ windows, lineItems: [line({ id: 'li' })], events: [click(3_600_000)] }))).toHaveLength(1);
    expect(attributeOrder(input({ windows, lineItems: [line({ id: 'li' })], events: [click(3_600_001)] }))).toHaveLength(0);
  });

  it('computes net line revenue in exact minor units: discounts and refunds off, never below zero', () => {
    expect(lineNetMinor({ priceMinor: 1999, quantity: 3, totalDiscountMinor: 500, refundedMinor: 1999 })).toBe(3498);
    expect(lineNetMinor({ priceMinor: 1999, quantity: 3, totalDiscountMinor: 500, refundedMinor: 9999 })).toBe(0);
    expect(() => lineNetMinor({ priceMinor: 2 ** 52, quantity: 4, totalDiscountMinor: 0, refundedMinor: 0 })).toThrow(RangeError);
    expect(() => lineNetMinor({ priceMinor: 10.5, quantity: 1, totalDiscountMinor: 0, refundedMinor: 0 })).toThrow(RangeError);
  });
});
