// Small DOM helpers: elements, Polaris-style cards, badges, data tables with "Export CSV".
import { downloadCsv } from './api.js';

/** An element: h('a', { href, class: 'x', onclick }, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function card(title, { actions = [], testid } = {}, ...children) {
  return h(
    'section',
    { class: 'sw-card', 'aria-label': title || undefined, 'data-testid': testid },
    title || actions.length ? h('div', { class: 'sw-card__header' }, title ? h('h2', {}, title) : h('span'), h('div', { class: 'sw-actions' }, actions)) : null,
    children,
  );
}

const STATUS_TONES = { active: 'success', paused: 'warning', exhausted: 'critical', ended: '', draft: 'info', serving: 'success', published: 'success', rejected: 'critical' };

export function badge(text, tone = STATUS_TONES[text] ?? '') {
  return h('span', { class: `sw-badge${tone ? ` sw-badge--${tone}` : ''}` }, text);
}

export function emptyState(message) {
  return h('div', { class: 'sw-empty', role: 'status' }, message);
}

export function banner(message, tone = 'info') {
  return h('div', { class: `sw-banner sw-banner--${tone}`, role: tone === 'critical' ? 'alert' : 'status' }, message);
}

export function button(label, onclick, { primary = false, type = 'button', testid } = {}) {
  return h('button', { type, class: `sw-button${primary ? ' sw-button--primary' : ''}`, onclick, 'data-testid': testid }, label);
}

/** An "Export CSV" button for a report path (the range is already in the path's query). */
export function exportButton(path, name) {
  const el = button('Export CSV', async () => {
    el.disabled = true;
    try {
      await downloadCsv(path, `${name}.csv`);
    } finally {
      el.disabled = false;
    }
  });
  el.setAttribute('aria-label', `Export ${name} as CSV`);
  return el;
}

/**
 * A data table: `columns` are { label, value(row) → text or Node, numeric?, key? }; each cell
 * carries data-key for tests and screen readers get a caption and header cells.
 */
export function dataTable({ caption, columns, rows, empty = 'No data in this range yet.', testid }) {
  if (!rows.length) return emptyState(empty);
  return h(
    'table',
    { class: 'sw-table', 'data-testid': testid },
    h('caption', { class: 'sw-subdued', style: 'text-align:left;caption-side:bottom;padding-top:8px' }, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'sw-num' : undefined }, c.label)))),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          columns.map((c, i) => h(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : undefined, class: c.numeric ? 'sw-num' : undefined, 'data-key': c.key }, c.value(row))),
        ),
      ),
    ),
  );
}

export function kpi(label, value, { note, key } = {}) {
  return h('div', { class: 'sw-kpi', 'data-kpi': key }, h('div', { class: 'sw-kpi__label' }, label), h('div', { class: 'sw-kpi__value' }, value), note ? h('div', { class: 'sw-kpi__note' }, note) : null);
}

/** A burn bar: share of the total budget spent. */
export function burnBar(ratio) {
  const share = ratio === null || ratio === undefined ? 0 : Math.max(0, Math.min(1, ratio));
  return h('span', { class: `sw-bar${share >= 1 ? ' sw-bar--full' : ''}`, role: 'img', 'aria-label': `${Math.round(share * 100)} % of the total budget spent` }, h('span', { style: `width:${(share * 100).toFixed(1)}%` }));
}

export function rulesNote(rules) {
  if (!rules) return null;
  const text = typeof rules === 'string' ? rules : rules.text ?? rules.rule ?? rules.description ?? '';
  return text ? h('p', { class: 'sw-rules' }, `Attribution: ${text}`) : null;
}
