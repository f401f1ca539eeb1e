import fc from 'fast-check';
import { orderCancelledPayload, orderCreatedPayload, refundPayload, VISITOR_NOTE_ATTRIBUTE } from '../../../../shared/dev/shopper-sessions/order-payloads';
import type { PlannedLine, PlannedOrder, VisitOutcome } from '../../../../shared/dev/shopper-sessions/visitor-session';
import { toMinorUnits } from '../../../../shared/money';
import { TOKEN_PROPERTY } from '../../../../shared/tracking';
import { orderPayload as orderSchema, refundPayload as refundSchema } from '../../../../worker/ingest/payloads';

const line = fc.record({
  productId: fc.integer({ min: 1, max: 2 ** 40 }).map(String),
  variantId: fc.option(fc.integer({ min: 1, max: 2 ** 40 }).map(String), { nil: null }),
  title: fc.string({ minLength: 1, maxLength: 20 }),
  quantity: fc.integer({ min: 1, max: 5 }),
  priceMinor: fc.integer({ min: 0, max: 1_000_000 }),
  token: fc.option(fc.constant('1.f0.0.7001.sig'), { nil: null }),
}) satisfies fc.Arbitrary<PlannedLine>;

const visit = fc.record({
  lines: fc.array(line, { minLength: 1, maxLength: 6 }),
  consent: fc.boolean(),
  customer: fc.boolean(),
  index: fc.nat({ max: 100_000 }),
  placedAt: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
}).map(({ lines, consent, customer, index, placedAt }) => {
  const order: PlannedOrder = { lines, placedAt, refund: false, cancel: false };
  return { index, visitorId: `simvisitor${index}`, consent, customerId: customer ? '1000000000000042' : null, holdout: false, order } as VisitOutcome & { order: PlannedOrder };
});

const minor = (amount: string) => toMinorUnits(amount, 'GBP');

describe('simulated order payloads', () => {
  it('are orders the ingest reads, with totals equal to their lines and tokens on block lines only', () => {
    fc.assert(
      fc.property(visit, (v) => {
        const order = orderCreatedPayload(7, v, 'GBP');
        expect(orderSchema.safeParse(order).success).toBe(true);
        expect(minor(order.total_price)).toBe(v.order.lines.reduce((sum, l) => sum + l.priceMinor * l.quantity, 0));
        order.line_items.forEach((item, i) => {
          expect(item.properties).toEqual(v.order.lines[i]!.token ? [{ name: TOKEN_PROPERTY, value: v.order.lines[i]!.token }] : []);
        });
        expect(order.note_attributes.some((a) => a.name === VISITOR_NOTE_ATTRIBUTE)).toBe(v.consent);
        expect(order.customer !== null).toBe(v.customerId !== null);
      }),
    );
  });

  it('refund one unit of the first line, and a cancellation refunds the whole order later', () => {
    fc.assert(
      fc.property(visit, (v) => {
        const order = orderCreatedPayload(7, v, 'GBP');
        const refund = refundPayload(7, v, order, 'GBP');
        expect(refundSchema.safeParse(refund).success).toBe(true);
        expect(refund.refund_line_items).toHaveLength(1);
        expect(minor(refund.refund_line_items[0]!.subtotal)).toBe(v.order.lines[0]!.priceMinor);
        expect(Date.parse(refund.created_at)).toBeGreaterThan(Date.parse(order.created_at));

        const cancelled = orderCancelledPayload(7, v, order, 'GBP');
        expect(orderSchema.safeParse(cancelled).success).toBe(true);
        expect(cancelled.id).toBe(order.id);
        expect(Date.parse(cancelled.updated_at)).toBeGreaterThan(Date.parse(order.updated_at));
        const refunded = cancelled.refunds[0]!.refund_line_items.reduce((sum, r) => sum + minor(r.subtotal), 0);
        expect(refunded).toBe(minor(order.total_price));
      }),
    );
  });
});
