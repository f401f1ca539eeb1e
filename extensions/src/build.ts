/**
 * Builds the theme app extension's JavaScript assets from the readable sources beside this file:
 * `npx tsx extensions/src/build.ts` writes extensions/shelfwise/assets/<name>.js.
 *
 * Why a build: theme-check (AssetSizeAppBlockJavaScript) refuses an app block whose JavaScript file
 * is 10,000 bytes or more as stored, so the shipped file is minified (no bundling, no libraries);
 * the leading `/*!` comment, which names the element's data-* attributes, survives. The theme-check
 * test fails when an asset differs from a fresh build of its source.
 */
import fs from 'node:fs';
import path from 'node:path';
import { transformSync } from 'esbuild';

export const SOURCE_DIR = __dirname;
export const ASSETS_DIR = path.join(__dirname, '..', 'shelfwise', 'assets');

/** One custom element per file, named after its tag. */
export const SCRIPT_SOURCES = ['shelfwise-recommendations.js', 'shelfwise-tracking.js'] as const;

/** Minified text of each asset, by file name. */
export function buildAssets(): Map<string, string> {
  const built = new Map<string, string>();
  for (const name of SCRIPT_SOURCES) {
    const source = fs.readFileSync(path.join(SOURCE_DIR, name), 'utf8');
    // es2020: every browser Shopify's Online Store supports; a plain script, not a module.
    const { code } = transformSync(source, { loader: 'js', minify: true, target: 'es2020', legalComments: 'inline', charset: 'utf8' });
    built.set(name, code);
  }
  return built;
}

if (require.main === module) {
  for (const [name, code] of buildAssets()) {
    fs.writeFileSync(path.join(ASSETS_DIR, name), code);
    process.stdout.write(`${name}: ${Buffer.byteLength(code)} bytes\n`);
  }
}
