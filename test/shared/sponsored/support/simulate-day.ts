import { runAuction, type AuctionBidder } from '../../../../shared/sponsored/auction';
import { participationProbability, type PacingSchedule } from '../../../../shared/sponsored/pacing';
import { predictedCtr } from '../../../../shared/sponsored/quality';
import { mulberry32, poisson, type Random } from './random';

const DAY_SECONDS = 86_400;
const HOUR_SECONDS = 3_600;

/** The paced campaign and its rivals in every simulated auction. */
const CAMPAIGN_ID = '7';
const BID_MINOR = 80;
const RESERVE_MINOR = 5;
/** Sponsored history of the campaign's three products: (impressions, clicks) of 30 days. */
const PRODUCT_HISTORY = [
  { productId: 'p1', impressions: 0, clicks: 0 },
  { productId: 'p2', impressions: 4_000, clicks: 60 },
  { productId: 'p3', impressions: 12_000, clicks: 300 },
];

export interface DayScenario {
  /** Traffic of each of the 24 UTC hours, any non-negative weights. */
  hourlyTraffic: readonly number[];
  dailyBudgetMinor: number;
  /** What the campaign would spend taking part in every auction, as a multiple of its budget. */
  demandMultiple: number;
  /** Passed to pacing; undefined: its default straight line. */
  schedule?: PacingSchedule;
  /** false: no pacing, the campaign takes part in every auction (what demand alone spends). */
  paced: boolean;
  /** How long after its impression a click comes, uniformly in [min, max] seconds. */
  clickDelaySeconds: readonly [min: number, max: number];
  seed: number;
}

export interface DayOutcome {
  /** Charged for the day's clicks, minor units. */
  spentMinor: number;
  /** Charged by the end of each UTC hour, as the ledger has it then (24 entries). */
  spentByHourEnd: number[];
  requests: number;
  impressions: number;
  clicks: number;
  /** The dearest click price of the day: the most one click can add. */
  maxPriceMinor: number;
}

/**
 * One request's random draws, taken whether or not the campaign takes part so that a paced and
 * an unpaced run of the same seed see the same requests: which product, its relevance, the two
 * rivals' bids and qualities, whether and when the visitor clicks, when the worker charges.
 */
type RequestDraws = [
  product: number,
  relevance: number,
  rivalBid1: number,
  rivalQuality1: number,
  rivalBid2: number,
  rivalQuality2: number,
  click: number,
  clickDelay: number,
  chargeDelay: number,
];

function drawRequest(random: Random): RequestDraws {
  return [random(), random(), random(), random(), random(), random(), random(), random(), random()];
}

/**
 * The auction of a request with sponsored slots, which the campaign wins when it takes part:
 * its product at a relevance between 0.3 (the default threshold) and 1, and two rival campaigns
 * scoring below it that set its price. The visitor clicks with the predicted click-through; the
 * worker charges the click 2–5 s after it.
 */
function auctionFor(draws: RequestDraws): {
  priceMinor: number;
  ctr: number;
  clicked: boolean;
  /** Share of the click-delay range; the worker's delay in seconds. */
  delays: [click: number, charge: number];
} {
  const [productDraw, relevanceDraw, bid1, quality1, bid2, quality2, click, clickDelay, chargeDelay] = draws;
  const product = PRODUCT_HISTORY[Math.floor(productDraw * PRODUCT_HISTORY.length)]!;
  const quality = predictedCtr({ relevance: 0.3 + 0.7 * relevanceDraw, impressions: product.impressions, clicks: product.clicks });
  const rival = (campaignId: string, bidDraw: number, qualityDraw: number): AuctionBidder => ({
    campaignId,
    productId: `r${campaignId}`,
    bidMinor: RESERVE_MINOR + Math.floor(bidDraw * (BID_MINOR - RESERVE_MINOR)),
    quality: quality * (0.4 + 0.6 * qualityDraw),
  });
  const own: AuctionBidder = { campaignId: CAMPAIGN_ID, productId: product.productId, bidMinor: BID_MINOR, quality };
  const [win] = runAuction([own, rival('11', bid1, quality1), rival('12', bid2, quality2)], { slots: 1, reserveMinor: RESERVE_MINOR });
  if (win?.campaignId !== CAMPAIGN_ID) throw new Error('simulation: the paced campaign should win every auction it enters');
  return { priceMinor: win.priceMinor, ctr: win.quality, clicked: click < win.quality, delays: [clickDelay, 2 + 3 * chargeDelay] };
}

