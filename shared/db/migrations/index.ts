import type { Migration } from 'kysely';
import * as core from './0001-core';
import * as sync from './0002-sync';
import * as models from './0003-models';
import * as storefront from './0004-storefront';
import * as eventCartDetails from './0005-event-cart-details';
import * as sponsored from './0006-sponsored';
import * as attribution from './0007-attribution';
import * as orderRevenue from './0008-order-revenue';
import * as holdout from './0009-holdout';
import * as eventDaily from './0010-event-daily';
import * as holdoutVisitors from './0011-holdout-visitors';
import * as dropRedundantVisitorIndex from './0012-drop-redundant-visitor-index';
import * as dataRequests from './0013-data-requests';
import * as leanCreditIndexes from './0015-lean-credit-indexes';
import * as holdoutVisitorRevenue from './0016-holdout-visitor-revenue';
import * as redactions from './0017-redactions';
import * as holdoutVisitorRevenueLock from './0018-holdout-visitor-revenue-lock';

/**
 * Every migration, in order. Names sort: new ones append `NNNN-what` and never edit old ones.
 * Listed here rather than read from disk so that tsx, Jest and a bundle all see the same set.
 */
export const migrations: Record<string, Migration> = {
  '0001-core': core,
  '0002-sync': sync,
  '0003-models': models,
  '0004-storefront': storefront,
  '0005-event-cart-details': eventCartDetails,
  '0006-sponsored': sponsored,
  '0007-attribution': attribution,
  '0008-order-revenue': orderRevenue,
  '0009-holdout': holdout,
  '0010-event-daily': eventDaily,
  '0011-holdout-visitors': holdoutVisitors,
  '0012-drop-redundant-visitor-index': dropRedundantVisitorIndex,
  '0013-data-requests': dataRequests,
  '0015-lean-credit-indexes': leanCreditIndexes,
  '0016-holdout-visitor-revenue': holdoutVisitorRevenue,
  '0017-redactions': redactions,
  '0018-holdout-visitor-revenue-lock': holdoutVisitorRevenueLock,
};
