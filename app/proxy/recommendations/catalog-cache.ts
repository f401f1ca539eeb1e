import type { Logger } from '../../../shared/logger';
import type { StorefrontCatalog } from './catalog';

interface Entry<T> {
  catalog: T | null;
  /** The revision the catalog was loaded at ('' when not known). */
  revision: string;
  loadedAt: number;
  loading: Promise<T> | null;
}

export interface CatalogCacheOptions<T> {
  load: (shop: string) => Promise<T>;
  /**
   * A cheap fingerprint of what `load` reads: when a stale catalog's revision has not changed it
   * is kept (fresh again) instead of reloaded. Omitted: every refresh reloads.
   */
  revision?: (shop: string) => Promise<string>;
  /** How long a loaded catalog is fresh, in ms. */
  ttlMs: number;
  /** Epoch ms. */
  now: () => number;
  logger: Logger;
  /** What is cached, for the log line of a failed refresh. Default: storefront catalog. */
  what?: string;
}

/**
 * Per-shop catalogs (or any per-shop snapshot `T`: the sponsored campaigns and spend use it too) in memory. A fresh one is returned as is; a stale one too, while one
 * refresh runs in the background (requests never wait on the database once a shop is loaded);
 * the first request of a shop waits for the one load every concurrent request shares. A failed
 * refresh keeps the stale catalog and is retried by the next request.
 */
export class CatalogCache<T = StorefrontCatalog> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly options: CatalogCacheOptions<T>) {}

  get(shop: string): T | Promise<T> {
    let entry = this.entries.get(shop);
    if (!entry) this.entries.set(shop, (entry = { catalog: null, revision: '', loadedAt: 0, loading: null }));
    // `!== null`: a loaded value may be falsy (a holdout share of 0 is cached like any other).
    if (entry.catalog !== null) {
      if (this.options.now() - entry.loadedAt >= this.options.ttlMs && !entry.loading) {
        this.refresh(shop, entry).catch((err: unknown) => this.options.logger.warn({ err, shop }, `${this.options.what ?? 'storefront catalog'} refresh failed; serving the previous one`));
      }
      return entry.catalog;
    }
    return entry.loading ?? this.refresh(shop, entry);
  }

  private refresh(shop: string, entry: Entry<T>): Promise<T> {
    const { load, revision } = this.options;
    const loading = (async () => {
      // Read before loading: a change landing during the load shows as a new revision next time.
      const seen = revision ? await revision(shop) : '';
      if (entry.catalog && seen && seen === entry.revision) {
        entry.loadedAt = this.options.now();
        return entry.catalog;
      }
      const catalog = await load(shop);
      entry.catalog = catalog;
      entry.revision = seen;
      entry.loadedAt = this.options.now();
      return catalog;
    })()
      .finally(() => {
        entry.loading = null;
      });
    entry.loading = loading;
    return loading;
  }
}
