import type { Liquid } from 'liquidjs';
import { enabledOn } from './block-schema';
import type { ThemeBlock } from './theme-extension';

export interface ThemePage {
  /** `product` or `cart`: the template in ./theme. */
  template: string;
  title: string;
  /** Shopify's globals for this request (pageGlobals), plus `product` on a product page. */
  globals: Record<string, unknown>;
  /** App blocks the merchant placed in the template's app section, in order. */
  blocks: readonly ThemeBlock[];
  /** App embeds switched on in the theme settings (rendered where their schema enables them). */
  embeds: readonly ThemeBlock[];
  assetUrl: (file: string) => string;
  /** What Shopify's `content_for_header` sets on `window.Shopify` before any theme script. */
  shopify: { shop: string; currency: string };
}

/** Shopify-style block ids: unique per placed block, stable across renders. */
function blockId(block: ThemeBlock, n: number): string {
  return `AU0xwZWxmd2lzZ__shelfwise_${block.handle.replace(/-/g, '_')}_${n}`;
}

/** CSS selector of the wrapper Shopify puts around the block with this handle. */
export function appBlockSelector(handle: string): string {
  return `[id^="shopify-block-"][id*="__shelfwise_${handle.replace(/-/g, '_')}_"]`;
}

function blockObject(block: ThemeBlock, id: string) {
  return {
    id,
    type: `shopify://apps/shelfwise/blocks/${block.handle}/${id}`,
    settings: block.settings,
    shopify_attributes: `data-shopify-editor-block="${id}"`,
  };
}

const wrap = (id: string, html: string) => `<div id="shopify-block-${id}" class="shopify-block shopify-app-block">${html}</div>`;

/**
 * `window.Shopify` as Shopify's header script leaves it. `loadFeatures` answers at once: the
 * Customer Privacy API is either already on the page (the test put it there, standing for the
 * consent banner's answer) or absent.
 */
function shopifyGlobals(page: ThemePage): string {
  const values = JSON.stringify({ shop: page.shopify.shop, locale: 'en', currency: { active: page.shopify.currency, rate: '1.0' }, country: 'GB', routes: { root: '/' } });
  return `<script>window.Shopify = Object.assign(window.Shopify || {}, ${values});
window.Shopify.loadFeatures = window.Shopify.loadFeatures || function (features, callback) { if (callback) setTimeout(function () { callback(null); }, 0); };</script>`;
}

/**
 * Renders a page the way Shopify assembles it: each app block wrapped in its
 * `shopify-block-<id>` div inside the template, each block's schema `stylesheet` linked and
 * `javascript` loaded deferred once per page in the head, head embeds in the head and body
 * embeds at the end of the body.
 */
export async function renderThemePage(engine: Liquid, page: ThemePage): Promise<string> {
  const misplaced = page.blocks.find((b) => !enabledOn(b.schema, page.template));
  // The theme editor would not offer the block here: a test layout that places it is wrong.
  if (misplaced) throw new Error(`block ${misplaced.handle} is not enabled on the ${page.template} template`);
  const embeds = page.embeds.filter((b) => enabledOn(b.schema, page.template));
  const placed = [...page.blocks, ...embeds].map((block, n) => ({ block, id: blockId(block, n + 1) }));
  // Shopify's global objects stay visible inside `{% render %}`ed snippets; a block's own
  // variables (`block`, its assigns) do not: liquidjs `globals` behave the same way.
  const globals = { globals: page.globals };
  const rendered = await Promise.all(placed.map(({ block, id }) => engine.parseAndRender(block.source, { block: blockObject(block, id) }, globals)));
  const html = (which: (b: ThemeBlock) => boolean, wrapped: boolean) =>
    placed
      .map((p, i) => (which(p.block) ? (wrapped ? wrap(p.id, rendered[i]!) : rendered[i]!) : ''))
      .join('\n');
  const isEmbed = (b: ThemeBlock) => embeds.includes(b);
  const assets = new Set(placed.flatMap(({ block }) => [block.schema.stylesheet, block.schema.javascript].filter((f): f is string => Boolean(f))));
  const assetTags = [...assets].map((file) =>
    file.endsWith('.css') ? `<link rel="stylesheet" href="${page.assetUrl(file)}" media="all">` : `<script src="${page.assetUrl(file)}" defer="defer"></script>`,
  );
  const header = [shopifyGlobals(page), ...assetTags, html((b) => isEmbed(b) && b.schema.target !== 'body', false)].join('\n');
  const content = await engine.renderFile(page.template, { app_blocks: html((b) => !isEmbed(b), true) }, globals);
  const document = await engine.renderFile('layout', { page_title: page.title, content_for_header: header, content_for_layout: content }, globals);
  return document.replace('</body>', `${html((b) => isEmbed(b) && b.schema.target === 'body', true)}\n</body>`);
}
