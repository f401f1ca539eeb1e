import fc from 'fast-check';
import { runAuction, type AuctionBidder, type AuctionWin } from '../../../shared/sponsored/auction';
import { biddersArb, entersAuction, optionsArb, outranks } from './support/bidders';

/** Entering bids in auction order (by the contract's words, independently of the auction). */
function entrantsInOrder(bidders: readonly AuctionBidder[], reserveMinor: number) {
  return bidders
    .filter((bidder) => entersAuction(bidder, reserveMinor))
    .map((bidder) => ({ ...bidder, score: bidder.bidMinor * bidder.quality }))
    .sort((a, b) => (outranks(a, b) ? -1 : outranks(b, a) ? 1 : 0));
}

/** The bid that could have taken `win`'s slot: below it, of a campaign with no slot at or above it, of a product not shown above it. */
function rivalOf(win: AuctionWin, wins: readonly AuctionWin[], bidders: readonly AuctionBidder[], reserveMinor: number) {
  const above = wins.slice(0, win.rank);
  return entrantsInOrder(bidders, reserveMinor).find(
    (b) => outranks(win, b) && b.campaignId !== win.campaignId && !above.some((u) => u.campaignId === b.campaignId || u.productId === b.productId),
  );
}

describe('runAuction, examples', () => {
  const bidders: AuctionBidder[] = [
    { campaignId: '1', productId: 'a', bidMinor: 100, quality: 0.02 },
    { campaignId: '2', productId: 'b', bidMinor: 80, quality: 0.03 },
    { campaignId: '3', productId: 'c', bidMinor: 50, quality: 0.02 },
  ];

  it('ranks by bid × quality and charges the generalized second price', () => {
    // Scores: campaign 1: 100 × 0.02 = 2.0; campaign 2: 80 × 0.03 = 2.4; campaign 3: 50 × 0.02 = 1.0.
    // Order: 2 (2.4), 1 (2.0), 3 (1.0).
    // Rank 0, campaign 2 against campaign 1: campaign 1 would win a tie (lower id), so 2 needs
    //   p × 0.03 > 2.0, p > 66.67: p = 67 (67 × 0.03 = 2.01; 66 × 0.03 = 1.98 would lose).
    // Rank 1, campaign 1 against campaign 3: campaign 1 wins a tie, so p × 0.02 ≥ 1.0: p = 50
    //   (a tie at exactly 1.0, held by the lower id; 49 × 0.02 = 0.98 would lose).
    expect(runAuction(bidders, { slots: 2, reserveMinor: 5 })).toEqual([
      { campaignId: '2', productId: 'b', priceMinor: 67, bidMinor: 80, quality: 0.03, rank: 0, score: 80 * 0.03 },
      { campaignId: '1', productId: 'a', priceMinor: 50, bidMinor: 100, quality: 0.02, rank: 1, score: 100 * 0.02 },
    ]);
  });

  it('prices against the next bidder even when that bidder wins no slot, and the last pays the reserve', () => {
    expect(runAuction(bidders, { slots: 1, reserveMinor: 5 }).map((win) => win.priceMinor)).toEqual([67]);
    // Rank 2, campaign 3, has nobody below it: the reserve.
    expect(runAuction(bidders, { slots: 3, reserveMinor: 5 }).map((win) => win.priceMinor)).toEqual([67, 50, 5]);
  });

  it('needs a strictly higher score against a bidder that wins ties', () => {
    // Campaign 3 becomes campaign 0, which beats campaign 1 on a tie: 1 now needs p × 0.02 > 1.0,
    // p = 51 (50 × 0.02 = 1.0 only ties, and loses it).
    const lowerId = bidders.map((bidder) => (bidder.campaignId === '3' ? { ...bidder, campaignId: '0' } : bidder));
    expect(runAuction(lowerId, { slots: 2, reserveMinor: 5 }).map((win) => win.priceMinor)).toEqual([67, 51]);
  });

  it('never charges below the reserve', () => {
    // Reserve 70: campaign 3 (bid 50) does not enter. Campaign 2 needs only 67 against campaign 1
    // but pays the reserve; campaign 1 has nobody below it any more: the reserve.
    expect(runAuction(bidders, { slots: 2, reserveMinor: 70 }).map((win) => [win.campaignId, win.priceMinor])).toEqual([
      ['2', 70],
      ['1', 70],
    ]);
  });

  it('keeps one product per campaign, its best-scoring one', () => {
    const wins = runAuction(
      [
        { campaignId: '7', productId: 'x', bidMinor: 40, quality: 0.05 }, // 2.0
        { campaignId: '7', productId: 'y', bidMinor: 40, quality: 0.06 }, // 2.4
        { campaignId: '8', productId: 'z', bidMinor: 30, quality: 0.05 }, // 1.5
      ],
      { slots: 2, reserveMinor: 1 },
    );
    // 7/y against 8: p × 0.06 ≥ 1.5 (7 wins the tie): p = 25. 8 has nobody below: the reserve.
    expect(wins.map((win) => [win.campaignId, win.productId, win.priceMinor])).toEqual([
      ['7', 'y', 25],
      ['8', 'z', 1],
    ]);
  });

  it('gives a product one slot: two campaigns promoting it compete, and the winner pays against the other', () => {
    const wins = runAuction(
      [
        { campaignId: '1', productId: 'p', bidMinor: 100, quality: 0.02 }, // 2.0
        { campaignId: '2', productId: 'p', bidMinor: 90, quality: 0.02 }, // 1.8
        { campaignId: '2', productId: 'q', bidMinor: 50, quality: 0.02 }, // 1.0
      ],
      { slots: 2, reserveMinor: 5 },
    );
    // Campaign 1 takes p; its rival is campaign 2's bid on p: p × 0.02 ≥ 1.8 (1 wins ties): 90.
    // Campaign 2 then takes q (p is shown); nobody is below it: the reserve.
    expect(wins.map((win) => [win.campaignId, win.productId, win.priceMinor])).toEqual([
      ['1', 'p', 90],
      ['2', 'q', 5],
    ]);
  });

  it('compares campaign ids as numbers and product ids as strings on a tie', () => {
    const wins = runAuction(
      [
        { campaignId: '10', productId: 'a', bidMinor: 50, quality: 0.02 },
        { campaignId: '9', productId: 'b', bidMinor: 50, quality: 0.02 },
      ],
      { slots: 2, reserveMinor: 0 },
    );
    expect(wins.map((win) => win.campaignId)).toEqual(['9', '10']);
    // Campaign 9 ties campaign 10 at 50 × 0.02 and keeps the tie: it pays exactly 50.
    expect(wins[0]!.priceMinor).toBe(50);
  });

  it('turns away bids below the reserve and broken qualities, and fills no slot when there are none', () => {
    const entrants: AuctionBidder[] = [
      { campaignId: '1', productId: 'a', bidMinor: 4, quality: 0.5 },
      { campaignId: '2', productId: 'b', bidMinor: 40, quality: 0 },
      { campaignId: '3', productId: 'c', bidMinor: 40, quality: Number.NaN },
      { campaignId: '4', productId: 'd', bidMinor: 7.5, quality: 0.5 },
      { campaignId: '5', productId: 'e', bidMinor: 5, quality: 0.01 },
    ];
    expect(runAuction(entrants, { slots: 3, reserveMinor: 5 }).map((win) => [win.campaignId, win.priceMinor])).toEqual([
      ['5', 5],
    ]);
    expect(runAuction(entrants, { slots: 0, reserveMinor: 5 })).toEqual([]);
    expect(runAuction([], { slots: 2, reserveMinor: 5 })).toEqual([]);
  });
});

