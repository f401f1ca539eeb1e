// The admin's one page: a hash router over the report pages and campaign management.
import { ApiError, settings } from './api.js';
import { banner, h } from './dom.js';
import { createRange } from './range.js';
import { renderOverview } from './pages/overview.js';
import { renderPlacements } from './pages/placements.js';
import { renderModels } from './pages/models.js';
import { renderSponsored, renderCampaignReport } from './pages/sponsored.js';
import { renderVendors } from './pages/vendors.js';
import { renderStatements } from './pages/statements.js';
import { renderCampaignList, renderCampaignForm } from './pages/campaigns.js';
import { renderSettings } from './pages/settings.js';

const main = document.getElementById('sw-main');
const range = createRange();

/** Route → [nav page, renderer]; ids are captured from the hash. */
const ROUTES = [
  [/^\/overview$/, 'overview', () => renderOverview],
  [/^\/placements$/, 'placements', () => renderPlacements],
  [/^\/models$/, 'models', () => renderModels],
  [/^\/sponsored$/, 'sponsored', () => renderSponsored],
  [/^\/sponsored\/([^/]+)$/, 'sponsored', (id) => (ctx) => renderCampaignReport(ctx, id)],
  [/^\/vendors$/, 'vendors', () => renderVendors],
  [/^\/statements$/, 'statements', () => renderStatements],
  [/^\/campaigns$/, 'campaigns', () => renderCampaignList],
  [/^\/campaigns\/new$/, 'campaigns', () => (ctx) => renderCampaignForm(ctx, null)],
  [/^\/campaigns\/([^/]+)\/edit$/, 'campaigns', (id) => (ctx) => renderCampaignForm(ctx, id)],
  [/^\/settings$/, 'settings', () => renderSettings],
];

function route() {
  const path = (location.hash.replace(/^#/, '') || '/overview').split('?')[0];
  for (const [pattern, page, make] of ROUTES) {
    const match = pattern.exec(path);
    if (match) return { page, render: make(decodeURIComponent(match[1] ?? '')) };
  }
  return { page: 'overview', render: renderOverview };
}

let generation = 0;

async function show() {
  const mine = ++generation;
  const { page, render } = route();
  for (const link of document.querySelectorAll('.sw-nav a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const view = h('div', { class: 'sw-stack', 'aria-busy': 'true' });
  main.replaceChildren(view);
  const ctx = {
    shop: settings.shop,
    range,
    view,
    /** Re-render the current page (after a range change or a write). */
    refresh: () => show(),
    navigate: (hash) => {
      if (location.hash === hash) show();
      else location.hash = hash;
    },
    /** Whether this render is still the current one (a slow answer must not paint over a newer page). */
    current: () => mine === generation,
  };
  try {
    await render(ctx);
  } catch (error) {
    if (mine !== generation) return;
    const message =
      error instanceof ApiError && error.status === 401
        ? 'Your session could not be verified. Reload Shelfwise from your Shopify admin.'
        : error instanceof ApiError && error.status === 404
          ? 'Not found.'
          : `Something went wrong: ${error.message}`;
    view.replaceChildren(banner(message, 'critical'));
  } finally {
    if (mine === generation) view.setAttribute('aria-busy', 'false');
  }
}

window.addEventListener('hashchange', () => {
  show();
  main.focus();
});
show();
