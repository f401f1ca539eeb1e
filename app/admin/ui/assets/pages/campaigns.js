// Campaign management on the existing API (docs/sponsored.md): list, create, edit, pause, resume.
import { ApiError, getJson, sendJson } from '../api.js';
import { badge, banner, burnBar, button, card, dataTable, h } from '../dom.js';
import { dateTime, decimal, money, percent } from '../format.js';
import { pageHeader } from './common.js';
import { field, input, submitForm } from './form.js';

const PLACEMENTS = [
  ['related', 'Recommended products'],
  ['fbt', 'Frequently bought together'],
  ['for_you', 'Recommended for you'],
  ['cart', 'Cart upsell'],
  ['sponsored', 'Sponsored products block'],
];

async function setStatus(ctx, campaign, status) {
  try {
    await sendJson('PATCH', `/api/campaigns/${encodeURIComponent(campaign.id)}`, { status });
    ctx.refresh();
  } catch (error) {
    const issues = error instanceof ApiError ? error.body?.issues : null;
    ctx.view.prepend(banner(issues?.length ? issues.map((i) => i.message).join('; ') : error.message, 'critical'));
  }
}

function statusActions(ctx, c) {
  const actions = [h('a', { class: 'sw-button', href: `#/campaigns/${encodeURIComponent(c.id)}/edit`, 'aria-label': `Edit ${c.name}` }, 'Edit')];
  if (c.status === 'active') actions.push(button('Pause', () => setStatus(ctx, c, 'paused'), { testid: `pause-${c.id}` }));
  if (c.status === 'paused' || c.status === 'draft') actions.push(button(c.status === 'draft' ? 'Activate' : 'Resume', () => setStatus(ctx, c, 'active'), { testid: `resume-${c.id}` }));
  return h('span', { class: 'sw-actions' }, actions);
}

export async function renderCampaignList(ctx) {
  const { campaigns } = await getJson('/api/campaigns');
  if (!ctx.current()) return;
  ctx.view.replaceChildren(
    pageHeader(ctx, 'Manage campaigns', { range: false, actions: [h('a', { class: 'sw-button sw-button--primary', href: '#/campaigns/new' }, 'Create campaign')] }),
    card(
      'Campaigns',
      { testid: 'campaign-list' },
      dataTable({
        caption: 'Sponsored campaigns, newest first.',
        columns: [
          { label: 'Name', key: 'name', value: (c) => h('a', { href: `#/sponsored/${encodeURIComponent(c.id)}` }, c.name) },
          { label: 'Vendor', key: 'vendor', value: (c) => c.vendor },
          { label: 'Status', key: 'status', value: (c) => badge(c.status) },
          { label: 'Max CPC', key: 'max_cpc', numeric: true, value: (c) => money(c.max_cpc_minor, c.currency) },
          { label: 'Daily budget', key: 'daily_budget', numeric: true, value: (c) => money(c.daily_budget_minor, c.currency) },
          { label: 'Spent today', key: 'spent_today', numeric: true, value: (c) => money(c.spent_today_minor, c.currency) },
          {
            label: 'Total spent',
            key: 'spent_total',
            value: (c) => h('span', {}, burnBar(c.total_budget_minor ? c.spent_total_minor / c.total_budget_minor : null), `${money(c.spent_total_minor, c.currency)} of ${money(c.total_budget_minor, c.currency)}`),
          },
          { label: 'Products', key: 'product_count', numeric: true, value: (c) => c.product_count },
          { label: 'Runs', key: 'runs', value: (c) => `${dateTime(c.starts_at)} → ${c.ends_at ? dateTime(c.ends_at) : 'open-ended'}` },
          { label: 'Actions', key: 'actions', value: (c) => statusActions(ctx, c) },
        ],
        rows: campaigns,
        empty: 'No campaign yet: create one to sell sponsored slots to a vendor.',
      }),
    ),
  );
}

/** A datetime-local value (read as UTC) from an ISO instant, and back. */
const toLocalInput = (iso) => (iso ? iso.slice(0, 16) : '');
const fromLocalInput = (value) => (value ? `${value}:00Z` : null);


