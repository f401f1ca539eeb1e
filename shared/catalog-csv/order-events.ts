import { CancellationMatcher } from './cancellation-matcher';
import type { CatalogPlan, InvoiceSummary } from './catalog-plan';
import { classifyRow } from './classify-row';
import { orderPayload } from './order-payload';
import { readRetailRows } from './read-rows';
import type { RetailRow } from './retail-row';
import type { OrderWebhookPayload, RefundWebhookPayload } from './shopify-payloads';

export type OrderEvent =
  | { topic: 'orders/create'; invoice: string; payload: OrderWebhookPayload }
  | { topic: 'refunds/create'; invoice: string; payload: RefundWebhookPayload };

/** Time order; at the same minute orders before cancellations, so a same-minute cancel finds its order. */
function timeOrder(a: InvoiceSummary, b: InvoiceSummary): number {
  if (a.createdLocal !== b.createdLocal) return a.createdLocal < b.createdLocal ? -1 : 1;
  if (a.cancellation !== b.cancellation) return a.cancellation ? 1 : -1;
  return a.invoice < b.invoice ? -1 : a.invoice > b.invoice ? 1 : 0;
}

/**
 * Second pass: regroups the file's lines by invoice and yields orders/create and refunds/create
 * payloads in time order. Lines of an invoice are buffered until the plan says its last line
 * went by, and a finished invoice waits only for earlier ones still open; in a file that keeps
 * invoices together and in date order (as the real one does) that is one invoice at a time,
 * and any other file still comes out right, just with a larger buffer.
 * Cancellation lines the matcher cannot place are added to the plan's skip report.
 */
export async function* orderEvents(plan: CatalogPlan): AsyncGenerator<OrderEvent> {
  const schedule = [...plan.invoices.values()].sort(timeOrder);
  const open = new Map<string, RetailRow[]>();
  const done = new Set<string>();
  const matcher = new CancellationMatcher(plan.cancelledPairs);
  let next = 0;

  function* release(): Generator<OrderEvent> {
    while (next < schedule.length && done.has(schedule[next]!.invoice)) {
      const invoice = schedule[next++]!;
      const rows = open.get(invoice.invoice) ?? [];
      open.delete(invoice.invoice);
      done.delete(invoice.invoice);
      if (invoice.cancellation) {
        const { refunds, skipped } = matcher.cancel(invoice, rows);
        for (const skip of skipped) plan.skips.add(skip);
        for (const payload of refunds) yield { topic: 'refunds/create', invoice: invoice.invoice, payload };
      } else {
        const payload = orderPayload(invoice, rows, plan.products);
        matcher.rememberOrder(invoice, rows, payload);
        yield { topic: 'orders/create', invoice: invoice.invoice, payload };
      }
    }
  }

  for await (const outcome of readRetailRows(plan.source)) {
    // Bad and skipped lines were reported by the first pass.
    if (!outcome.ok || classifyRow(outcome.row)) continue;
    const { row } = outcome;
    const summary = plan.invoices.get(row.invoice);
    if (!summary) throw new Error(`the file changed between passes: invoice ${row.invoice} at line ${row.line} is new`);
    let rows = open.get(row.invoice);
    if (!rows) open.set(row.invoice, (rows = []));
    rows.push(row);
    if (row.line === summary.lastLine) {
      done.add(row.invoice);
      yield* release();
    }
  }
  if (next < schedule.length) throw new Error(`the file changed between passes: ${schedule.length - next} invoices incomplete`);
}
