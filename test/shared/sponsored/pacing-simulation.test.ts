import { PACING_LOOKAHEAD, shopTrafficSchedule, STRAIGHT_LINE, trafficSchedule, type PacingSchedule } from '../../../shared/sponsored/pacing';
import { readHourlyOrderShares } from './support/hourly-traffic';
import { simulateDay, type DayOutcome, type DayScenario } from './support/simulate-day';

/**
 * Simulated UTC days of one campaign's traffic (support/simulate-day.ts): pacing with the real
 * system's lags (spend re-read once a second, a second old; clicks 1–30 s after the impression;
 * the worker charging 2–5 s later). Fixed seeds: each case replays the same day.
 */
const BUDGET = 12_000;
const L = PACING_LOOKAHEAD;
const FLAT_TRAFFIC = new Array<number>(24).fill(1);
const base = { dailyBudgetMinor: BUDGET, clickDelaySeconds: [1, 30] as const, paced: true, seed: 20_251_128 };

let orderShares: number[];
let orderSchedule: PacingSchedule;

beforeAll(async () => {
  orderShares = await readHourlyOrderShares();
  orderSchedule = trafficSchedule(orderShares);
});

function day(scenario: Partial<DayScenario> & Pick<DayScenario, 'hourlyTraffic' | 'demandMultiple'>): DayOutcome {
  return simulateDay({ ...base, ...scenario });
}

/**
 * A paced day whose demand exceeds the budget: the budget is spent, within 5% and never beyond,
 * and never ahead of the schedule by more than the look-ahead and the one click that crosses it
 * (spend as the ledger has it at each hour's end).
 */
function expectPacedDay(outcome: DayOutcome, schedule: PacingSchedule): void {
  expect(outcome.spentMinor).toBeLessThanOrEqual(BUDGET);
  expect(outcome.spentMinor).toBeGreaterThanOrEqual(0.95 * BUDGET);
  expect(outcome.spentByHourEnd).toHaveLength(24);
  expect(outcome.spentByHourEnd[0]).toBeLessThanOrEqual((1 / 24 + L) * BUDGET * 1.1);
  const aheadOfSchedule = outcome.spentByHourEnd
    .map((spent, hour) => ({ hour, spent, allowed: BUDGET * Math.min(1, schedule((hour + 1) / 24) + L) + outcome.maxPriceMinor }))
    .filter(({ spent, allowed }) => spent > allowed);
  expect(aheadOfSchedule).toEqual([]);
}

describe('pacing over a day of the development data’s traffic', () => {
  it('reads a traffic shape with a quiet UTC night from the order history', () => {
    expect(orderShares).toHaveLength(24);
    expect(orderShares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 9);
    // The shop's orders come in its working hours: the premise of the traffic schedule.
    const night = [0, 1, 2, 3, 4, 5, 6, 21, 22, 23].reduce((sum, hour) => sum + orderShares[hour]!, 0);
    expect(night).toBeLessThan(0.01);
  });

  it.each([3, 10])('spends a budget %i× oversubscribed along the traffic schedule', (demandMultiple) => {
    const outcome = day({ hourlyTraffic: orderShares, demandMultiple, schedule: orderSchedule });
    expectPacedDay(outcome, orderSchedule);
    // Not back-loaded either: by each hour's end the spend has kept up with the schedule.
    const behindSchedule = outcome.spentByHourEnd
      .map((spent, hour) => ({ hour, spent, due: BUDGET * (orderSchedule((hour + 1) / 24) - L) - outcome.maxPriceMinor }))
      .filter(({ spent, due }) => spent < due);
    expect(behindSchedule).toEqual([]);
  });

  it.each([3, 10])('spends a budget %i× oversubscribed along the schedule the storefront uses (order hours, 10 %% spread evenly)', (demandMultiple) => {
    const served = shopTrafficSchedule(orderShares);
    const outcome = day({ hourlyTraffic: orderShares, demandMultiple, schedule: served });
    expectPacedDay(outcome, served);
  });

  it('throttles nothing away when demand is half the budget', () => {
    const scenario = { hourlyTraffic: orderShares, demandMultiple: 0.5, schedule: orderSchedule };
    const paced = day(scenario);
    const unpaced = day({ ...scenario, paced: false });
    expect(unpaced.spentMinor).toBeLessThan(BUDGET);
    expect(paced.spentMinor).toBeGreaterThanOrEqual(0.9 * unpaced.spentMinor);
    expect(paced.spentMinor).toBeLessThanOrEqual(BUDGET);
  });

  it('cannot spend the budget along the straight line of docs/sponsored.md: the night’s share is never spent', () => {
    // Why trafficSchedule exists: with no traffic before 07:00 UTC, the budget due by then is
    // only caught up, and the share due after the evening's last orders is lost.
    const outcome = day({ hourlyTraffic: orderShares, demandMultiple: 3 });
    expect(outcome.spentMinor).toBeLessThan(0.9 * BUDGET);
  });
});

describe('pacing along the straight line over evenly spread traffic', () => {
  it.each([3, 10])('spends a budget %i× oversubscribed evenly through the day', (demandMultiple) => {
    expectPacedDay(day({ hourlyTraffic: FLAT_TRAFFIC, demandMultiple }), STRAIGHT_LINE);
  });
});