describe('runAuction, properties', () => {
  it('charges a whole price within [reserve, bid] and ranks winners by score, one slot per campaign and per product', () => {
    fc.assert(
      fc.property(biddersArb, optionsArb, (bidders, options) => {
        const wins = runAuction(bidders, options);
        expect(wins.length).toBeLessThanOrEqual(Math.max(0, options.slots));
        expect(new Set(wins.map((win) => win.campaignId)).size).toBe(wins.length);
        expect(new Set(wins.map((win) => win.productId)).size).toBe(wins.length);
        wins.forEach((win, index) => {
          expect(win.rank).toBe(index);
          expect(Number.isInteger(win.priceMinor)).toBe(true);
          expect(win.priceMinor).toBeLessThanOrEqual(win.bidMinor);
          expect(win.priceMinor).toBeGreaterThanOrEqual(options.reserveMinor);
          expect(win.score).toBe(win.bidMinor * win.quality);
          if (index > 0) expect(outranks(wins[index - 1]!, win)).toBe(true);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('lets no entering bidder that lost outrank a winner, unless a slot above took its campaign or product', () => {
    fc.assert(
      fc.property(biddersArb, optionsArb, (bidders, options) => {
        const wins = runAuction(bidders, options);
        const won = (b: AuctionBidder) => wins.some((w) => w.campaignId === b.campaignId && w.productId === b.productId && w.bidMinor === b.bidMinor && w.quality === b.quality);
        for (const bidder of entrantsInOrder(bidders, options.reserveMinor)) {
          if (won(bidder)) continue;
          // Blocked at slot k: a winner at rank < k (or the slot's own winner's campaign) holds its campaign or product.
          const blockedAt = (k: number) => wins.slice(0, k).some((u) => u.campaignId === bidder.campaignId || u.productId === bidder.productId);
          for (const win of wins) {
            if (outranks(bidder, win)) expect(blockedAt(win.rank) || win.campaignId === bidder.campaignId).toBe(true);
          }
          // A slot left empty: the loser was blocked by some winner.
          if (wins.length < Math.max(0, options.slots)) expect(blockedAt(wins.length)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same answer whatever the order of the bidders', () => {
    fc.assert(
      fc.property(
        biddersArb.chain((bidders) =>
          fc.tuple(fc.constant(bidders), fc.shuffledSubarray(bidders, { minLength: bidders.length, maxLength: bidders.length })),
        ),
        optionsArb,
        ([bidders, shuffled], options) => {
          expect(runAuction(shuffled, options)).toEqual(runAuction(bidders, options));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('GSP: the price holds the rank against the rival (the best bid below that could take the slot), and one unit less would not', () => {
    fc.assert(
      fc.property(biddersArb, optionsArb, (bidders, options) => {
        const wins = runAuction(bidders, options);
        for (const win of wins) {
          const next = rivalOf(win, wins, bidders, options.reserveMinor);
          if (next === undefined) {
            expect(win.priceMinor).toBe(options.reserveMinor);
            continue;
          }
          const at = (priceMinor: number) => ({ ...win, score: priceMinor * win.quality });
          // The price holds the rank, unless the reserve alone set it.
          if (win.priceMinor > options.reserveMinor) expect(outranks(at(win.priceMinor), next)).toBe(true);
          if (win.priceMinor - 1 >= options.reserveMinor) expect(outranks(at(win.priceMinor - 1), next)).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  const winnerChangeArb = fc.record({
    pick: fc.nat(),
    bidRaise: fc.integer({ min: 0, max: 200 }),
    qualityFactor: fc.double({ min: 1, max: 4, noNaN: true }),
  });

  it('rank is monotone: a winner that raises its bid or quality keeps a slot at the same rank or better', () => {
    fc.assert(
      fc.property(biddersArb, optionsArb, winnerChangeArb, (bidders, options, change) => {
        const wins = runAuction(bidders, options);
        fc.pre(wins.length > 0);
        const win = wins[change.pick % wins.length]!;
        const index = bidders.findIndex(
          (bidder) =>
            bidder.campaignId === win.campaignId &&
            bidder.productId === win.productId &&
            bidder.bidMinor === win.bidMinor &&
            bidder.quality === win.quality,
        );
        expect(index).toBeGreaterThanOrEqual(0);
        for (const raised of [
          { ...bidders[index]!, bidMinor: win.bidMinor + change.bidRaise },
          { ...bidders[index]!, quality: win.quality * change.qualityFactor },
        ]) {
          const after = runAuction(bidders.map((bidder, at) => (at === index ? raised : bidder)), options);
          const again = after.find((other) => other.campaignId === win.campaignId);
          expect(again).toBeDefined();
          expect(again!.productId).toBe(win.productId);
          expect(again!.rank).toBeLessThanOrEqual(win.rank);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
