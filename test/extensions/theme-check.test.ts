import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { themeCheckRun, type Offense } from '@shopify/theme-check-node';
import { ASSETS_DIR, buildAssets, SCRIPT_SOURCES, SOURCE_DIR } from '../../extensions/src/build';

const EXTENSION = path.resolve(__dirname, '../../extensions/shelfwise');
const BLOCKS = path.join(EXTENSION, 'blocks');
const LOCALES = path.join(EXTENSION, 'locales');
/** theme-check's AssetSizeAppBlockJavaScript threshold; held compressed as well as stored. */
const JS_BUDGET_BYTES = 10_000;

interface Setting {
  type: string;
  id?: string;
  min?: number;
  max?: number;
  default?: unknown;
  options?: { value: string }[];
}
interface BlockSchema {
  name: string;
  target: 'section' | 'body' | 'head';
  javascript?: string;
  stylesheet?: string;
  enabled_on?: { templates?: string[] };
  settings: Setting[];
}

const read = (file: string) => fs.readFileSync(file, 'utf8');
const readJson = (file: string): unknown => JSON.parse(read(file));
const blockFiles = () => fs.readdirSync(BLOCKS).filter((f) => f.endsWith('.liquid'));
const liquidFiles = () => ['blocks', 'snippets'].flatMap((dir) =>
  fs.readdirSync(path.join(EXTENSION, dir)).filter((f) => f.endsWith('.liquid')).map((f) => path.join(EXTENSION, dir, f)));

function schemaOf(file: string): BlockSchema {
  const match = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(read(path.join(BLOCKS, file)));
  if (!match?.[1]) throw new Error(`${file} has no schema`);
  return JSON.parse(match[1]) as BlockSchema;
}

/** Dotted key paths of every string leaf ("shelfwise.card.add_to_cart"). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k));
}

/** Every "t:…" string anywhere in a schema. */
function schemaTranslationKeys(value: unknown): string[] {
  if (typeof value === 'string') return value.startsWith('t:') ? [value.slice(2)] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(schemaTranslationKeys);
}

const describeOffense = (o: Offense) =>
  `${o.check} (severity ${o.severity}) ${path.relative(EXTENSION, o.uri.replace(/^file:\/\//, ''))}:${o.start.line + 1} ${o.message}`;

