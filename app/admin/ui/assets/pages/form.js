// Form fields shared by the campaign and settings pages: a labelled control with help and an
// error line, and the API's 422 issues shown next to their fields.
import { ApiError } from '../api.js';
import { banner, h } from '../dom.js';

export function field(id, label, control, help) {
  return h(
    'div',
    { class: 'sw-field', 'data-field': id },
    h('label', { for: `sw-f-${id}` }, label),
    control,
    help ? h('div', { class: 'sw-field__help', id: `sw-f-${id}-help` }, help) : null,
    h('div', { class: 'sw-field__error', id: `sw-f-${id}-error`, role: 'alert' }),
  );
}

export function input(id, attrs = {}) {
  return h('input', { id: `sw-f-${id}`, name: id, 'aria-describedby': `sw-f-${id}-error`, ...attrs });
}

/** 422 issues shown next to their fields; an issue on `product_ids.2` belongs to product_ids. */
export function showIssues(form, issues) {
  for (const el of form.querySelectorAll('.sw-field__error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const unplaced = [];
  for (const issue of issues) {
    const name = String(issue.field ?? '').split(/[.[]/)[0];
    const box = form.querySelector(`[data-field="${name}"]`);
    if (!box) {
      unplaced.push(issue.field ? `${issue.field}: ${issue.message}` : issue.message);
      continue;
    }
    const error = box.querySelector('.sw-field__error');
    error.textContent = error.textContent ? `${error.textContent} ${issue.message}` : issue.message;
    for (const control of box.querySelectorAll('input, select, textarea')) control.setAttribute('aria-invalid', 'true');
  }
  return unplaced;
}

/**
 * Submits a form through `send` (which calls the API): clears earlier errors, then on a 422 shows
 * each issue next to its field (the rest in a banner) and focuses the first; any other failure
 * becomes a banner in `message`.
 */
export function submitForm(form, message, send) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.replaceChildren();
    showIssues(form, []);
    try {
      await send();
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && Array.isArray(error.body?.issues)) {
        const rest = showIssues(form, error.body.issues);
        message.replaceChildren(banner(['Please fix the highlighted fields.', ...rest].join(' '), 'critical'));
        form.querySelector('[aria-invalid="true"]')?.focus();
      } else {
        message.replaceChildren(banner(error.message, 'critical'));
      }
    }
  });
}
