import { buildCatalog, CatalogCache } from '../../../../app/proxy/recommendations';
import { createLogger } from '../../../../shared/logger';

const catalogOf = (title: string) =>
  buildCatalog({
    currency: 'EUR',
    products: [{ id: '1', title, handle: 'one', vendor: null, product_type: null, tags: [], status: 'active', published_at: '2026-01-01T00:00:00Z', available: true, min_price: '1.00', image_url: null, deleted_at: null }],
    firstVariant: new Map(),
    collections: new Map(),
    rules: [],
  });

describe('CatalogCache', () => {
  const logger = createLogger({ level: 'silent' });

  it('loads a shop once for concurrent first requests, serves the stale catalog while one refresh runs, keeps it when a refresh fails', async () => {
    const clock = { now: 0 };
    const loads: string[] = [];
    let release: () => void = () => undefined;
    let fail = false;
    const cache = new CatalogCache({
      ttlMs: 1_000,
      now: () => clock.now,
      logger,
      load: async (shop) => {
        loads.push(shop);
        await new Promise<void>((resolve) => (release = resolve));
        if (fail) throw new Error('database down');
        return catalogOf(`load ${loads.length}`);
      },
    });
    const first = [cache.get('a.myshopify.com'), cache.get('a.myshopify.com'), cache.get('a.myshopify.com')];
    release();
    const loaded = await Promise.all(first);
    expect(loads).toEqual(['a.myshopify.com']);
    expect(new Set(loaded).size).toBe(1);
    expect(loaded[0]!.byId.get('1')?.title).toBe('load 1');

    clock.now = 999;
    expect(cache.get('a.myshopify.com')).toBe(loaded[0]);
    clock.now = 1_000;
    // Stale: answered at once from memory (not a promise), one refresh started for any number of requests.
    expect(cache.get('a.myshopify.com')).toBe(loaded[0]);
    expect(cache.get('a.myshopify.com')).toBe(loaded[0]);
    expect(loads).toHaveLength(2);
    release();
    await new Promise((r) => setImmediate(r));
    const refreshed = cache.get('a.myshopify.com') as ReturnType<typeof catalogOf>;
    expect(refreshed.byId.get('1')?.title).toBe('load 2');

    clock.now = 5_000;
    fail = true;
    expect(cache.get('a.myshopify.com')).toBe(refreshed);
    release();
    await new Promise((r) => setImmediate(r));
    // The failed refresh kept the old catalog, and the next request tries again.
    expect(cache.get('a.myshopify.com')).toBe(refreshed);
    expect(loads).toHaveLength(4);
  });
});
