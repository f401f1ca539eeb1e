// Every call to the admin API carries a fresh session token: App Bridge's when embedded, the
// local session endpoint's when standalone (demo, tests). The shop comes only from the token.

const settings = JSON.parse(document.getElementById('shelfwise-admin-settings').textContent);
export { settings };

let localToken = null;

async function sessionToken() {
  if (settings.embedded) return window.shopify.idToken();
  if (!settings.localSessionUrl) throw new ApiError(401, { error: 'no_session', message: 'Open Shelfwise from your Shopify admin.' });
  // Reuse a local token until 10 s before it expires (it lives one minute).
  if (localToken && localToken.expiresAt - Date.now() > 10_000) return localToken.token;
  const res = await fetch(settings.localSessionUrl, { method: 'POST', credentials: 'same-origin' });
  if (!res.ok) throw new ApiError(res.status, { error: 'no_session', message: 'The local session was refused.' });
  localToken = await res.json();
  return localToken.token;
}

export class ApiError extends Error {
  constructor(status, body) {
    super((body && (body.message || body.error)) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** fetch() on the admin API with the bearer token; throws ApiError for any answer but 2xx. */
export async function apiFetch(path, { method = 'GET', body } = {}) {
  const headers = { authorization: `Bearer ${await sessionToken()}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) {
    let parsed = null;
    try {
      parsed = await res.json();
    } catch {
      parsed = null;
    }
    throw new ApiError(res.status, parsed);
  }
  return res;
}

export async function getJson(path) {
  return (await apiFetch(path)).json();
}

export async function sendJson(method, path, body) {
  return (await apiFetch(path, { method, body })).json();
}

/** A path with query parameters, the empty ones left out. */
export function withQuery(path, params) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const text = query.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

function filenameOf(res, fallback) {
  const match = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') || '');
  return match ? match[1] : fallback;
}

/** Downloads `format=csv` of a report: a link cannot carry the bearer header, so through a blob. */
export async function downloadCsv(path, fallbackName) {
  const res = await apiFetch(withQuery(path, { format: 'csv' }));
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filenameOf(res, fallbackName);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Opens an HTML report (the printable statement) in a new tab from a blob URL. */
export async function openHtml(path) {
  const tab = window.open('', '_blank');
  const res = await apiFetch(withQuery(path, { format: 'html' }));
  const url = URL.createObjectURL(new Blob([await res.text()], { type: 'text/html' }));
  if (tab) tab.location.href = url;
  else window.location.href = url;
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
