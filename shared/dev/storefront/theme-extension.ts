import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultSettings, readBlockSchema, type BlockSchema } from './block-schema';
import { lookupTranslation, type Locale } from './translations';

/** One file of `blocks/`: an app block (`target: section`) or an app embed (`head`/`body`). */
export interface ThemeBlock {
  /** File name without `.liquid`: the block's handle in the theme editor. */
  handle: string;
  source: string;
  schema: BlockSchema;
  settings: Record<string, unknown>;
}

/** A theme app extension as it sits on disk (`extensions/<name>/`). */
export interface ThemeExtension {
  dir: string;
  blocks: Map<string, ThemeBlock>;
  /** `locales/en.default.json`: the storefront strings of the `t` filter. */
  locale: Locale;
  /** `locales/en.default.schema.json`: the schema's `t:` strings. */
  schemaLocale: Locale;
}

function readLocale(file: string): Locale {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Locale) : {};
}

/** Reads the extension's blocks and English locales; files appear as they are written. */
export function loadThemeExtension(dir: string): ThemeExtension {
  const locale = readLocale(path.join(dir, 'locales', 'en.default.json'));
  const schemaLocale = readLocale(path.join(dir, 'locales', 'en.default.schema.json'));
  const blocks = new Map<string, ThemeBlock>();
  const blocksDir = path.join(dir, 'blocks');
  for (const file of existsSync(blocksDir) ? readdirSync(blocksDir) : []) {
    if (!file.endsWith('.liquid')) continue;
    const source = readFileSync(path.join(blocksDir, file), 'utf8');
    const schema = readBlockSchema(source, file);
    const translate = (key: string) => lookupTranslation(schemaLocale, key) ?? lookupTranslation(locale, key) ?? key;
    blocks.set(file.slice(0, -'.liquid'.length), { handle: file.slice(0, -'.liquid'.length), source, schema, settings: defaultSettings(schema, translate) });
  }
  return { dir, blocks, locale, schemaLocale };
}

/** The block named `handle`, or an error that lists what the extension has. */
export function themeBlock(extension: ThemeExtension, handle: string): ThemeBlock {
  const block = extension.blocks.get(handle);
  if (!block) throw new Error(`no block ${handle}.liquid in ${extension.dir}/blocks (have: ${[...extension.blocks.keys()].join(', ') || 'none'})`);
  return block;
}
