import { fromMinorUnits } from '../../shared/money';
import type { VendorStatement } from '../../shared/reports';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function esc(value: string | number | null): string {
  return value === null ? '' : String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * A vendor statement as a printable page: plain HTML and print CSS, no script. Every charge line
 * shows its ledger id and charge key; every sale its order, line item and charge key.
 */
export function statementHtml(s: VendorStatement): string {
  const money = (minor: number) => `${esc(fromMinorUnits(minor, s.currency))} ${esc(s.currency)}`;
  const charges = s.charges
    .map(
      (c) =>
        `<tr><td>${esc(c.ledgerId)}</td><td><code>${esc(c.chargeKey)}</code></td><td>${esc(c.chargedAt)}</td><td>${esc(c.campaignName)} (${esc(c.campaignId)})</td><td>${esc(c.productTitle ?? c.productId)}</td><td>${esc(c.placement)}</td><td class="n">${money(c.amountMinor)}</td></tr>`,
    )
    .join('\n');
  const sales = s.sales
    .map(
      (l) =>
        `<tr><td>${esc(l.orderName ?? l.orderId)}</td><td>${esc(l.lineItemId)}</td><td>${esc(l.orderedAt)}</td><td>${esc(l.productTitle ?? l.productId)}</td><td>${esc(l.source)}</td><td>${esc(l.campaignId)}</td><td><code>${esc(l.chargeKey ?? '')}</code></td><td class="n">${money(l.netMinor)}</td></tr>`,
    )
    .join('\n');
  const roas = s.totals.roas === null ? 'n/a' : s.totals.roas.toFixed(2);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Statement ${esc(s.vendor)} ${esc(s.month)}</title>
<style>
body { font: 13px/1.4 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; color: #202223; margin: 2rem; }
h1 { font-size: 20px; margin: 0 0 .25rem; } h2 { font-size: 15px; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #e1e3e5; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f6f6f7; } td.n, th.n { text-align: right; white-space: nowrap; } code { font-size: 11px; }
.totals td { font-weight: 600; } .rules { color: #6d7175; }
@media print { body { margin: 0; font-size: 10px; } th { background: none; } tr { break-inside: avoid; } @page { margin: 12mm; } }
</style>
</head>
<body>
<h1>Sponsored statement: ${esc(s.vendor)}, ${esc(s.month)} (UTC)</h1>
<p class="rules">Amounts in ${esc(s.currency)}. Attribution: ${esc(s.rules.text)}.</p>
<table class="totals"><tr><th>Charged clicks</th><th class="n">Spend</th><th>Attributed orders</th><th class="n">Attributed sales</th><th>ROAS</th></tr>
<tr><td>${s.totals.chargedClicks}</td><td class="n">${money(s.totals.spendMinor)}</td><td>${s.totals.attributedOrders}</td><td class="n">${money(s.totals.attributedSalesMinor)}</td><td>${roas}</td></tr></table>
<h2>Charges (sponsored ledger)</h2>
<table><thead><tr><th>Ledger id</th><th>Charge key</th><th>Clicked at</th><th>Campaign</th><th>Product</th><th>Placement</th><th class="n">Amount</th></tr></thead>
<tbody>
${charges}
</tbody></table>
<h2>Attributed sales</h2>
<table><thead><tr><th>Order</th><th>Line item</th><th>Ordered at</th><th>Product</th><th>Source</th><th>Campaign</th><th>Charge key</th><th class="n">Net</th></tr></thead>
<tbody>
${sales}
</tbody></table>
</body>
</html>
`;
}
