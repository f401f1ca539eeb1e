/**
 * The README's screenshots, from a real demo run: `npx tsx test/e2e/readme-screenshots.ts`
 * [--every N] (every Nth customer of the development year; default 4) or `--full` (the whole
 * dataset: long). Starts `shelfwise demo` with its default shoppers in a data directory of its own,
 * opens the printed storefront product page and the admin's overview in Chromium, writes
 * docs/images/storefront-blocks.png and docs/images/admin-overview.png, then stops the demo with
 * Ctrl-C and removes its data directory and Redis keys.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { DEVELOPMENT_DATASET } from '../../shared/dev/dataset';
import { DEV_LAYOUT } from '../../shared/dev/storefront';
import { deleteKeys } from '../support/runtime';
import { appBlock, cardLinks, imagesSettled, openShopper, scrollToY } from '../support/storefront';
import { openAdmin, shownKpi } from './support/admin-browser';
import { demoUrls, startDemo } from './support/demo-process';

const IMAGES = path.resolve(__dirname, '..', '..', 'docs', 'images');

async function main() {
  const args = process.argv.slice(2);
  const full = args.includes('--full');
  const every = Number(args[args.indexOf('--every') + 1]) || 4;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shelfwise-readme-'));
  const redis = new Redis('redis://127.0.0.1:6379');
  const slice = full ? [] : ['--every-nth-customer', String(every)];
  const demo = startDemo(['--csv', DEVELOPMENT_DATASET, ...slice, '--no-progress'], { SHELFWISE_DATA_DIR: dataDir, TRAIN_MIN_NEW_ORDERS: '1000000' });
  // The demo runs in its own process group: a Ctrl-C of this script stops it too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      demo.kill();
      process.exit(130);
    });
  }
  try {
    await demo.waitFor(/Ctrl-C to stop/, 90 * 60_000);
    console.log(demo.out.stdout);
    const urls = demoUrls(demo.out.stdout);
    fs.mkdirSync(IMAGES, { recursive: true });

    const shopper = await openShopper({ storefrontUrl: urls.product, consent: 'absent' });
    try {
      const { page } = shopper;
      await page.goto(urls.product);
      for (const handle of DEV_LAYOUT.product) {
        const block = appBlock(page, handle);
        await block.scrollIntoViewIfNeeded();
        await cardLinks(block).first().waitFor({ state: 'visible', timeout: handle === 'sponsored-products' ? 3_000 : 20_000 }).catch(() => console.log(`${handle}: no cards`));
      }
      await scrollToY(page, 0);
      await imagesSettled(page);
      await page.screenshot({ path: path.join(IMAGES, 'storefront-blocks.png'), fullPage: true });
    } finally {
      await shopper.close();
    }

    const admin = await openAdmin(urls.admin);
    try {
      await admin.page.goto(urls.admin);
      console.log(`attributed revenue shown: ${await shownKpi(admin.page, 'attributedRevenueMinor')}`);
      await admin.page.locator('[data-testid="overview-chart"] polyline').first().waitFor();
      await admin.page.screenshot({ path: path.join(IMAGES, 'admin-overview.png'), fullPage: true });
    } finally {
      await admin.close();
    }
    for (const file of ['storefront-blocks.png', 'admin-overview.png']) console.log(`${file}: ${fs.statSync(path.join(IMAGES, file)).size} bytes`);
  } finally {
    if (demo.child.exitCode === null) demo.interrupt();
    console.log(`demo exited: ${await demo.exited}`);
    const secrets = path.join(dataDir, 'dev-secrets.json');
    if (fs.existsSync(secrets)) await deleteKeys(redis, `${(JSON.parse(fs.readFileSync(secrets, 'utf8')) as { QUEUE_PREFIX: string }).QUEUE_PREFIX}:*`);
    await redis.quit();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