describe('theme app extension extensions/shelfwise', () => {
  it('passes theme-check with the theme-app-extension checks: zero offenses', async () => {
    const run = await themeCheckRun(EXTENSION, 'theme-check:theme-app-extension');
    // The app context is what enables the app-block checks (schema present, valid tags, asset sizes).
    expect(run.config.context).toBe('app');
    expect(run.config.checks.map((c) => c.meta.code)).toEqual(
      expect.arrayContaining(['AppBlockValidTags', 'AppBlockMissingSchema', 'AssetSizeAppBlockJavaScript', 'AssetSizeAppBlockCSS']),
    );
    expect(run.theme.length).toBeGreaterThanOrEqual(blockFiles().length);
    expect(run.offenses.map(describeOffense)).toEqual([]);
  });

  it('holds only the folders a theme app extension may have', () => {
    const entries = fs.readdirSync(EXTENSION).sort();
    expect(entries).toEqual(['assets', 'blocks', 'locales', 'shopify.extension.toml', 'snippets']);
    expect(read(path.join(EXTENSION, 'shopify.extension.toml'))).toMatch(/^type\s*=\s*"theme"$/m);
  });

  it('ships each script as a fresh build of its source, under 10,000 bytes stored and compressed', () => {
    const built = buildAssets();
    for (const name of SCRIPT_SOURCES) {
      const shipped = read(path.join(ASSETS_DIR, name));
      expect({ name, upToDate: shipped === built.get(name) }).toEqual({ name, upToDate: true });
      expect(Buffer.byteLength(shipped)).toBeLessThan(JS_BUDGET_BYTES);
      expect(gzipSync(shipped).length).toBeLessThan(JS_BUDGET_BYTES);
    }
    for (const file of blockFiles()) {
      const { javascript, stylesheet } = schemaOf(file);
      if (javascript) {
        const asset = read(path.join(ASSETS_DIR, javascript));
        expect(gzipSync(asset).length).toBeLessThan(JS_BUDGET_BYTES);
        // One custom element per file, named after its tag, behind a customElements.get guard.
        const tag = javascript.replace(/\.js$/, '');
        const source = read(path.join(SOURCE_DIR, javascript));
        expect(source).toContain(`const TAG = '${tag}'`);
        expect(source).toContain('if (customElements.get(TAG)) return;');
        expect(source.match(/customElements\.define\(/g)).toHaveLength(1);
        expect(read(path.join(BLOCKS, file)) + read(path.join(EXTENSION, 'snippets', 'shelfwise-recommendations.liquid'))).toContain(`<${tag}`);
      }
      if (stylesheet) expect(fs.statSync(path.join(ASSETS_DIR, stylesheet)).size).toBeLessThan(10_000);
    }
  });

  it('leaves no console calls and loads no third-party code', () => {
    for (const name of SCRIPT_SOURCES) {
      const source = read(path.join(SOURCE_DIR, name));
      expect({ name, console: /\bconsole\./.test(source) }).toEqual({ name, console: false });
      expect({ name, imports: /\b(import|require)\s*\(|^import\s/m.test(source) }).toEqual({ name, imports: false });
    }
    for (const file of liquidFiles()) expect(read(file)).not.toMatch(/<script[^>]+src=["']https?:/);
  });

  it('translates every schema t: key in both schema locale files', () => {
    const english = new Set(keyPaths(readJson(path.join(LOCALES, 'en.default.schema.json'))));
    const french = new Set(keyPaths(readJson(path.join(LOCALES, 'fr.schema.json'))));
    const used = new Set(blockFiles().flatMap((f) => schemaTranslationKeys(schemaOf(f))));
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((k) => !english.has(k))).toEqual([]);
    expect([...used].filter((k) => !french.has(k))).toEqual([]);
    expect([...english].filter((k) => !french.has(k))).toEqual([]);
    // Every label a merchant sees is translated: no literal names, labels, contents or option labels.
    for (const file of blockFiles()) {
      const schema = schemaOf(file);
      expect(schema.name).toMatch(/^t:/);
      for (const setting of schema.settings) {
        const labels = [(setting as { label?: string }).label, (setting as { content?: string }).content, ...(setting.options ?? []).map((o) => (o as { label?: string }).label)];
        for (const label of labels.filter((l) => l !== undefined)) expect({ file, label }).toEqual({ file, label: expect.stringMatching(/^t:/) });
      }
    }
  });

  it('translates every storefront t key used in Liquid in both storefront locale files', () => {
    const english = new Set(keyPaths(readJson(path.join(LOCALES, 'en.default.json'))));
    const french = new Set(keyPaths(readJson(path.join(LOCALES, 'fr.json'))));
    const used = new Set(liquidFiles().flatMap((file) =>
      [...read(file).matchAll(/['"]([\w.-]+)['"]\s*\|\s*t\b/g)].map((m) => m[1] as string)));
    expect([...used]).toEqual(expect.arrayContaining(['shelfwise.card.add_to_cart', 'shelfwise.card.sponsored', 'shelfwise.card.adding', 'shelfwise.card.added']));
    expect([...used].filter((k) => !english.has(k))).toEqual([]);
    expect([...used].filter((k) => !french.has(k))).toEqual([]);
    expect([...english].filter((k) => !french.has(k))).toEqual([]);
  });

  describe('blocks', () => {
    const expected: Record<string, { target: string; placement?: string; templates?: string[] }> = {
      'related-products.liquid': { target: 'section', placement: "'related'", templates: ['product'] },
      'frequently-bought-together.liquid': { target: 'section', placement: "'fbt'", templates: ['product'] },
      'recommended-for-you.liquid': { target: 'section', placement: "'for_you'" },
      'cart-upsell.liquid': { target: 'section', placement: "'cart'", templates: ['cart'] },
      'sponsored-products.liquid': { target: 'section' },
      // The embed renders on every template: it links the cart to its visitor wherever the shopper adds.
      'tracking.liquid': { target: 'body' },
    };

    it('are the five app blocks and the tracking embed', () => {
      expect(blockFiles().sort()).toEqual(Object.keys(expected).sort());
      for (const [file, want] of Object.entries(expected)) {
        const schema = schemaOf(file);
        expect({ file, target: schema.target, templates: schema.enabled_on?.templates }).toEqual({ file, target: want.target, templates: want.templates });
        if (want.placement) expect(read(path.join(BLOCKS, file))).toContain(`placement: ${want.placement}`);
      }
      expect(read(path.join(BLOCKS, 'sponsored-products.liquid'))).toMatch(/endpoint: 'sponsored'[^\n]*sponsored: true/);
    });

    it.each(Object.keys(expected).filter((f) => expected[f]?.target === 'section'))('%s has the settings a theme editor expects', (file) => {
      const settings = new Map(schemaOf(file).settings.filter((s) => s.id).map((s) => [s.id, s]));
      const optionsOf = (id: string) => settings.get(id)?.options?.map((o) => o.value);
      expect(settings.get('heading')?.type).toBe('text');
      expect(settings.get('products_to_show')).toMatchObject({ type: 'range', min: 1, max: 20 });
      expect(settings.get('layout')?.type).toBe('select');
      expect(optionsOf('layout')).toEqual(['grid', 'carousel']);
      expect(settings.get('columns_desktop')).toMatchObject({ type: 'range', min: 1 });
      expect(settings.get('image_ratio')?.type).toBe('select');
      expect(optionsOf('image_ratio')).toEqual(['square', 'portrait', 'adapt']);
      for (const id of ['show_price', 'show_vendor', 'show_add_to_cart']) expect(settings.get(id)?.type).toBe('checkbox');
      expect(settings.get('color_scheme')?.type).toBe('color_scheme');
      expect(settings.get('max_per_vendor')).toMatchObject({ type: 'range', min: 1, max: 20 });
      for (const setting of settings.values()) {
        if (setting.type === 'range') expect(setting.default).toEqual(expect.any(Number));
      }
    });
  });
});
