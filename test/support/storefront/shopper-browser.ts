import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (../shared/docs/services.md). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Without these Chromium reaches for the network (updates, sync, QUIC probes) and stalls here. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * A desktop shopper's user agent. Headless Chromium announces itself as `HeadlessChrome`, which
 * the events endpoint may rightly count as a bot; the shopper this test plays is a person.
 */
const SHOPPER_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

/**
 * The Customer Privacy API as Shopify's consent banner leaves it after the shopper accepted
 * analytics; installed before any page script runs.
 */
const CONSENT_GRANTED = `(() => {
  const yes = () => true;
  window.Shopify = window.Shopify || {};
  window.Shopify.customerPrivacy = {
    analyticsProcessingAllowed: yes, marketingAllowed: yes, preferencesProcessingAllowed: yes,
    saleOfDataAllowed: yes, userCanBeTracked: yes, shouldShowBanner: () => false,
    currentVisitorConsent: () => ({ analytics: 'yes', marketing: 'yes', preferences: 'yes', sale_of_data: 'yes' }),
  };
})();`;

export interface Shopper {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors: a block must never break the page. */
  errors: string[];
  /** Requests to anywhere but the storefront, refused (a storefront block needs no third party). */
  blocked: string[];
  /** Every URL the shopper's pages requested, in order. */
  requested: string[];
  close(): Promise<void>;
}

/**
 * One shopper: its own Chromium with a fresh profile (cookies, cart, localStorage), with or
 * without the Customer Privacy API reporting analytics consent.
 */
export async function openShopper({ storefrontUrl, consent }: { storefrontUrl: string; consent: 'granted' | 'absent' }): Promise<Shopper> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'shelfwise-shopper-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    userAgent: SHOPPER_USER_AGENT,
  });
  const errors: string[] = [];
  const blocked: string[] = [];
  const requested: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  const origin = new URL(storefrontUrl).origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  if (consent === 'granted') await context.addInitScript({ content: CONSENT_GRANTED });
  context.on('weberror', (error) => errors.push(`page error: ${error.error().message}`));
  const watch = (page: Page) => page.on('console', (m) => (m.type() === 'error' ? errors.push(`console: ${m.text()}`) : undefined));
  const first = context.pages()[0];
  context.on('page', watch);
  const page = first ?? (await context.newPage());
  if (first) watch(first);
  return {
    context,
    page,
    errors,
    blocked,
    requested,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