const meanCharges = new Map<number, number>();

/** Expected charge of one request at full participation, by sampling (a seed of its own). */
function meanChargePerRequest(seed: number, samples = 20_000): number {
  const known = meanCharges.get(seed);
  if (known !== undefined) return known;
  const random = mulberry32(seed);
  let total = 0;
  for (let i = 0; i < samples; i += 1) {
    const { priceMinor, ctr } = auctionFor(drawRequest(random));
    total += priceMinor * ctr;
  }
  meanCharges.set(seed, total / samples);
  return total / samples;
}

/**
 * One UTC day of one campaign, second by second, with the lags of the real system: the spend
 * pacing sees is re-read once a second and is the spend as of the second before (1–2 s old);
 * a click comes `clickDelaySeconds` after its impression and the worker charges it 2–5 s later,
 * min(price, budget left) as charging does. Requests arrive as a Poisson process following the
 * hourly traffic, as many as make the demand `demandMultiple` × the budget.
 */
export function simulateDay(scenario: DayScenario): DayOutcome {
  const budget = scenario.dailyBudgetMinor;
  const trafficTotal = scenario.hourlyTraffic.reduce((sum, weight) => sum + weight, 0);
  const requestsPerDay = (scenario.demandMultiple * budget) / meanChargePerRequest(scenario.seed + 1);
  const traffic = mulberry32(scenario.seed);
  const pacing = mulberry32(scenario.seed + 2);
  const [minClickDelay, maxClickDelay] = scenario.clickDelaySeconds;

  /** Click prices to charge, by the second the worker charges them. */
  const landing = new Map<number, number[]>();
  const spentByHourEnd: number[] = [];
  let committed = 0;
  let committedSecondAgo = 0;
  let visible = 0;
  const outcome = { requests: 0, impressions: 0, clicks: 0, maxPriceMinor: 0 };

  const land = (second: number) => {
    for (const priceMinor of landing.get(second) ?? []) committed += Math.min(priceMinor, budget - committed);
    landing.delete(second);
  };

  for (let second = 0; second < DAY_SECONDS; second += 1) {
    // The web process re-reads spend once a second; the read sees the ledger a second behind.
    visible = committedSecondAgo;
    committedSecondAgo = committed;
    const hour = Math.floor(second / HOUR_SECONDS);
    const arrivals = poisson(traffic, (requestsPerDay * scenario.hourlyTraffic[hour]!) / trafficTotal / HOUR_SECONDS);
    for (let i = 0; i < arrivals; i += 1) {
      const at = second + traffic();
      const draws = drawRequest(traffic);
      outcome.requests += 1;
      const takesPart =
        !scenario.paced ||
        pacing() <
          participationProbability({
            dailyBudgetMinor: budget,
            spentTodayMinor: visible,
            dayFraction: at / DAY_SECONDS,
            schedule: scenario.schedule,
          });
      if (!takesPart) continue;
      const { priceMinor, clicked, delays } = auctionFor(draws);
      outcome.impressions += 1;
      outcome.maxPriceMinor = Math.max(outcome.maxPriceMinor, priceMinor);
      const clickedAt = at + minClickDelay + (maxClickDelay - minClickDelay) * delays[0];
      // A click after midnight is the next spend day's: not this day's budget.
      if (!clicked || clickedAt >= DAY_SECONDS) continue;
      outcome.clicks += 1;
      const chargedAt = Math.floor(clickedAt + delays[1]);
      const queue = landing.get(chargedAt) ?? [];
      queue.push(priceMinor);
      landing.set(chargedAt, queue);
    }
    land(second);
    if ((second + 1) % HOUR_SECONDS === 0) spentByHourEnd.push(committed);
  }
  for (const second of [...landing.keys()].sort((a, b) => a - b)) land(second);
  return { spentMinor: committed, spentByHourEnd, ...outcome };
}
