import { shopLocalTimestamp } from '../../../shared/catalog-csv';

describe('shopLocalTimestamp (Europe/London)', () => {
  it.each([
    ['2009-12-01T07:45:00', '2009-12-01T07:45:00+00:00', '2009-12-01T07:45:00.000Z'],
    ['2010-06-01T09:30:00', '2010-06-01T09:30:00+01:00', '2010-06-01T08:30:00.000Z'],
    // Spring forward: 01:00-02:00 does not exist on 2010-03-28 and is read as winter time.
    ['2010-03-28T01:30:00', '2010-03-28T02:30:00+01:00', '2010-03-28T01:30:00.000Z'],
    ['2010-03-28T00:59:00', '2010-03-28T00:59:00+00:00', '2010-03-28T00:59:00.000Z'],
    // Fall back: 01:00-02:00 happens twice on 2010-10-31; the first (BST) reading is taken.
    ['2010-10-31T01:30:00', '2010-10-31T01:30:00+01:00', '2010-10-31T00:30:00.000Z'],
    ['2010-10-31T02:00:00', '2010-10-31T02:00:00+00:00', '2010-10-31T02:00:00.000Z'],
  ])('%s is %s', (local, shopTime, utc) => {
    const stamp = shopLocalTimestamp(local);
    expect(stamp).toBe(shopTime);
    expect(new Date(stamp).toISOString()).toBe(utc);
  });
});
