import path from 'node:path';
import { importCatalog } from '../../../shared/cli/commands/import';
import { createLogger } from '../../../shared/logger';
import { protocolHoldouts, readPurchaseLog, type Holdout } from '../../../worker/recommend/evaluation';
import { snapshotStore } from '../../../worker/train';
import { pgliteDatabase, type TestDatabase } from '../../support/databases';

const SLICE = path.join(__dirname, '..', '..', 'fixtures', 'online-retail-ii-every-97th-customer.csv.gz');
const SHOP = 'slice.myshopify.com';

const figures = (h: Holdout) => ({
  customers: h.training.customerIds.length,
  items: h.training.stockCodes.length,
  pairs: h.training.interactions.indices.length,
  strength: h.training.interactions.values.reduce((a, b) => a + b, 0),
  baskets: h.training.baskets.rows,
  newUsers: h.newItemQueries.length,
  allUsers: h.allItemQueries.length,
  fbtQueries: h.basketQueries.length,
  truths: h.allItemQueries.reduce((n, q) => n + q.truth.length, 0),
});

describe('a store imported from a file and snapshotted trains on what the protocol reads from the file', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await pgliteDatabase();
    await importCatalog({ db: database.db, logger: createLogger({ level: 'silent' }), customerIdKey: 'slice-customer-key-0123456789', shop: SHOP, file: SLICE });
  }, 120_000);
  afterAll(() => database.close());

  it('has the same training customers, items, pairs, baskets and test queries as the file (test split)', async () => {
    const { log } = await snapshotStore(database.db, SHOP);
    const fromStore = protocolHoldouts(log).test;
    const fromFile = protocolHoldouts(await readPurchaseLog(SLICE)).test;
    expect(figures(fromStore)).toEqual(figures(fromFile));
    expect(figures(fromStore).allUsers).toBeGreaterThan(10);
  });
});
