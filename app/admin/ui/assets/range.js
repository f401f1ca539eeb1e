// The report range: presets of 7, 30 or 90 days ending on the server's today, or custom days.
import { h } from './dom.js';

export const PRESETS = [7, 30, 90];

const DAY_MS = 86_400_000;
const toDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day) => Date.parse(`${day}T00:00:00Z`);

/** from/to (inclusive) of the `days` days ending on `today`. */
export function presetRange(days, today) {
  return { from: toDay(dayMs(today) - (days - 1) * DAY_MS), to: today };
}

/**
 * The range state: `today` is learned from the first report's answer (the server's clock), so
 * presets agree with the server's default range.
 */
export function createRange() {
  const state = { preset: 30, from: null, to: null, today: null };
  return {
    state,
    /** Query parameters for report calls: none until a range is chosen (the server's 30 days). */
    params() {
      return state.from && state.to ? { from: state.from, to: state.to } : {};
    },
    learn(range) {
      if (!range) return;
      if (!state.today && state.preset === 30) state.today = range.to;
      if (!state.from) {
        state.from = range.from;
        state.to = range.to;
      }
    },
    choosePreset(days) {
      const today = state.today ?? toDay(Date.now());
      Object.assign(state, { preset: days }, presetRange(days, today));
    },
    chooseCustom(from, to) {
      Object.assign(state, { preset: 'custom', from, to });
    },
  };
}

/** Preset buttons plus custom from/to inputs; `onChange` re-renders the page. */
export function rangePicker(range, onChange) {
  const { state } = range;
  const presets = h(
    'div',
    { class: 'sw-segmented', role: 'group', 'aria-label': 'Date range' },
    PRESETS.map((days) =>
      h('button', { type: 'button', 'aria-pressed': state.preset === days ? 'true' : 'false', 'data-preset': days, onclick: () => (range.choosePreset(days), onChange()) }, `${days} days`),
    ),
  );
  const from = h('input', { type: 'date', id: 'sw-range-from', value: state.from ?? '', required: true });
  const to = h('input', { type: 'date', id: 'sw-range-to', value: state.to ?? '', required: true });
  const form = h(
    'form',
    {
      class: 'sw-range',
      onsubmit: (event) => {
        event.preventDefault();
        if (from.value && to.value) {
          range.chooseCustom(from.value, to.value);
          onChange();
        }
      },
    },
    presets,
    h('div', { class: 'sw-field' }, h('label', { for: 'sw-range-from' }, 'From'), from),
    h('div', { class: 'sw-field' }, h('label', { for: 'sw-range-to' }, 'To'), to),
    h('button', { type: 'submit', class: 'sw-button' }, 'Apply'),
  );
  return form;
}
