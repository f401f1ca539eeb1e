import type { DeliveryOutcome } from './webhook-sender';

export interface DeliveryTally {
  sent: number;
  accepted: number;
  duplicates: number;
  failed: number;
  byTopic: Record<string, { sent: number; accepted: number; duplicates: number; failed: number }>;
  /** The first few failures, for the report. */
  failures: Array<{ topic: string; id: string; status: number | null; reason: string }>;
}

export interface DeliverAllOptions<D extends { topic: string }> {
  deliveries: AsyncIterable<D>;
  deliver: (delivery: D) => Promise<DeliveryOutcome>;
  /** Deliveries in flight at once. */
  concurrency: number;
  /**
   * Deliveries of a new phase wait until every earlier one has settled (products before the
   * orders that name them). Default: the topic's resource (`products`, `orders`, `refunds`)
   * with refunds counted as orders, so refunds interleave with orders in time order.
   */
  phaseOf?: (delivery: D) => string;
  /** Called after each delivery settles, e.g. to draw progress. */
  onSettled?: (tally: DeliveryTally) => void;
  /** How many failures to keep in the tally (default 20). */
  keepFailures?: number;
  idOf?: (delivery: D) => string;
}

const defaultPhase = (d: { topic: string }) => (d.topic.startsWith('products/') ? 'products' : 'orders');

/**
 * Pushes deliveries through `deliver` with at most `concurrency` in flight, in the order the
 * source yields them, and tallies outcomes. The same pump drives the HTTP replay and the
 * in-process import.
 */
export async function deliverAll<D extends { topic: string }>(options: DeliverAllOptions<D>): Promise<DeliveryTally> {
  const { deliveries, deliver, concurrency, phaseOf = defaultPhase, onSettled, keepFailures = 20 } = options;
  const tally: DeliveryTally = { sent: 0, accepted: 0, duplicates: 0, failed: 0, byTopic: {}, failures: [] };
  const inFlight = new Set<Promise<void>>();
  let phase: string | undefined;

  const settle = (delivery: D, result: DeliveryOutcome) => {
    const topic = (tally.byTopic[delivery.topic] ??= { sent: 0, accepted: 0, duplicates: 0, failed: 0 });
    if (result.outcome === 'accepted') {
      tally.accepted++;
      topic.accepted++;
    } else if (result.outcome === 'duplicate') {
      tally.duplicates++;
      topic.duplicates++;
    } else {
      tally.failed++;
      topic.failed++;
      if (tally.failures.length < keepFailures) {
        tally.failures.push({ topic: delivery.topic, id: options.idOf?.(delivery) ?? '', status: result.status, reason: result.reason });
      }
    }
    onSettled?.(tally);
  };

  for await (const delivery of deliveries) {
    const next = phaseOf(delivery);
    if (phase !== undefined && next !== phase) await Promise.all(inFlight);
    phase = next;
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    tally.sent++;
    (tally.byTopic[delivery.topic] ??= { sent: 0, accepted: 0, duplicates: 0, failed: 0 }).sent++;
    const running: Promise<void> = deliver(delivery)
      .catch((error: unknown): DeliveryOutcome => ({ outcome: 'failed', status: null, attempts: 1, reason: String((error as Error)?.message ?? error) }))
      .then((result) => settle(delivery, result))
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
  }
  await Promise.all(inFlight);
  return tally;
}
