// What every report page shares: a header with the range picker, and the report's query path.
import { withQuery } from '../api.js';
import { h } from '../dom.js';
import { rangePicker } from '../range.js';

export function pageHeader(ctx, title, { range = true, actions = [] } = {}) {
  return h('div', { class: 'sw-page-header' }, h('h1', {}, title), h('div', { class: 'sw-actions' }, actions, range ? rangePicker(ctx.range, ctx.refresh) : null));
}

/** The API path of a report over the current range. */
export function reportPath(ctx, path, extra = {}) {
  return withQuery(path, { ...ctx.range.params(), ...extra });
}

export function rangeText(range) {
  return range ? `${range.from} to ${range.to} (UTC)` : '';
}
