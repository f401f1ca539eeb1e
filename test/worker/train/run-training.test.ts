import { readServingList, versionKeys } from '../../../shared/serving';
import { upsertOrder } from '../../../worker/store';
import { modelVersion, modelVersionsOf, runTraining, trainFromLog, trainingStatusOf, writtenVersions, type FitFunction, type TrainingRun } from '../../../worker/train';
import { setModelVersionStatus } from '../../../worker/train/model-versions';
import { testRuntime } from '../../support/runtime';
import { order, productId, START, writeProducts, writeSmallStore } from './small-store';

type Runtime = Awaited<ReturnType<typeof testRuntime>>;

/** The real fit, with every blend's ndcg@10 halved: a candidate worse than the serving version. */
const worseFit: FitFunction = async (input) => {
  const result = await trainFromLog(input);
  if (result.status !== 'trained') return result;
  for (const protocols of Object.values(result.metrics)) for (const models of Object.values(protocols)) models.blend!.ndcg /= 2;
  return result;
};

/** The real fit, with every blend's ndcg@10 at zero: below the popularity baseline. */
const uselessFit: FitFunction = async (input) => {
  const result = await trainFromLog(input);
  if (result.status !== 'trained') return result;
  for (const protocols of Object.values(result.metrics)) for (const models of Object.values(protocols)) models.blend!.ndcg = 0;
  return result;
};

