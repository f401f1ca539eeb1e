// The shop's settings: attribution windows and the holdout share (docs/attribution.md,
// docs/holdout.md), and the sponsored auction (docs/sponsored.md). Each card saves on its own.
import { getJson, sendJson } from '../api.js';
import { banner, card, h } from '../dom.js';
import { pageHeader } from './common.js';
import { field, input, submitForm } from './form.js';

/** A settings card: its fields, a Save button, the 422 issues next to their fields. */
function settingsForm({ title, testid, fields, body, save }) {
  const message = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'sw-stack', novalidate: true, 'data-testid': testid },
    card(title, {}, h('div', { class: 'sw-form-grid' }, fields), h('div', { style: 'margin-top:16px' }, message), h('div', { class: 'sw-actions' }, h('button', { type: 'submit', class: 'sw-button sw-button--primary' }, 'Save'))),
  );
  submitForm(form, message, async () => {
    await save(body());
    message.replaceChildren(banner('Saved.', 'success'));
  });
  return form;
}

/** A number typed in a field: the number, or the text itself so the server names the problem. */
const numberOf = (el) => (el.value.trim() === '' || Number.isNaN(Number(el.value)) ? el.value : Number(el.value));

export async function renderSettings(ctx) {
  const [{ settings: a }, { settings: s }] = await Promise.all([getJson('/api/attribution/settings'), getJson('/api/sponsored/settings')]);
  if (!ctx.current()) return;

  const attribution = {
    recommendation_click_days: input('recommendation_click_days', { type: 'number', min: 1, max: 90, step: 1, value: a.recommendation_click_days }),
    sponsored_click_days: input('sponsored_click_days', { type: 'number', min: 1, max: 90, step: 1, value: a.sponsored_click_days }),
    sponsored_view_days: input('sponsored_view_days', { type: 'number', min: 0, max: 90, step: 1, value: a.sponsored_view_days }),
    holdout_share_percent: input('holdout_share_percent', { type: 'number', min: 0, max: 50, step: 0.01, value: a.holdout_share_percent }),
  };
  const sponsored = {
    relevance_threshold: input('relevance_threshold', { type: 'number', min: 0, max: 1, step: 0.01, value: s.relevance_threshold }),
    reserve: input('reserve', { inputmode: 'decimal', value: s.reserve }),
    slots_per_block: input('slots_per_block', { type: 'number', min: 0, max: 4, step: 1, value: s.slots_per_block }),
    frequency_cap_per_day: input('frequency_cap_per_day', { type: 'number', min: 1, max: 1000, step: 1, value: s.frequency_cap_per_day }),
  };

  ctx.view.replaceChildren(
    pageHeader(ctx, 'Settings', { range: false }),
    settingsForm({
      title: 'Attribution and holdout',
      testid: 'attribution-settings',
      fields: [
        field('recommendation_click_days', 'Recommendation click window (days)', attribution.recommendation_click_days, 'A click on a recommended product credits the shopper’s orders for this long'),
        field('sponsored_click_days', 'Sponsored click window (days)', attribution.sponsored_click_days),
        field('sponsored_view_days', 'Sponsored view window (days)', attribution.sponsored_view_days, '0 turns view-through credit off'),
        field('holdout_share_percent', 'Holdout (% of consenting visitors)', attribution.holdout_share_percent, 'They see no Shelfwise blocks, so the reports can measure the lift; 0 turns it off'),
      ],
      body: () => Object.fromEntries(Object.entries(attribution).map(([k, el]) => [k, numberOf(el)])),
      save: (body) => sendJson('PUT', '/api/attribution/settings', body),
    }),
    settingsForm({
      title: 'Sponsored slots',
      testid: 'sponsored-settings',
      fields: [
        field('relevance_threshold', 'Relevance threshold (0–1)', sponsored.relevance_threshold, 'How relevant a promoted product must be to the page to take a slot'),
        field('reserve', `Reserve price per click (${s.currency})`, sponsored.reserve),
        field('slots_per_block', 'Sponsored slots per block (0–4)', sponsored.slots_per_block, '0 turns sponsored slots off'),
        field('frequency_cap_per_day', 'Frequency cap per shopper and day', sponsored.frequency_cap_per_day),
      ],
      body: () => ({ ...Object.fromEntries(Object.entries(sponsored).map(([k, el]) => [k, numberOf(el)])), reserve: sponsored.reserve.value.trim() }),
      save: (body) => sendJson('PUT', '/api/sponsored/settings', body),
    }),
    h('p', { class: 'sw-subdued' }, 'New windows apply to orders attributed from now on; an order already attributed is recomputed with them at its next update or refund.'),
  );
}