export async function renderCampaignForm(ctx, id) {
  const existing = id ? (await getJson(`/api/campaigns/${encodeURIComponent(id)}`)).campaign : null;
  const settings = existing ? null : await getJson('/api/sponsored/settings');
  if (!ctx.current()) return;
  const currency = existing?.currency ?? settings.currency;
  const c = existing ?? { name: '', vendor: '', product_ids: [], placements: ['sponsored'], status: 'draft', starts_at: null, ends_at: null };

  const controls = {
    name: input('name', { value: c.name, required: true, maxlength: 200 }),
    vendor: input('vendor', { value: c.vendor, required: true }),
    product_ids: h('textarea', { id: 'sw-f-product_ids', name: 'product_ids', rows: 2, 'aria-describedby': 'sw-f-product_ids-help sw-f-product_ids-error' }, (c.product_ids ?? []).join(', ')),
    max_cpc: input('max_cpc', { value: existing ? decimal(c.max_cpc_minor, currency) : '', inputmode: 'decimal', required: true }),
    daily_budget: input('daily_budget', { value: existing ? decimal(c.daily_budget_minor, currency) : '', inputmode: 'decimal', required: true }),
    total_budget: input('total_budget', { value: existing ? decimal(c.total_budget_minor, currency) : '', inputmode: 'decimal', required: true }),
    starts_at: input('starts_at', { type: 'datetime-local', value: toLocalInput(c.starts_at) }),
    ends_at: input('ends_at', { type: 'datetime-local', value: toLocalInput(c.ends_at) }),
    status: h(
      'select',
      { id: 'sw-f-status', name: 'status', 'aria-describedby': 'sw-f-status-error' },
      (existing ? [c.status, ...nextStatuses(c.status)] : ['draft', 'active']).map((s) => h('option', { value: s, selected: s === c.status }, s)),
    ),
  };
  // The titles of the ids typed, so the merchant sees what the campaign promotes.
  const titles = h('ul', { class: 'sw-field__help', 'data-testid': 'product-titles', 'aria-live': 'polite', style: 'margin:4px 0 0;padding-left:16px' });
  const showTitles = async () => {
    const ids = controls.product_ids.value.split(/[\s,]+/).filter(Boolean);
    if (!ids.length) return titles.replaceChildren();
    const { products } = await getJson(`/api/products?ids=${encodeURIComponent(ids.slice(0, 100).join(','))}`);
    const byId = new Map(products.map((p) => [p.id, p]));
    titles.replaceChildren(...ids.map((id) => h('li', { 'data-product': id }, byId.has(id) ? `${id} — ${byId.get(id).title}${byId.get(id).vendor ? ` (${byId.get(id).vendor})` : ''}` : `${id} — not in the catalog`)));
  };
  controls.product_ids.addEventListener('change', () => showTitles().catch(() => titles.replaceChildren()));
  const placementBoxes = PLACEMENTS.map(([value, label]) =>
    h('label', {}, h('input', { type: 'checkbox', name: 'placements', value, checked: (c.placements ?? []).includes(value) }), ` ${label}`),
  );
  const message = h('div');
  const form = h(
    'form',
    { class: 'sw-stack', novalidate: true, 'data-testid': 'campaign-form' },
    card(
      existing ? `Edit ${c.name}` : 'New campaign',
      {},
      h(
        'div',
        { class: 'sw-form-grid' },
        field('name', 'Name', controls.name),
        field('vendor', 'Vendor', controls.vendor, 'A vendor of your catalog'),
        field('max_cpc', `Max cost per click (${currency})`, controls.max_cpc),
        field('daily_budget', `Daily budget (${currency})`, controls.daily_budget),
        field('total_budget', `Total budget (${currency})`, controls.total_budget),
        field('starts_at', 'Starts (UTC)', controls.starts_at, existing ? null : 'Empty: now'),
        field('ends_at', 'Ends (UTC)', controls.ends_at, 'Empty: open-ended'),
        field('status', 'Status', controls.status),
      ),
      h('div', { style: 'margin-top:16px' }, field('product_ids', 'Product ids', controls.product_ids, 'Ids of the vendor’s products, separated by commas (1 to 100)'), titles),
      h(
        'fieldset',
        { class: 'sw-field', 'data-field': 'placements', style: 'margin-top:16px', 'aria-describedby': 'sw-f-placements-error' },
        h('legend', {}, 'Placements'),
        h('div', { class: 'sw-checks' }, placementBoxes),
        h('div', { class: 'sw-field__error', id: 'sw-f-placements-error', role: 'alert' }),
      ),
    ),
    message,
    h('div', { class: 'sw-actions' }, h('button', { type: 'submit', class: 'sw-button sw-button--primary' }, existing ? 'Save' : 'Create campaign'), h('a', { class: 'sw-button', href: '#/campaigns' }, 'Cancel')),
  );

  const body = () => {
    const value = {
      name: controls.name.value.trim(),
      vendor: controls.vendor.value.trim(),
      product_ids: controls.product_ids.value.split(/[\s,]+/).filter(Boolean),
      max_cpc: controls.max_cpc.value.trim(),
      daily_budget: controls.daily_budget.value.trim(),
      total_budget: controls.total_budget.value.trim(),
      placements: placementBoxes.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
      status: controls.status.value,
      ends_at: fromLocalInput(controls.ends_at.value),
    };
    const startsAt = fromLocalInput(controls.starts_at.value);
    if (startsAt) value.starts_at = startsAt;
    if (!existing) return value;
    // An edit sends only what changed: the merged campaign is validated by the server.
    const before = {
      name: c.name,
      vendor: c.vendor,
      product_ids: c.product_ids,
      max_cpc: decimal(c.max_cpc_minor, currency),
      daily_budget: decimal(c.daily_budget_minor, currency),
      total_budget: decimal(c.total_budget_minor, currency),
      placements: c.placements,
      status: c.status,
      ends_at: c.ends_at ? fromLocalInput(toLocalInput(c.ends_at)) : null,
      starts_at: fromLocalInput(toLocalInput(c.starts_at)),
    };
    return Object.fromEntries(Object.entries(value).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k])));
  };

  submitForm(form, message, async () => {
    const answer = existing
      ? await sendJson('PATCH', `/api/campaigns/${encodeURIComponent(c.id)}`, body())
      : await sendJson('POST', '/api/campaigns', body());
    ctx.navigate(`#/campaigns?saved=${encodeURIComponent(answer.campaign.id)}`);
  });

  ctx.view.replaceChildren(pageHeader(ctx, existing ? 'Edit campaign' : 'Create campaign', { range: false }), existing ? h('p', { class: 'sw-subdued' }, `Spent ${money(c.spent_total_minor, currency)} (${percent(c.total_budget_minor ? c.spent_total_minor / c.total_budget_minor : null)} of the total budget).`) : null, form);
  controls.name.focus();
  await showTitles().catch(() => titles.replaceChildren());
}

/** Status moves the API allows (docs/sponsored.md); `exhausted` is set only by the charger. */
function nextStatuses(status) {
  return { draft: ['active', 'ended'], active: ['paused', 'ended'], paused: ['active', 'ended'], exhausted: ['active', 'ended'], ended: [] }[status] ?? [];
}
