import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { shopDomain } from '../../queue/jobs';
import { createProgressLine, formatReplaySummary, runReplay } from '../../replay';

/** Default shop domain of the development store the replay and import load. */
export const DEV_SHOP = 'shelfwise-dev.myshopify.com';

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return n;
}

export function shopOption(value: string): string {
  const parsed = shopDomain.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('must be a *.myshopify.com domain');
  return parsed.data;
}

interface ReplayFlags {
  csv: string;
  url: string;
  secret?: string;
  shop: string;
  limit?: number;
  concurrency: number;
  retries: number;
  apiVersion: string;
  json?: boolean;
  progress: boolean;
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('send an Online Retail II CSV to a running app as signed Shopify webhooks (products, then orders and refunds in time order)')
    .requiredOption('--csv <file>', 'Online Retail II layout file, .csv or .csv.gz')
    .requiredOption('--url <url>', "the app's webhook endpoint, e.g. http://127.0.0.1:3000/webhooks")
    .option('--secret <secret>', 'the app API secret that signs the deliveries (default: $SHOPIFY_API_SECRET)')
    .option('--shop <domain>', 'shop domain sent in X-Shopify-Shop-Domain', shopOption, DEV_SHOP)
    .option('--limit <n>', 'read only the first N data lines of the file', positiveInt)
    .option('--concurrency <n>', 'deliveries in flight at once', positiveInt, 16)
    .option('--retries <n>', 'retries per delivery on 5xx and connection errors', nonNegativeInt, 5)
    .option('--api-version <version>', 'X-Shopify-API-Version', '2026-07')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--no-progress', 'no progress line on stderr')
    .action(async (flags: ReplayFlags) => {
      // The CLI is an entry point: the one place allowed to fall back to the environment.
      const secret = flags.secret ?? process.env.SHOPIFY_API_SECRET;
      if (!secret) throw new Error('--secret is required (or set SHOPIFY_API_SECRET)');
      const summary = await runReplay({
        file: flags.csv,
        url: flags.url,
        secret,
        shop: flags.shop,
        apiVersion: flags.apiVersion,
        limit: flags.limit,
        concurrency: flags.concurrency,
        retries: flags.retries,
        progress: flags.progress ? (total) => createProgressLine({ stream: process.stderr, total }) : undefined,
      });
      console.log(flags.json ? JSON.stringify(summary, null, 2) : formatReplaySummary(summary));
      // Shopify would keep retrying what failed; an operator must know the store is incomplete.
      if (summary.deliveries.failed > 0) process.exitCode = 1;
    });
}
