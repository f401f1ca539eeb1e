import fc from 'fast-check';
import { fromMinorUnits } from '../../../shared/money';
import { CAMPAIGN_STATUSES, checkCatalog, checkStatusAndSpend, parseCampaignPatch, parseNewCampaign } from '../../../shared/sponsored/campaign-input';

const NOW = new Date('2026-11-28T03:00:00Z');
const BASE = { name: 'Spring', vendor: 'Acme', product_ids: ['1'], placements: ['fbt'] };

describe('campaign status changes', () => {
  /** docs/sponsored.md and issue 5: who may go where, with budget left. */
  const ALLOWED: Record<string, string[]> = {
    draft: ['draft', 'active', 'ended'],
    active: ['active', 'paused', 'ended'],
    paused: ['paused', 'active', 'ended'],
    exhausted: ['exhausted', 'active', 'ended'],
    ended: ['ended'],
  };

  it.each(CAMPAIGN_STATUSES)('from %s, with budget left', (from) => {
    const allowed = CAMPAIGN_STATUSES.filter((to) => checkStatusAndSpend({ from, to, totalBudgetMinor: 1000, spentTotalMinor: 10 }, 'EUR').length === 0);
    expect(allowed.sort()).toEqual([...ALLOWED[from]!].sort());
  });

  it('nobody sets exhausted; an exhausted campaign resumes only above its spend', () => {
    for (const from of ['draft', 'active', 'paused'] as const) {
      expect(checkStatusAndSpend({ from, to: 'exhausted', totalBudgetMinor: 1000, spentTotalMinor: 1000 }, 'EUR')).toEqual([
        { field: 'status', message: 'status exhausted is set only when the total budget is spent' },
      ]);
    }
    expect(checkStatusAndSpend({ from: 'exhausted', to: 'active', totalBudgetMinor: 1000, spentTotalMinor: 1000 }, 'EUR')).toEqual([
      { field: 'status', message: 'an exhausted campaign resumes only once total_budget is raised above the 10.00 already spent' },
    ]);
    expect(checkStatusAndSpend({ from: 'exhausted', to: 'active', totalBudgetMinor: 1001, spentTotalMinor: 1000 }, 'EUR')).toEqual([]);
    expect(checkStatusAndSpend({ from: 'active', to: 'active', totalBudgetMinor: 999, spentTotalMinor: 1000 }, 'JPY')).toEqual([
      { field: 'total_budget', message: 'total_budget must be at least the 1000 already spent' },
    ]);
  });
});

describe('campaign money', () => {
  const currencies = fc.constantFrom('EUR', 'JPY', 'KWD', 'USD');

  it('amounts written as the currency writes them come back as the same minor units', () => {
    fc.assert(
      fc.property(currencies, fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e9 }), (currency, bid, dailyExtra, totalExtra) => {
        const daily = bid + dailyExtra;
        const total = daily + totalExtra;
        const parsed = parseNewCampaign(
          { ...BASE, max_cpc: fromMinorUnits(bid, currency), daily_budget: fromMinorUnits(daily, currency), total_budget: fromMinorUnits(total, currency) },
          { currency, now: NOW },
        );
        expect(parsed.ok && parsed.value.fields).toMatchObject({ maxCpcMinor: bid, dailyBudgetMinor: daily, totalBudgetMinor: total });
      }),
    );
  });

  it('a daily budget below the bid is always named, whatever the currency', () => {
    fc.assert(
      fc.property(currencies, fc.integer({ min: 2, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), (currency, bid, short) => {
        const daily = Math.max(1, bid - short);
        fc.pre(daily < bid);
        const parsed = parseNewCampaign(
          { ...BASE, max_cpc: fromMinorUnits(bid, currency), daily_budget: fromMinorUnits(daily, currency), total_budget: fromMinorUnits(bid * 10, currency) },
          { currency, now: NOW },
        );
        expect(parsed).toEqual({ ok: false, issues: [{ field: 'daily_budget', message: `daily_budget must be at least max_cpc (${fromMinorUnits(bid, currency)})` }] });
      }),
    );
  });

  it('precision is the currency’s: KWD has three decimals, JPY none', () => {
    const kwd = parseCampaignPatch({ max_cpc: '0.125' }, { currency: 'KWD' });
    expect(kwd).toEqual({ ok: true, value: { maxCpcMinor: 125 } });
    expect(parseCampaignPatch({ max_cpc: '0.1255' }, { currency: 'KWD' })).toEqual({ ok: false, issues: [{ field: 'max_cpc', message: 'max_cpc must have at most 3 decimals in KWD' }] });
    expect(parseCampaignPatch({ daily_budget: '1.5' }, { currency: 'JPY' })).toEqual({ ok: false, issues: [{ field: 'daily_budget', message: 'daily_budget must have no decimals in JPY' }] });
    expect(parseCampaignPatch({ total_budget: '1e3' }, { currency: 'EUR' })).toEqual({ ok: false, issues: [{ field: 'total_budget', message: 'total_budget must be a decimal string such as "0.45"' }] });
  });
});

describe('campaign catalog checks', () => {
  it('names every product that is unknown, deleted or another vendor’s, and an unknown vendor', () => {
    const products = new Map([
      ['1', { vendor: 'Acme', deleted: false }],
      ['2', { vendor: 'Potter', deleted: false }],
      ['3', { vendor: 'Acme', deleted: true }],
      ['4', { vendor: null, deleted: false }],
    ]);
    expect(checkCatalog('Acme', ['1', '2', '3', '4', '5'], { vendorInCatalog: true, products })).toEqual([
      { field: 'product_ids', message: 'product 2 belongs to vendor "Potter", not "Acme"' },
      { field: 'product_ids', message: "product 3 was deleted from this shop's catalog" },
      { field: 'product_ids', message: 'product 4 belongs to vendor "", not "Acme"' },
      { field: 'product_ids', message: "product 5 is not in this shop's catalog" },
    ]);
    expect(checkCatalog('acme', ['1'], { vendorInCatalog: false, products })).toEqual([
      { field: 'vendor', message: `vendor "acme" has no products in this shop's catalog` },
      { field: 'product_ids', message: 'product 1 belongs to vendor "Acme", not "acme"' },
    ]);
  });
});