describe.each(['pglite', 'postgres'] as const)('runTraining on %s and real Redis', (backend) => {
  let rt: Runtime;
  const shop = `train-${backend}.myshopify.com`;
  const small = `tiny-${backend}.myshopify.com`;
  const run = (extra: Partial<Parameters<typeof runTraining>[0]> = {}): Promise<TrainingRun> =>
    runTraining({ db: rt.db, redis: rt.redis, prefix: rt.config.queuePrefix, shop, logger: rt.logger, retention: { keepPrevious: 1, graceMs: 0 }, ...extra });
  const read = (placement: 'for_you' | 'product' | 'cart' | 'trending', key?: string) => readServingList({ redis: rt.redis, prefix: rt.config.queuePrefix, shop, placement, key });

  beforeAll(async () => {
    rt = await testRuntime({ backend });
    await writeSmallStore(rt.db, { shop });
  });
  afterAll(() => rt.close());

  it('gives a store too small to learn from not_enough_data with its counts and publishes the trending fallback', async () => {
    await writeProducts(rt.db, small, 5);
    for (let n = 1; n <= 6; n++) await upsertOrder(rt.db, order(small, 900 + n, new Date(START + n * 86_400_000), `c${n % 2}`, [productId(n % 3), productId(4)]));
    const result = await run({ shop: small });
    expect(result.outcome).toBe('not_enough_data');
    if (result.outcome !== 'not_enough_data') return;
    expect(result.published).toBe(true);
    expect(result.counts).toMatchObject({ rows: 12, orders: 6, customers: 2, items: 4, products: 5, testUsers: 0 });
    expect(result.reasons.join(' ')).toMatch(/6 orders, fewer than 50/);
    expect(result.version).toMatchObject({ status: 'not_enough_data', model: 'trending', shop: small });
    expect(await trainingStatusOf(rt.db, small)).toMatchObject({ status: 'not_enough_data', serving_version_id: result.version.id, counts: { orders: 6, customers: 2 } });
    const served = await readServingList({ redis: rt.redis, prefix: rt.config.queuePrefix, shop: small, placement: 'for_you', key: 'c1' });
    expect(served).toMatchObject({ version: String(result.version.id), source: 'trending' });
    // The bought products first, then the never-bought one as padding.
    expect(served.items[4]).toBe(productId(3));
    expect([...served.items].sort()).toEqual([0, 1, 2, 3, 4].map(productId));
  });

  it('rejects a first candidate below popularity but serves its trending list, so the storefront is never empty', async () => {
    const weak = `weak-${backend}.myshopify.com`;
    await writeSmallStore(rt.db, { shop: weak, customers: 24, ordersPerCustomer: 4 });
    const result = await run({ shop: weak, fit: uselessFit });
    expect(result).toMatchObject({ outcome: 'rejected', fallbackPublished: true });
    if (result.outcome !== 'rejected') return;
    expect(result.servingVersionId).toBe(result.version.id);
    expect(result.version.message).toMatch(/below the popularity baseline.*its trending fallback serves/);
    const served = await readServingList({ redis: rt.redis, prefix: rt.config.queuePrefix, shop: weak, placement: 'for_you', key: 'customer-1' });
    expect(served).toMatchObject({ version: String(result.version.id), source: 'trending' });
    expect(served.items).toHaveLength(20);
    // The real fit is then judged against popularity only (a fallback is no model to beat) and replaces it.
    const real = await run({ shop: weak, force: true });
    expect(real.outcome).toBe('published');
  });

  let first: TrainingRun;
  it('trains, records the version with metrics beside the baselines, and publishes its lists', async () => {
    first = await run();
    expect(first.outcome).toBe('published');
    if (first.outcome !== 'published') return;
    const v = first.version;
    expect(v).toMatchObject({ status: 'published', model: 'blend', shop });
    expect(v.published_at).toBeInstanceOf(Date);
    expect(Object.keys(v.parameters).sort()).toEqual(['cart', 'for_you', 'product']);
    expect(Object.keys(v.metrics.for_you!)).toEqual(expect.arrayContaining(['next-30d-new', 'next-30d-all']));
    expect(Object.keys(v.metrics.for_you!['next-30d-all']!).sort()).toEqual(['blend', 'buy again', 'popularity']);
    expect(Object.keys(v.metrics.product!['fbt-30d']!).sort()).toEqual(['blend', 'co-occurrence', 'popularity']);
    expect(v.metrics.for_you!['next-30d-all']!.blend!.queries).toBeGreaterThan(0);
    expect(v.data_snapshot.counts).toMatchObject({ customers: 40, products: 30 });
    expect(v.data_snapshot.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(v.vocabulary).toHaveLength(30);
    expect(first.timings.fit).toBeGreaterThan(0);
    const mine = await read('for_you', 'customer-3');
    expect(mine).toMatchObject({ version: String(v.id), source: 'list' });
    expect(mine.items).toHaveLength(20);
    expect((await read('product', productId(2))).items.every((code) => code !== productId(2))).toBe(true);
    expect(await trainingStatusOf(rt.db, shop)).toMatchObject({ status: 'published', serving_version_id: v.id, last_version_id: v.id });
  });

  it('skips a run when the data did not change, and trains again when forced', async () => {
    const skipped = await run();
    expect(skipped.outcome).toBe('unchanged');
    expect((await modelVersionsOf(rt.db, shop)).length).toBe(1);
    expect((await trainingStatusOf(rt.db, shop))?.status).toBe('unchanged');
    const forced = await run({ force: true });
    // The same data fits the same model: not worse, so it replaces the first.
    expect(forced.outcome).toBe('published');
    if (forced.outcome !== 'published' || first.outcome !== 'published') return;
    expect(forced.previousVersionId).toBe(first.version.id);
    expect((await modelVersion(rt.db, first.version.id))?.status).toBe('superseded');
    // The same data under other fit options (or another TRAINING_REVISION) is not "unchanged".
    const relisted = await run({ fitOptions: { listLength: 5 } });
    expect(relisted.outcome).toBe('published');
    expect((await read('for_you', 'customer-1')).items.length).toBeLessThanOrEqual(5);
    expect((await run({ fitOptions: { listLength: 5 } })).outcome).toBe('unchanged');
  });

  it('records a worse candidate as rejected and leaves the serving pointer where it was', async () => {
    const before = await read('for_you', 'customer-1');
    const worse = await run({ force: true, fit: worseFit });
    expect(worse.outcome).toBe('rejected');
    if (worse.outcome !== 'rejected') return;
    expect(worse.version.status).toBe('rejected');
    expect(worse.version.message).toMatch(/worse than the serving version/);
    expect(worse.servingVersionId).toBe(Number(before.version));
    expect(await read('for_you', 'customer-1')).toEqual(before);
    expect(await trainingStatusOf(rt.db, shop)).toMatchObject({ status: 'rejected', serving_version_id: Number(before.version), last_version_id: worse.version.id });
    // A rejected run on unchanged data counts as done: the next one skips.
    expect((await run()).outcome).toBe('unchanged');
  });

  it('deletes stale versions from Redis once newer ones publish, keeping one previous', async () => {
    await upsertOrder(rt.db, order(shop, 7000, new Date(START + 119 * 86_400_000), 'customer-5', [productId(0), productId(3)]));
    const latest = await run();
    expect(latest.outcome).toBe('published');
    const versions = (await modelVersionsOf(rt.db, shop)).filter((v) => v.status !== 'rejected').map((v) => String(v.id));
    expect(await writtenVersions({ redis: rt.redis, prefix: rt.config.queuePrefix, shop })).toEqual(versions.slice(0, 2));
    expect(await rt.redis.exists(...versionKeys(rt.config.queuePrefix, shop, versions[2]!))).toBe(0);
  });

  it('marks a version that serves but was left recorded as trained (a run killed after the switch) as published', async () => {
    const servingId = (await trainingStatusOf(rt.db, shop))!.serving_version_id!;
    await setModelVersionStatus(rt.db, servingId, 'trained');
    const again = await run();
    expect(again.outcome).toBe('unchanged');
    expect((await modelVersion(rt.db, servingId))?.status).toBe('published');
  });

  it('never lets a run that started earlier replace what a concurrent run published while it fitted', async () => {
    let inner: TrainingRun | undefined;
    // Run A's fit waits for a whole second run (B) to train and publish, then returns A's own result.
    const overtaken: FitFunction = async (input) => {
      const own = await trainFromLog(input);
      inner = await run({ force: true });
      return own;
    };
    await expect(run({ force: true, fit: overtaken })).rejects.toThrow(/was published by another run while it fitted/);
    expect(inner?.outcome).toBe('published');
    const b = inner!.version!.id;
    expect((await read('trending')).version).toBe(String(b));
    const a = (await modelVersionsOf(rt.db, shop)).find((v) => v.id > b);
    expect(a).toMatchObject({ status: 'superseded' });
  });
});
