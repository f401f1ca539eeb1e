import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from '../../support/storefront/shopper-browser';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The browser's locale: the admin formats money with it (en-GB: £1,234.56). */
export const ADMIN_LOCALE = 'en-GB';

export interface AdminBrowser {
  context: BrowserContext;
  page: Page;
  /** Page errors, console errors and requests to anywhere but the app: an admin needs no one else. */
  errors: string[];
  close(): Promise<void>;
}

/** A merchant's Chromium on the standalone admin (local session), allowed to reach the app's origin only. */
export async function openAdmin(adminUrl: string): Promise<AdminBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'shelfwise-e2e-admin-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1360, height: 900 }, locale: ADMIN_LOCALE });
  const origin = new URL(adminUrl).origin;
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    errors.push(`blocked: ${url}`);
    return route.abort('blockedbyclient');
  });
  context.on('weberror', (error) => errors.push(`page error: ${error.error().message}`));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => (m.type() === 'error' ? errors.push(`console: ${m.text()}`) : undefined));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** The overview's KPI as shown (`[data-kpi=key]`), once the report has loaded. */
export async function shownKpi(page: Page, key: string): Promise<string> {
  const value = page.locator(`[data-testid="kpis"] [data-kpi="${key}"] .sw-kpi__value`);
  await value.waitFor({ state: 'visible', timeout: 30_000 });
  return (await value.innerText()).trim();
}

/** Minor units of an amount the page shows in a two-decimal currency ("£1,234.56" → 123456). */
export function shownMinor(text: string): number {
  const digits = text.replace(/[^\d.-]/g, '');
  if (!/^-?\d+(\.\d{2})?$/.test(digits)) throw new Error(`not an amount: ${text}`);
  return Math.round(Number(digits) * 100);
}
